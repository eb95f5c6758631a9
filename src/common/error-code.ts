import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from '#src/common/error-registry.js';

/**
 * The protocol's own codes (SPEC §3), shared by every module. A module's specific codes live beside it
 * (`mfa/mfa.errors.ts`) through the same `defineErrorCodes`. Clients branch on the code, never on `msg`.
 */
export const CoreErrors = defineErrorCodes({
  VALIDATION_FAILED: { status: HttpStatus.BAD_REQUEST, message: 'The request is not valid' },
  INVALID_CREDENTIALS: { status: HttpStatus.UNAUTHORIZED, message: 'Wrong username, phone or password' },
  UNAUTHORIZED: { status: HttpStatus.UNAUTHORIZED, message: 'Authentication is required' },
  TOKEN_INVALID: { status: HttpStatus.UNAUTHORIZED, message: 'The token is not valid' },
  TOKEN_EXPIRED: { status: HttpStatus.UNAUTHORIZED, message: 'The token has expired' },
  TOKEN_REVOKED: { status: HttpStatus.UNAUTHORIZED, message: 'The session has been revoked' },
  REFRESH_TOKEN_REUSED: {
    status: HttpStatus.UNAUTHORIZED,
    message: 'This refresh token was already used; the session has been ended',
  },
  FORBIDDEN: { status: HttpStatus.FORBIDDEN, message: 'You are not allowed to do this' },
  IP_NOT_ALLOWED: { status: HttpStatus.FORBIDDEN, message: 'Your network is not allowed for this account' },
  NOT_FOUND: { status: HttpStatus.NOT_FOUND, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: HttpStatus.METHOD_NOT_ALLOWED, message: 'Method not allowed' },
  USERNAME_TAKEN: { status: HttpStatus.CONFLICT, message: 'That username is taken' },
  PHONE_TAKEN: { status: HttpStatus.CONFLICT, message: 'That phone number is already registered' },
  EMAIL_TAKEN: { status: HttpStatus.CONFLICT, message: 'That email address is already registered' },
  PAYLOAD_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, message: 'The request body is too large' },
  REQUEST_TIMEOUT: { status: HttpStatus.REQUEST_TIMEOUT, message: 'The request took too long to arrive' },
  URI_TOO_LONG: { status: HttpStatus.URI_TOO_LONG, message: 'The request URL is too long' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, message: 'Send the body as application/json' },
  REGISTRATION_DISABLED: { status: HttpStatus.FORBIDDEN, message: 'Registration is closed' },
  RATE_LIMITED: { status: HttpStatus.TOO_MANY_REQUESTS, message: 'Too many attempts; retry later' },
  SERVICE_UNAVAILABLE: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'The service is temporarily unavailable, retry shortly',
  },
  INTERNAL_ERROR: { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' },
});

type CoreCode = keyof typeof CoreErrors;

/** Any registered code's name (`CoreErrors.X.code`, `MfaErrors.Y.code`): the core ones for completion. */
export type ErrorCodeName = CoreCode | (string & {});

/** The error a status maps to when nothing more specific is known (framework and Fastify errors). */
export function errorCodeForStatus(status: number): CoreCode {
  switch (status) {
    case 400:
      return CoreErrors.VALIDATION_FAILED.code;
    case 401:
      return CoreErrors.UNAUTHORIZED.code;
    case 403:
      return CoreErrors.FORBIDDEN.code;
    case 404:
      return CoreErrors.NOT_FOUND.code;
    case 405:
      return CoreErrors.METHOD_NOT_ALLOWED.code;
    case 408:
      return CoreErrors.REQUEST_TIMEOUT.code;
    case 413:
      return CoreErrors.PAYLOAD_TOO_LARGE.code;
    case 414:
      return CoreErrors.URI_TOO_LONG.code;
    case 431:
      return CoreErrors.HEADERS_TOO_LARGE.code;
    case 415:
      return CoreErrors.UNSUPPORTED_MEDIA_TYPE.code;
    case 429:
      return CoreErrors.RATE_LIMITED.code;
    case 503:
      return CoreErrors.SERVICE_UNAVAILABLE.code;
    default:
      return status >= 500 ? CoreErrors.INTERNAL_ERROR.code : CoreErrors.VALIDATION_FAILED.code;
  }
}
