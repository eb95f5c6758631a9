import { QueryFailedError } from 'typeorm';
import { POOL_WAIT_TIMEOUT } from '#src/database/pool-wait.js';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'SQLITE_BUSY',
  POOL_WAIT_TIMEOUT,
]);

/** mysql2 raises these without a code when a pooled connection or the pool itself is gone. */
const UNAVAILABLE_MESSAGES = [
  "Can't add new command when connection is in closed state",
  "Can't write in closed state",
  'Connection lost',
  'Pool is closed',
  'Queue limit reached',
];

/** TypeORM's own errors when the DataSource is not (or no longer) connected. */
const UNAVAILABLE_TYPEORM_ERRORS = new Set(['CannotExecuteNotConnectedError', 'ConnectionIsNotSetError']);

function driverErrorOf(e: unknown): unknown {
  return e instanceof QueryFailedError ? (e.driverError as unknown) : e;
}

function driverCode(e: unknown): string | undefined {
  const source = driverErrorOf(e);
  const code = (source as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function looksUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) {
    return false;
  }
  const code = driverCode(e);
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
    return true;
  }
  const source = driverErrorOf(e) as Error;
  return (
    UNAVAILABLE_TYPEORM_ERRORS.has(e.name) ||
    UNAVAILABLE_MESSAGES.some((text) => typeof source.message === 'string' && source.message.includes(text))
  );
}

/** The database could not be reached: the client should retry, not see a 500. Follows `cause` a few levels. */
export function isDatabaseUnavailable(e: unknown): boolean {
  let current: unknown = e;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (looksUnavailable(current)) {
      return true;
    }
    current = current.cause;
  }
  return false;
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
