import { defineAuditEventTypes } from '#src/platform/index.js';

/** SPEC §8 event types the verification module records; never with the code itself. */
export const VerificationAudit = defineAuditEventTypes([
  'code_sent',
  'code_verified',
  'code_failed',
  'password_reset',
  'contact_verified',
  'contact_taken_over',
  'contact_change',
]);
