import type { ErrorCodeName } from '#src/common/error-code.js';
import type { FieldError } from '#src/common/app.exception.js';

/** SPEC §3: every `/api/v1` answer, success or error; `code` always equals the HTTP status. */
export interface SuccessEnvelope<T> {
  code: number;
  msg: string;
  data: T;
}

export interface ErrorEnvelope {
  code: number;
  msg: string;
  error: ErrorCodeName;
  data: null;
  errors?: FieldError[];
}
