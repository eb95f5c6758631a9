import { ERROR_STATUS, ErrorCode } from '#src/common/error-code.js';

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
 * The one domain exception: an error code plus a human message. The global
 * filter turns it into the envelope; handlers never build error bodies.
 */
export class AppException extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: AppExceptionOptions = {},
  ) {
    super(message);
    this.name = 'AppException';
    this.status = ERROR_STATUS[code];
  }
}
