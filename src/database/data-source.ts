import type { DataSourceOptions } from 'typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import type { DatabaseConfig } from '#src/config/database.config.js';
import { InitialSchema1763800000000 } from '#src/database/migrations/1763800000000-initial-schema.js';
import { Mfa1763800200000 } from '#src/database/migrations/1763800200000-mfa.js';
import { MfaChallenge } from '#src/mfa/entities/mfa-challenge.entity.js';
import { MfaRecoveryCode } from '#src/mfa/entities/mfa-recovery-code.entity.js';
import { RefreshToken } from '#src/sessions/entities/refresh-token.entity.js';
import { Session } from '#src/sessions/entities/session.entity.js';
import { User } from '#src/users/entities/user.entity.js';
import { ContactVerification1764600000000 } from '#src/users/migrations/1764600000000-contact-verification.js';
import { VerificationCode } from '#src/verification/entities/verification-code.entity.js';
import { VerificationCodes1764600100000 } from '#src/verification/migrations/1764600100000-verification-codes.js';

/** Listed explicitly: ESM has no `require` for TypeORM's glob loading, and a list is easier to review. */
export const ENTITIES = [User, Session, RefreshToken, AuditEvent, MfaRecoveryCode, MfaChallenge, VerificationCode];
export const MIGRATIONS = [
  InitialSchema1763800000000,
  Mfa1763800200000,
  ContactVerification1764600000000,
  VerificationCodes1764600100000,
];

/** One definition for the app (TypeOrmModule) and the migration CLI (`ormconfig.ts`). */
export function buildDataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    // Failed queries reach the exception filter; TypeORM's own logging would print parameters (user data) to stdout.
    logging: false,
  };
  if (config.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: config.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // A vanished server fails a request within seconds instead of holding it: connectTimeout bounds each new
      // connection, keep-alive finds dead peers, and queueLimit caps requests waiting for a pooled connection.
      connectTimeout: 5000,
      extra: { connectionLimit: 10, queueLimit: 200, enableKeepAlive: true, keepAliveInitialDelay: 10_000 },
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
