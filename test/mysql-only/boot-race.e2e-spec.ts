import { Logger } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';
import { vi } from 'vitest';
import { migrationLockName } from '#src/database/run-migrations.js';
import { API, GOOD_PASSWORD, register } from '../helpers/auth-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** Nest's TypeORM module logs each failed start it retries: a start that waited its turn logs none. */
function retriedStarts() {
  const errors = vi.spyOn(Logger.prototype, 'error');
  return {
    messages: () => errors.mock.calls.map(([message]) => String(message)).filter((m) => /connect|retry/i.test(m)),
    restore: () => errors.mockRestore(),
  };
}

describe('instances starting together on an empty database', () => {
  let db: TestDatabase;
  let instances: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(instances.map((t) => t.close()));
    await db.drop();
  });

  it('apply each migration once, and none of them has to retry its start', async () => {
    const retries = retriedStarts();
    try {
      instances = await Promise.all([0, 1, 2].map(() => createTestApp({}, { database: db })));
      expect(retries.messages()).toEqual([]);
    } finally {
      retries.restore();
    }
    const applied = await instances[0].dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    const names = applied.map((row) => row.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(instances[0].dataSource.migrations.length);
    const user = await register(instances[1]);
    const login = await instances[2]
      .http()
      .post(`${API}/auth/login`)
      .send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
  });
});

describe('an instance starting while another one migrates', () => {
  /** The shortest DATABASE_QUERY_TIMEOUT: the wait for the lock must outlast it. */
  const QUERY_TIMEOUT_MS = 1000;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('waits for the lock past the query timeout, then migrates and starts without a retry', async () => {
    const holder = await createConnection(process.env.TEST_MYSQL_URL!);
    const name = new URL(db.url).pathname.slice(1);
    const lock = migrationLockName(name);
    await holder.query('SELECT GET_LOCK(?, 0)', [lock]);
    const retries = retriedStarts();
    try {
      const starting = createTestApp({ DATABASE_QUERY_TIMEOUT: '1s' }, { database: db });
      // Real time, not the app's clock: the bound being tested is mysql2's socket timer. Release only once the
      // instance is seen waiting on the server, and it has waited longer than one query may take.
      for (let waiting = 0; waiting === 0;) {
        const [rows] = await holder.query(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE STATE = 'User lock'",
        );
        waiting = Number((rows as { n: number }[])[0].n);
      }
      await new Promise((resolve) => setTimeout(resolve, QUERY_TIMEOUT_MS + 500));
      await holder.query('SELECT RELEASE_LOCK(?)', [lock]);
      const t = await starting;
      try {
        expect(retries.messages()).toEqual([]);
        expect((await t.http().get('/health/ready')).status).toBe(200);
      } finally {
        await t.close();
      }
    } finally {
      retries.restore();
      await holder.end();
    }
  });
});
