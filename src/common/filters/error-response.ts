import { HttpException, HttpStatus } from '@nestjs/common';
import { AppException } from '#src/common/app.exception.js';
import type { ErrorEnvelope } from '#src/common/envelope.js';
import { ErrorCode, errorCodeForStatus } from '#src/common/error-code.js';
import { isDatabaseUnavailable } from '#src/database/database-errors.js';

export interface ErrorResponse {
  status: number;
  body: ErrorEnvelope;
  headers: Record<string, string>;
  /** True when the error is a bug that should be logged with its stack. */
  unexpected: boolean;
}

const GENERIC_MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.VALIDATION_FAILED]: 'The request is not valid',
  [ErrorCode.UNAUTHORIZED]: 'Authentication is required',
  [ErrorCode.FORBIDDEN]: 'You are not allowed to do this',
  [ErrorCode.NOT_FOUND]: 'Not found',
  [ErrorCode.METHOD_NOT_ALLOWED]: 'Method not allowed',
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'The request body is too large',
  [ErrorCode.REQUEST_TIMEOUT]: 'The request took too long to arrive',
  [ErrorCode.URI_TOO_LONG]: 'The request URL is too long',
  [ErrorCode.HEADERS_TOO_LARGE]: 'The request headers are too large',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'Send the body as application/json',
  [ErrorCode.SERVICE_UNAVAILABLE]: 'The service is temporarily unavailable, retry shortly',
  [ErrorCode.INTERNAL_ERROR]: 'Internal server error',
};

function envelope(code: ErrorCode, status: number, msg: string): ErrorEnvelope {
  return { code: status, msg, error: code, data: null };
}

function fromAppException(e: AppException): ErrorResponse {
  const body = envelope(e.code, e.status, e.message);
  if (e.options.errors) {
    body.errors = e.options.errors;
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
 * Maps anything thrown into the SPEC §3 envelope. Only messages we wrote
 * ourselves reach the body: a stack trace, SQL or driver text never does
 * (OWASP ASVS v4 7.4.1, generic error messages).
 */
export function toErrorResponse(e: unknown): ErrorResponse {
  if (e instanceof AppException) {
    return fromAppException(e);
  }
  // A 503 HttpException comes from terminus' readiness check (database down): same answer as any outage.
  if (isDatabaseUnavailable(e) || (e instanceof HttpException && e.getStatus() === 503)) {
    return fromAppException(
      new AppException(ErrorCode.SERVICE_UNAVAILABLE, GENERIC_MESSAGES.SERVICE_UNAVAILABLE!, {
        retryAfter: 5,
      }),
    );
  }
  const status = statusOf(e);
  if (status !== undefined && status < 500) {
    const code = errorCodeForStatus(status);
    const msg =
      code === ErrorCode.VALIDATION_FAILED && e instanceof SyntaxError
        ? 'The body is not valid JSON'
        : (GENERIC_MESSAGES[code] ?? 'The request could not be processed');
    return { status, body: envelope(code, status, msg), headers: {}, unexpected: false };
  }
  const code = ErrorCode.INTERNAL_ERROR;
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: envelope(code, HttpStatus.INTERNAL_SERVER_ERROR, GENERIC_MESSAGES[code]!),
    headers: {},
    unexpected: true,
  };
}
