import { Report } from '#src/examples/reports/entities/report.entity.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEntities, findMigrations } from '#src/database/data-source.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import type { TestDatabase } from './helpers/test-database.js';

/**
 * Modules bring their own entities, migrations and unprefixed routes (STYLE 12); these checks fail when one of
 * them is not picked up, or when the entities and the migrated schema disagree.
 */
describe('modules register themselves', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('leaves the schema builder nothing to do right after the migrations ran', async () => {
    const sql = await t.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('applies the migrations of every module folder, in timestamp order', async () => {
    const found = (await findMigrations()).map((migration) => migration.name);
    expect(found).toEqual(
      expect.arrayContaining([
        'InitialSchema1763800000000',
        'Mfa1763800200000',
        'SchemaMatchesEntities1764600000000',
        'MfaSchemaMatchesEntities1764600100000',
      ]),
    );
    const rows: { name: string }[] = await t.dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((row) => row.name)).toEqual(found);
  });

  it('registers every *.entity file through its module, with no central list', async () => {
    // The worked example (src/examples/, left out of the build) is not imported by AppModule. Another file in the
    // same Vitest worker may have mounted it, and TypeORM keeps forFeature entities process-wide: leave it out of both.
    const registered = t.dataSource.entityMetadatas.map((metadata) => metadata.target).filter((e) => e !== Report);
    const files = (await findEntities()).filter((entity) => entity !== Report);
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(new Set(registered)).toEqual(new Set(files));
  });

  it('serves the @Unprefixed() controllers outside /api/v1 and only there', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    expect((await t.http().get('/health/ready')).status).toBe(200);
    expect((await t.http().get('/metrics')).status).toBe(200);
    expect((await t.http().get('/api/v1/health/live')).status).toBe(404);
    expect((await t.http().get('/api/v1/metrics')).status).toBe(404);
    // Only the marked controllers leave the prefix: a feature route stays under /api/v1.
    expect((await t.http().get('/users/me')).status).toBe(404);
    expect((await t.http().get('/api/v1/users/me')).status).toBe(401);
  });

  it.each([
    ['THROTTLE_LOGIN_IP_WINDOW', 'soon'],
    ['ARGON2_MEMORY_KIB', 'lots'],
    ['MFA_TOKEN_TTL', 'forever'],
  ])('refuses to start when a module-owned variable is bad, and names it: %s', async (name, value) => {
    // Validation does not depend on the database: a throwaway SQLite file keeps a failed boot from racing a dropped
    // MariaDB database with TypeORM's connection retries.
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
    const database: TestDatabase = {
      kind: 'sqlite',
      url: `sqlite:${join(dataDir, 'test.sqlite')}`,
      dataDir,
      drop: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
    };
    try {
      await expect(createTestApp({ [name]: value }, { database })).rejects.toThrow(
        new RegExp(`Invalid configuration:[\\s\\S]*${name}`),
      );
    } finally {
      await database.drop();
    }
  });
});
