import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The Procfile's release line, as the platform runs it: from dist/, with the database variables only. */
const RELEASE = /^release: (.+)$/m.exec(readFileSync(`${ROOT}Procfile`, 'utf8'))![1];

function release(databaseUrl: string): Promise<{ code: number; applied: string[]; stderr: string }> {
  const env = { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: databaseUrl };
  return new Promise((resolve) => {
    execFile('sh', ['-c', RELEASE], { cwd: ROOT, env }, (error, stdout, stderr) => {
      // The applied migrations, one a line under "migrations: applied N".
      const applied = [...stdout.matchAll(/^ {2}(\S+)$/gm)].map((match) => match[1]);
      resolve({ code: error ? Number(error.code ?? 1) : 0, applied, stderr });
    });
  });
}

/** SPEC §10: the release step takes the same migration lock as a starting instance. */
describe('two release steps started together on an empty database', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    // The release step runs the compiled code: build dist/ when a source is newer (a no-op when it is current).
    execFileSync('node', ['scripts/build-if-stale.mjs', '--server'], { cwd: ROOT, stdio: 'ignore' });
    db = await createTestDatabase();
  }, 600_000);
  afterAll(() => db.drop());

  it('both exit 0, and each migration is applied by exactly one of them', { timeout: 120_000 }, async () => {
    const [first, second] = await Promise.all([release(db.url), release(db.url)]);
    expect([first.code, second.code], first.stderr + second.stderr).toEqual([0, 0]);

    // The lock is held for the whole run: one applies everything, the other then finds nothing pending.
    const applied = [first.applied, second.applied].sort((a, b) => a.length - b.length);
    expect(applied[0]).toEqual([]);
    expect(applied[1]).toContain('InitialSchema1763800000000');
    const connection = await createConnection(db.url);
    try {
      const [rows] = await connection.query('SELECT name FROM migrations ORDER BY id');
      expect((rows as { name: string }[]).map((row) => row.name)).toEqual(applied[1]);
    } finally {
      await connection.end();
    }
  });
});
