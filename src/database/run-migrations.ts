import { createHash } from 'node:crypto';
import type { PoolConnection } from 'mysql2';
import type { DataSource, Migration } from 'typeorm';

/** How long an instance waits for another one's migrations before giving up its start. */
const LOCK_WAIT_SECONDS = 300;

/** The server-wide lock of one database's migrations; hashed to fit MariaDB's 64-character limit. */
export function migrationLockName(database: string): string {
  return `gatehouse:migrations:${createHash('sha256').update(database).digest('hex').slice(0, 32)}`;
}

/**
 * Applies pending migrations, one instance at a time. TypeORM has no lock of its own (typeorm#4588): instances
 * starting together on an empty MariaDB/MySQL database would all run the same `CREATE TABLE`s, and all but one fail
 * their start. A named server lock (`GET_LOCK`), held on one connection for the whole run, makes the others wait and
 * then find the migrations applied. SQLite needs none: one process owns the file, and its writes are serialised.
 * The release step (`migrate.ts`) runs through here too (SPEC §10), so a release and a starting instance never race.
 * Returns the migrations this call applied, none when another one got there first.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb') {
    return dataSource.runMigrations();
  }
  const runner = dataSource.createQueryRunner();
  try {
    // Locks are server-wide, so the name carries the database's.
    const [{ db }] = (await runner.query('SELECT DATABASE() AS db')) as { db: string }[];
    const name = migrationLockName(db);
    // On the raw connection: TypeORM would bound this wait by DATABASE_QUERY_TIMEOUT, meant for one query, not this.
    const connection = (await runner.connect()) as PoolConnection;
    const [rows] = await connection
      .promise()
      .query({ sql: 'SELECT GET_LOCK(?, ?) AS locked', timeout: (LOCK_WAIT_SECONDS + 5) * 1000 }, [
        name,
        LOCK_WAIT_SECONDS,
      ]);
    const [{ locked }] = rows as { locked: number | null }[];
    if (Number(locked) !== 1) {
      throw new Error(`another instance held the migration lock for ${LOCK_WAIT_SECONDS} s`);
    }
    try {
      return await dataSource.runMigrations();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}
