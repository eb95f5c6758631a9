/** A built-in type, or one a module defined with `defineAuditEventTypes`. */
export type AuditEventName = keyof typeof CoreAudit | (string & {});

/** Stored in `audit_events.type` (VARCHAR(40)); lower snake case like the built-in ones. */
const AUDIT_TYPE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

const registered = new Set<string>();

/**
 * Registers the audit event types a module records (SPEC §8, §13), at module top level, and returns them by name:
 * `export const ReportAudit = defineAuditEventTypes(['report_export'])`, then
 * `audit.record({ type: ReportAudit.report_export, ... })`. The admin API filters by any registered type.
 * A type defined twice stops the start: two modules must not share one name for different events.
 */
export function defineAuditEventTypes<const T extends string>(types: readonly T[]): { readonly [K in T]: K } {
  const defined: Record<string, string> = {};
  for (const type of types) {
    if (!AUDIT_TYPE_NAME.test(type)) {
      throw new Error(`Audit event type ${JSON.stringify(type)} must be 1 to 40 of a-z 0-9 _, starting with a letter`);
    }
    if (registered.has(type)) {
      throw new Error(`Audit event type ${type} is defined twice`);
    }
    registered.add(type);
    defined[type] = type;
  }
  return Object.freeze(defined) as { readonly [K in T]: K };
}

/**
 * SPEC §8: the types the core records, defined as a module defines its own (`VerificationAudit`, `SocialAudit`):
 * `audit.record({ type: CoreAudit.login_success, ... })`.
 */
export const CoreAudit = defineAuditEventTypes([
  'login_success',
  'login_failure',
  'register',
  'refresh',
  'refresh_reuse',
  'refresh_grace',
  'logout',
  'logout_all',
  'session_revoke',
  'password_change',
  'password_rehash',
  'throttle_start',
  'new_device',
  'ip_not_allowed',
  'mfa_challenge',
  'mfa_success',
  'mfa_failure',
  'mfa_enable',
  'mfa_disable',
  'admin_action',
  'account_reclaimed',
]);

export function isAuditEventType(value: unknown): boolean {
  return typeof value === 'string' && registered.has(value);
}

/** Every registered type, built-in first. */
export function auditEventTypes(): readonly string[] {
  return [...registered];
}
