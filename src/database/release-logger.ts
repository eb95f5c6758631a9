import type { Logger } from 'typeorm';
import { SlowQueryLogger } from '#src/database/slow-query-logger.js';

/** TypeORM's lines, as its migration executor words them, that tell an operator what a release did. */
const RELEASE_LINES = [/^Migration \S+ has been (\(fake\) )?executed successfully\.$/, /^No migrations are pending$/];

/**
 * The migration CLI's logger (`ormconfig.ts`, the Procfile's release step): the release says which migrations it
 * applied, or that none were pending (issue 24.7), instead of nothing. Like the app's logger, it never prints a
 * query or its parameters.
 */
export class ReleaseLogger implements Logger {
  private readonly slow = new SlowQueryLogger();

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  logSchemaBuild(message: string): void {
    if (RELEASE_LINES.some((line) => line.test(message))) {
      this.write(message);
    }
  }

  logQuerySlow(time: number, query: string): void {
    this.slow.logQuerySlow(time, query);
  }

  logQuery(): void {}
  logQueryError(): void {}
  logMigration(): void {}
  log(): void {}
}
