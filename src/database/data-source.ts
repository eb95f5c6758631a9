import type { DataSourceOptions } from 'typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import type { DatabaseConfig } from '#src/config/database.config.js';
import { InitialSchema1763800000000 } from '#src/database/migrations/1763800000000-initial-schema.js';
import { RefreshToken } from '#src/sessions/entities/refresh-token.entity.js';
import { Session } from '#src/sessions/entities/session.entity.js';
import { User } from '#src/users/entities/user.entity.js';

/** Listed explicitly: ESM has no `require` for TypeORM's glob loading, and a list is easier to review. */
export const ENTITIES = [User, Session, RefreshToken, AuditEvent];
export const MIGRATIONS = [InitialSchema1763800000000];

/** One definition for the app (TypeOrmModule) and the migration CLI (`ormconfig.ts`). */
export function buildDataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: ['error' as const],
  };
  if (config.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: config.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      extra: { connectionLimit: 10 },
    };
  }
  mkdirSync(dirname(config.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.path,
    enableWAL: true,
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('busy_timeout = 5000');
    },
  };
}
