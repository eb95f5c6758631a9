import { readFileSync } from 'node:fs';
import { CoreAudit, auditEventTypes, defineAuditEventTypes, isAuditEventType } from '#src/audit/audit-event-type.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

describe(defineAuditEventTypes.name, () => {
  it('starts with every built-in type', () => {
    expect(auditEventTypes()).toEqual(expect.arrayContaining(Object.values(CoreAudit)));
    expect(isAuditEventType('login_failure')).toBe(true);
  });

  it('adds a module type, returned by name', () => {
    expect(isAuditEventType('report_export')).toBe(false);
    const ReportAudit = defineAuditEventTypes(['report_export']);
    expect(ReportAudit.report_export).toBe('report_export');
    expect(isAuditEventType('report_export')).toBe(true);
  });

  it('refuses a type defined twice, or a name the column or the convention cannot hold', () => {
    defineAuditEventTypes(['report_delete']);
    expect(() => defineAuditEventTypes(['report_delete'])).toThrow('Audit event type report_delete is defined twice');
    expect(() => defineAuditEventTypes(['login_success'])).toThrow('defined twice');
    expect(() => defineAuditEventTypes(['Report-Export'])).toThrow('a-z 0-9 _');
    expect(() => defineAuditEventTypes(['x'.repeat(41)])).toThrow('1 to 40');
    expect(isAuditEventType('Report-Export')).toBe(false);
  });

  it('does not take a non-string as a type', () => {
    expect(isAuditEventType(undefined)).toBe(false);
    expect(isAuditEventType(['login_success'])).toBe(false);
  });
});

describe('the README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('lists every built-in audit event type, the verification ones included', () => {
    const types = [...Object.values(CoreAudit), ...Object.values(VerificationAudit)];
    expect(types.filter((type) => !readme.includes(`\`${type}\``))).toEqual([]);
  });

  it('cites no SPEC section numbers, which mean nothing to its readers', () => {
    expect(readme.match(/SPEC\s*§\s*\d+/g) ?? []).toEqual([]);
  });
});
