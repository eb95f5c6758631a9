import { QueryFailedError } from 'typeorm';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'SQLITE_BUSY',
]);

function driverErrorOf(e: unknown): unknown {
  return e instanceof QueryFailedError ? (e.driverError as unknown) : e;
}

function driverCode(e: unknown): string | undefined {
  const source = driverErrorOf(e);
  const code = (source as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The database could not be reached: the client should retry, not see a 500. */
export function isDatabaseUnavailable(e: unknown): boolean {
  const code = driverCode(e);
  return code !== undefined && UNAVAILABLE_CODES.has(code);
}

/** A unique index refused the write: MySQL/MariaDB ER_DUP_ENTRY or SQLite's constraint error. */
export function isUniqueViolation(e: unknown): boolean {
  const code = driverCode(e);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The text of the violated unique index, to tell which column clashed. */
export function uniqueViolationDetail(e: unknown): string {
  const message = (driverErrorOf(e) as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}
