import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/**
 * TypeORM's logger with one job: report a query slower than DATABASE_QUERY_TIMEOUT. TypeORM's own loggers
 * print the parameters (user data) to stdout, so this one names the statement only, never its values.
 */
export class SlowQueryLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.slice(0, 120)}`);
  }

  // Failed queries reach the exception filter, which decides what is worth logging.
  logQuery(): void {}
  logQueryError(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
