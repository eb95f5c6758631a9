import 'reflect-metadata';
import { DataSource } from 'typeorm';
import databaseConfig from '#src/database/database.config.js';
import { buildDataSourceOptions } from '#src/database/data-source.js';
import { runPendingMigrations } from '#src/database/run-migrations.js';

/**
 * The release step (the Procfile's `release` line, `npm run migration:run`): applies pending migrations under the
 * same lock as a starting instance (SPEC §10), so two releases, or a release beside a start, never race on the
 * `migrations` table. TypeORM's own CLI takes no lock (typeorm#4588). Needs only `dist/`, runtime dependencies and
 * the database variables, no secrets; prints what it applied, one migration a line.
 */
async function migrate(): Promise<void> {
  const dataSource = await new DataSource(await buildDataSourceOptions(databaseConfig())).initialize();
  try {
    const applied = await runPendingMigrations(dataSource);
    const lines =
      applied.length === 0
        ? ['migrations: none pending']
        : [`migrations: applied ${applied.length}`, ...applied.map((migration) => `  ${migration.name}`)];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await dataSource.destroy();
  }
}

try {
  await migrate();
} catch (e) {
  // A readable line, not a stack: the config report and driver errors say what to change.
  process.stderr.write(`migrations: failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
