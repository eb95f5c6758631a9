import type { FastifyServerOptions, RawRequestDefaultExpression } from 'fastify';
import { randomUUID } from 'node:crypto';

/** Where log lines go: stdout by default; tests pass a stream of their own to read them. */
export interface LogDestination {
  write(line: string): void;
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** A client's id is kept only when it cannot smuggle anything into a log line or a header. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Body fields and headers that carry a secret (OWASP Logging Cheat Sheet: never log credentials or tokens). */
const SECRET_FIELDS = [
  'password',
  'current_password',
  'new_password',
  'access_token',
  'refresh_token',
  'mfa_token',
  'code',
  'recovery_code',
];
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie'];

export const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

/** Echoes a sane `X-Request-Id`, otherwise mints a UUID (SPEC §10). */
export function genReqId(req: RawRequestDefaultExpression): string {
  const sent = req.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Fastify's built-in pino: JSON lines, the request id on every line of a request, secrets censored. */
export function loggerOptions(level: string, stream?: LogDestination): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    ...(stream ? { stream } : {}),
  };
}
