import type { ErrorCodeName } from '#src/common/error-code.js';
import type { ErrorDefinition } from '#src/common/error-registry.js';

/**
 * A field error as the envelope carries it (SPEC §3, §14): `field`, `rule` and `params` never change with the
 * language; `message` is the rule's message in the reader's language.
 */
export interface FieldError {
  field: string;
  rule: string;
  params: Record<string, unknown>;
  message: string;
}

/**
 * A field error as a throw site gives it: a registered rule (`defineValidationRules`) and its params; the
 * filter writes the message in the request's language. A bare `{field, message}` still works and is
 * answered as rule `invalid`, its message kept for English readers only.
 */
export interface FieldErrorInput {
  field: string;
  rule?: string;
  params?: Record<string, unknown>;
  message?: string;
}

export interface AppExceptionOptions {
  /** Per-field errors for VALIDATION_FAILED. */
  errors?: FieldErrorInput[];
  /** Seconds, sent as the `Retry-After` header (429, 503). */
  retryAfter?: number;
}

/**
 * The one domain exception: a registered error definition (`CoreErrors.X`, a module's `XxxErrors.Y`) plus a
 * human message, by default the definition's own. The global filter turns it into the envelope; handlers never
 * build error bodies. Pass a message only when it says more than the default.
 *
 * `new AppException(MfaErrors.MFA_INVALID)`, `new AppException(CoreErrors.NOT_FOUND, 'No such session')`,
 * `new AppException(CoreErrors.VALIDATION_FAILED, { errors })`.
 */
export class AppException extends Error {
  readonly code: ErrorCodeName;
  readonly status: number;
  readonly options: AppExceptionOptions;

  constructor(
    definition: ErrorDefinition,
    messageOrOptions?: string | AppExceptionOptions,
    options: AppExceptionOptions = {},
  ) {
    const message = typeof messageOrOptions === 'string' ? messageOrOptions : definition.message;
    super(message);
    this.name = 'AppException';
    this.code = definition.code;
    this.status = definition.status;
    this.options = typeof messageOrOptions === 'object' ? messageOrOptions : options;
  }
}
