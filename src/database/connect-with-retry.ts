import type { DataSource } from 'typeorm';
import { maskValue, StartError } from '#src/config/config-report.js';
import { isDatabaseUnavailable } from '#src/database/database-errors.js';

export interface ConnectPolicy {
  /** The database as the operator wrote it: shown masked, never with its password. */
  url: string;
  attempts: number;
  delayMs: number;
  /** Where the progress lines go (stderr at start: the app's logger is not installed yet). */
  report: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** mysql2 codes that no retry fixes: the operator must change DATABASE_URL (or the server's grants). */
const WRONG_URL_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
]);

function reasonOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message !== '' ? message.split('\n')[0] : String(error);
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

/**
 * Connects, retrying while the server is unreachable, and turns a start that cannot connect into one block that
 * names DATABASE_URL (SPEC §10, issue 24.7): a person sees what was tried and what to change, not a stack trace
 * per attempt. Errors of anything else (a failing migration) pass through unchanged.
 */
export async function connectWithRetry(connect: () => Promise<DataSource>, policy: ConnectPolicy): Promise<DataSource> {
  const target = `DATABASE_URL=${maskValue('DATABASE_URL', policy.url)}`;
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      const reason = reasonOf(error);
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && WRONG_URL_CODES.has(code)) {
        throw new StartError('DATABASE_URL', cannotStart(target, `refused the connection (${reason}).`, 1));
      }
      if (!isDatabaseUnavailable(error)) {
        throw error;
      }
      if (attempt >= policy.attempts) {
        throw new StartError('DATABASE_URL', cannotStart(target, `is not reachable (${reason}).`, attempt));
      }
      if (attempt === 1) {
        policy.report(`Database at ${target} is not reachable (${reason}).`);
      }
      policy.report(`  attempt ${attempt}/${policy.attempts} failed; trying again in ${policy.delayMs / 1000} s`);
      await sleep(policy.delayMs);
    }
  }
}

function cannotStart(target: string, what: string, attempts: number): string {
  return [
    `Gatehouse cannot start: the database at ${target} ${what}`,
    `  Tried ${attempts === 1 ? 'once' : `${attempts} times`} (DATABASE_CONNECT_ATTEMPTS).`,
    '  Start the database server, or set DATABASE_URL to one that answers (mysql://user:pass@host:3306/db or',
    '  sqlite:/path/file.sqlite; every variable is listed in .env.example), then start again.',
  ].join('\n');
}
