import { ErrorCode } from '#src/common/error-code.js';
import { findErrorCode, type ErrorDefinition } from '#src/common/error-registry.js';

export interface FieldError {
  field: string;
  message: string;
}

export interface AppExceptionOptions {
  /** Per-field messages for VALIDATION_FAILED. */
  errors?: FieldError[];
  /** Seconds, sent as the `Retry-After` header (429, 503). */
  retryAfter?: number;
}

/**
 * The one domain exception: a registered error code plus a human message, by
 * default the code's own. The global filter turns it into the envelope;
 * handlers never build error bodies.
 *
 * `new AppException(MfaErrors.MFA_INVALID)`, `new AppException(ErrorCode.NOT_FOUND, 'User not found')`,
 * `new AppException(CoreErrors.VALIDATION_FAILED, { errors })`.
 */
export class AppException extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly options: AppExceptionOptions;

  constructor(
    code: ErrorDefinition | ErrorCode,
    messageOrOptions?: string | AppExceptionOptions,
    options: AppExceptionOptions = {},
  ) {
    const definition = typeof code === 'string' ? findErrorCode(code) : code;
    if (!definition) {
      // A bug, not a client error: the filter answers 500 and logs it.
      throw new Error(`Unknown error code ${code as string}: define it with defineErrorCodes()`);
    }
    const message = typeof messageOrOptions === 'string' ? messageOrOptions : definition.message;
    super(message);
    this.name = 'AppException';
    this.code = definition.code;
    this.status = definition.status;
    this.options = typeof messageOrOptions === 'object' ? messageOrOptions : options;
  }
}
