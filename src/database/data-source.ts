import type { RowDataPacket } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import { mysql2WithCachedPromiseWrappers } from '#src/database/mysql2-promise-cache.js';
import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DatabaseConfig } from '#src/database/database.config.js';
import { SlowQueryLogger } from '#src/database/slow-query-logger.js';

/** `src/` under Vitest (`.ts`), `dist/src/` when compiled (`.js`): found from this file, not from the working directory. */
const SOURCE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const EXTENSION = extname(fileURLToPath(import.meta.url));

type Constructor = new (...args: never[]) => unknown;

/** Every file under `src/` whose path matches, sorted, so that the result does not depend on the file system. */
function findFiles(match: (path: string) => boolean, dir = SOURCE_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        return entry.name === 'node_modules' ? [] : findFiles(match, path);
      }
      return match(path) ? [path] : [];
    })
    .sort();
}

async function exportedClasses(files: string[]): Promise<Constructor[]> {
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(file).href) as Promise<object>));
  return modules.flatMap(
    (module) => Object.values(module).filter((value) => typeof value === 'function') as Constructor[],
  );
}

/**
 * Every module's `migrations/` folder (STYLE 12: a module brings its migrations, no central list), in timestamp
 * order, the trailing digits of the class name, as TypeORM itself orders them.
 */
export async function findMigrations(): Promise<Constructor[]> {
  const files = findFiles((path) => /[\\/]migrations[\\/][^\\/]+$/.test(path) && path.endsWith(EXTENSION));
  const classes = (await exportedClasses(files)).filter(
    (value) => typeof (value.prototype as Partial<MigrationInterface>).up === 'function',
  );
  const timestamp = (migration: Constructor) => Number(/(\d{13})$/.exec(migration.name)?.[1] ?? 0);
  return classes.sort((a, b) => timestamp(a) - timestamp(b));
}

/**
 * Every `*.entity` file under `src/`, for the migration CLI only: the app registers entities through each module's
 * `TypeOrmModule.forFeature` and `autoLoadEntities`, but `migration:generate` has no modules to ask.
 */
export function findEntities(): Promise<Constructor[]> {
  return exportedClasses(findFiles((path) => path.endsWith(`.entity${EXTENSION}`)));
}

/**
 * TypeORM reads MariaDB's schema correctly only under `type: 'mariadb'` (MariaDB reports a nullable column's default
 * as the word NULL, which the `mysql` type takes for the string 'NULL' and proposes to "fix" in every generated
 * migration). The URL scheme cannot tell the two servers apart, so the server is asked; if it cannot be reached the
 * `mysql` type is kept and the connection itself reports the error.
 */
async function mysqlFlavour(url: string): Promise<'mysql' | 'mariadb'> {
  try {
    const connection = await createConnection({ uri: url, connectTimeout: 5000 });
    try {
      const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
      return /mariadb/i.test(String(rows[0]?.version ?? '')) ? 'mariadb' : 'mysql';
    } finally {
      await connection.end();
    }
  } catch {
    return 'mysql';
  }
}

/** One definition for the app (TypeOrmModule) and the migration CLI (`ormconfig.ts`). */
export async function buildDataSourceOptions(config: DatabaseConfig): Promise<DataSourceOptions> {
  const common = {
    migrations: await findMigrations(),
    // Run by `runPendingMigrations` at start, under a lock, not by TypeORM's own `migrationsRun`.
    migrationsRun: false,
    synchronize: false,
    // Failed queries reach the exception filter; TypeORM's own logging would print parameters (user data) to stdout.
    logging: false,
    logger: new SlowQueryLogger(),
  };
  if (config.type === 'mysql') {
    return {
      ...common,
      type: await mysqlFlavour(config.url),
      url: config.url,
      // One promise wrapper per pooled connection instead of one per query (issue 29; see the module).
      driver: mysql2WithCachedPromiseWrappers(),
      // Issue 29: mysql2's `trace` (on by default) captures the caller's stack with Error.captureStackTrace before
      // every promise query, so a failed query's stack shows where it was sent from. TypeORM throws its own
      // QueryFailedError from the awaiting frame anyway; the capture cost about 80 µs of a MariaDB login's event loop.
      trace: false,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // A vanished server fails a request within seconds instead of holding it: connectTimeout bounds each new
      // connection, keep-alive finds dead peers, and queueLimit caps requests waiting for a pooled connection (whose
      // wait `boundPoolWaits` bounds by the query timeout).
      connectTimeout: 5000,
      // SPEC §10: a slow database is bounded too. Past DATABASE_QUERY_TIMEOUT mysql2 gives up on the query
      // (PROTOCOL_SEQUENCE_TIMEOUT, and drops that connection), which the filter answers 503 with Retry-After.
      enableQueryTimeout: true,
      maxQueryExecutionTime: config.queryTimeoutMs,
      extra: {
        connectionLimit: config.poolSize,
        queueLimit: 200,
        enableKeepAlive: true,
        keepAliveInitialDelay: 10_000,
      },
    };
  }
  mkdirSync(dirname(config.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.path,
    enableWAL: true,
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      // SQLite runs in-process: the only wait is for another writer's lock, bounded by the same timeout.
      db.pragma(`busy_timeout = ${config.queryTimeoutMs}`);
    },
  };
}
