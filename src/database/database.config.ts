import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { join } from 'node:path';
import appConfig from '#src/config/app.config.js';
import { parseDurationSeconds } from '#src/config/duration.js';
import { EnvDoc, IsDuration, validateConfig } from '#src/config/validate-config.js';

class DatabaseEnv {
  @EnvDoc(
    'mysql://user:pass@host:3306/db (MySQL 8 / MariaDB 10.6+, also mariadb://) or sqlite:/path/to/file.sqlite. Default: SQLite in DATA_DIR.',
  )
  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\/.+|^sqlite:.+/, {
    message: 'DATABASE_URL must be mysql://user:pass@host:port/db or sqlite:/path/to/file.sqlite',
  })
  DATABASE_URL?: string;
  @EnvDoc(
    'Longest one database query may take (migrations at start included); past it the request answers 503 with Retry-After. SQLite: how long to wait for a lock.',
    '5s',
  )
  @IsOptional()
  @IsDuration()
  DATABASE_QUERY_TIMEOUT?: string;
  @EnvDoc(
    'MySQL/MariaDB: connections each instance keeps open at most. A request waits for a free one no longer than DATABASE_QUERY_TIMEOUT, then answers 503 with Retry-After.',
    '10',
  )
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_SIZE?: number;
  @EnvDoc(
    'How many times the start tries to reach the database, 3 s apart, before it gives up naming DATABASE_URL.',
    '10',
  )
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_CONNECT_ATTEMPTS?: number;
}

/**
 * `queryTimeoutMs`: how long one query, or the wait for a pooled connection, may take before a 503 (SPEC §10);
 * `connectAttempts`: how often the start tries to connect.
 */
export type DatabaseConfig = { queryTimeoutMs: number; connectAttempts: number } & (
  { type: 'sqlite'; path: string } | { type: 'mysql'; url: string; poolSize?: number }
);

export default registerAs('database', (): DatabaseConfig => {
  const env = validateConfig(process.env, DatabaseEnv);
  const url = env.DATABASE_URL;
  const queryTimeoutMs = parseDurationSeconds(env.DATABASE_QUERY_TIMEOUT ?? '5s') * 1000;
  if (queryTimeoutMs < 1000) {
    throw new Error('Invalid configuration:\n  DATABASE_QUERY_TIMEOUT: must be at least 1s');
  }
  const connectAttempts = env.DATABASE_CONNECT_ATTEMPTS ?? 10;
  if (url && !url.startsWith('sqlite:')) {
    return {
      type: 'mysql',
      url: url.replace(/^mariadb:/, 'mysql:'),
      queryTimeoutMs,
      connectAttempts,
      poolSize: env.DATABASE_POOL_SIZE,
    };
  }
  const path = url ? url.slice('sqlite:'.length) : join(appConfig().dataDir, 'gatehouse.sqlite');
  return { type: 'sqlite', path, queryTimeoutMs, connectAttempts };
});
