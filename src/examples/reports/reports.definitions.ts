import { HttpStatus } from '@nestjs/common';
import en from '#src/examples/reports/i18n/en.js';
import zhCN from '#src/examples/reports/i18n/zh-CN.js';
import { defineAuditEventTypes, defineErrorCodes, defineRoles, defineTranslations } from '#src/platform/index.js';

/** The role this module brings. The admin API accepts it as soon as the module is imported. */
export const ReportRoles = defineRoles(['reporter']);

declare module '#src/platform/index.js' {
  // Lets `@Auth('reporter')` type-check (declaration merging into the platform's role names).
  interface RoleNames {
    reporter: true;
  }
}

/** Error codes with their status and default message: handlers throw the definition, never a message literal. */
export const ReportErrors = defineErrorCodes({
  REPORT_NOT_FOUND: { status: HttpStatus.NOT_FOUND, message: 'There is no such report' },
});

// The messages in every language (SPEC §14): a zh-CN reader gets `msg` in Chinese; the code stays the same.
defineTranslations('reports', { en, 'zh-CN': zhCN });

/** What the audit trail records for this module (SPEC §8): who exported which report, never its content. */
export const ReportAudit = defineAuditEventTypes(['report_exported']);
