import type { FastifyServerOptions, RawRequestDefaultExpression } from 'fastify';
import { randomUUID } from 'node:crypto';
import { prettyFactory } from 'pino-pretty';

/** Where log lines go: stdout by default; tests pass a stream of their own to read them. */
export interface LogDestination {
  write(line: string): void;
}

/** `json` for machines (production, tests); `pretty` for a person reading a terminal (development). */
export type LogFormat = 'json' | 'pretty';

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

/** Development logs are for a person: the format follows NODE_ENV, production keeps JSON. */
export function logFormatFor(env: string): LogFormat {
  return env === 'development' ? 'pretty' : 'json';
}

/**
 * Turns pino's JSON lines into one readable line each (local time, level, message, then the fields),
 * synchronously, so the order of lines and `LogDestination` stay as they are. Redaction has already
 * happened in pino, before the line reaches this stream.
 */
export function prettyDestination(destination: LogDestination, colorize = false): LogDestination {
  const prettify = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  });
  return { write: (line) => destination.write(prettify(line)) };
}

/** Fastify's built-in pino: the request id on every line of a request, secrets censored; JSON or pretty. */
export function loggerOptions(
  level: string,
  stream?: LogDestination,
  format: LogFormat = 'json',
): FastifyServerOptions['logger'] {
  const pretty = format === 'pretty';
  const destination = stream ?? (pretty ? process.stdout : undefined);
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    ...(destination
      ? { stream: pretty ? prettyDestination(destination, !stream && process.stdout.isTTY) : destination }
      : {}),
  };
}
