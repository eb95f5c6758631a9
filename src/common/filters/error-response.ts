import { HttpException, HttpStatus } from '@nestjs/common';
import { AppException, type FieldError, type FieldErrorInput } from '#src/common/app.exception.js';
import type { ErrorEnvelope } from '#src/common/envelope.js';
import { CoreErrors, type ErrorCodeName, errorCodeForStatus } from '#src/common/error-code.js';
import { isDatabaseUnavailable } from '#src/database/database-errors.js';
import { SOURCE_LOCALE, type Locale } from '#src/common/i18n/locales.js';
import { errorMessage, fieldMessage } from '#src/common/i18n/translator.js';

export interface ErrorResponse {
  status: number;
  body: ErrorEnvelope;
  headers: Record<string, string>;
  /** True when the error is a bug that should be logged with its stack. */
  unexpected: boolean;
}

function envelope(code: ErrorCodeName, status: number, msg: string): ErrorEnvelope {
  return { code: status, msg, error: code, data: null };
}

/**
 * SPEC §10: an error lists at most 20 field errors, each field name at most 64 characters, so a body of 1,500 unknown
 * keys cannot make a 142 KB answer (OWASP ASVS 5.0 V2.4.1: bounded work per request).
 */
const MAX_FIELD_ERRORS = 20;
const MAX_FIELD_NAME = 64;

function localizeField(locale: Locale, input: FieldErrorInput): FieldError {
  const { rule = 'invalid', params = {} } = input;
  const field = input.field.slice(0, MAX_FIELD_NAME);
  // A bare `{field, message}` names no rule: its English text is kept for English readers only.
  const message =
    input.rule === undefined && input.message !== undefined && locale === SOURCE_LOCALE
      ? input.message
      : fieldMessage(locale, field, rule, params);
  return { field, rule, params, message };
}

function fromAppException(e: AppException, locale: Locale): ErrorResponse {
  const body = envelope(e.code, e.status, errorMessage(locale, e.code, e.message));
  if (e.options.errors) {
    body.errors = e.options.errors.slice(0, MAX_FIELD_ERRORS).map((input) => localizeField(locale, input));
  }
  const headers: Record<string, string> = {};
  if (e.options.retryAfter !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(e.options.retryAfter)));
  }
  return { status: e.status, body, headers, unexpected: false };
}

/** Fastify's own errors (body parser, body limit) carry a 4xx `statusCode`. */
function statusOf(e: unknown): number | undefined {
  if (e instanceof HttpException) {
    return e.getStatus();
  }
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * Maps anything thrown into the SPEC §3 envelope, its messages in `locale` (SPEC §14). Only messages we wrote
 * ourselves reach the body: a stack trace, SQL or driver text never does
 * (OWASP ASVS v4 7.4.1, generic error messages).
 */
export function toErrorResponse(e: unknown, locale: Locale = SOURCE_LOCALE): ErrorResponse {
  if (e instanceof AppException) {
    return fromAppException(e, locale);
  }
  // A 503 HttpException comes from terminus' readiness check (database down): same answer as any outage.
  if (isDatabaseUnavailable(e) || (e instanceof HttpException && e.getStatus() === 503)) {
    return fromAppException(new AppException(CoreErrors.SERVICE_UNAVAILABLE, { retryAfter: 5 }), locale);
  }
  const status = statusOf(e);
  if (status !== undefined && status < 500) {
    const code = errorCodeForStatus(status);
    const english =
      code === CoreErrors.VALIDATION_FAILED.code && e instanceof SyntaxError
        ? 'The body is not valid JSON'
        : CoreErrors[code].message;
    return {
      status,
      body: envelope(code, status, errorMessage(locale, code, english)),
      headers: {},
      unexpected: false,
    };
  }
  const { code } = CoreErrors.INTERNAL_ERROR;
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: envelope(code, HttpStatus.INTERNAL_SERVER_ERROR, errorMessage(locale, code)),
    headers: {},
    unexpected: true,
  };
}
