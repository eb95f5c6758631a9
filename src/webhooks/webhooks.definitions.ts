import { HttpStatus } from '@nestjs/common';
import { defineAuditEventTypes, defineErrorCodes, defineTranslations } from '#src/platform/index.js';
import en from '#src/webhooks/i18n/en.js';
import zhCN from '#src/webhooks/i18n/zh-CN.js';

/** The module's error codes (SPEC §3, §16), thrown as data. */
export const WebhookErrors = defineErrorCodes({
  WEBHOOK_URL_NOT_ALLOWED: {
    status: HttpStatus.BAD_REQUEST,
    message: 'The webhook URL is not allowed: in production it must be https and reach a public address',
  },
  WEBHOOK_EVENT_UNKNOWN: {
    status: HttpStatus.BAD_REQUEST,
    message: 'Events must be registered audit event types, or ["*"]',
  },
  WEBHOOK_DELIVERY_PENDING: {
    status: HttpStatus.CONFLICT,
    message: 'The delivery is still pending; it can be redelivered once delivered or failed',
  },
});

defineTranslations('webhooks', { en, 'zh-CN': zhCN });

/**
 * Subscription changes are admin actions of their own (SPEC §8 "admin actions"): who created, changed, rotated
 * or deleted which endpoint. Never the secret.
 */
export const WebhookAudit = defineAuditEventTypes([
  'webhook_created',
  'webhook_updated',
  'webhook_deleted',
  'webhook_secret_rotated',
  'webhook_disabled',
]);

/** The event a test-send delivers; not an audit type, so no subscription filter selects it (SPEC §16). */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
