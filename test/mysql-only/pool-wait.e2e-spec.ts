import type { Pool } from 'mysql2';
import { vi } from 'vitest';
import { API, expectUnavailable, GOOD_PASSWORD, register } from '../helpers/auth-client.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** mysql2's pool, to see that no request is still queued for a connection once the database answers again. */
type PoolState = Pool & { _connectionQueue: { length: number } };

/**
 * SPEC §10: waiting for a pooled connection is bounded by DATABASE_QUERY_TIMEOUT too. Before the bound, requests
 * queued behind a stalled pool waited for mysql2's connect timeout pair by pair: the last of 50 answered after
 * minutes.
 */
describe('requests queued behind a stalled connection pool', () => {
  const BUDGET_MS = 1000;
  /** Generous: the machine is shared; without the bound the later requests take tens of seconds. */
  const MARGIN_MS = 4000;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  const login = (username: string) => t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });

  beforeAll(async () => {
    db = await createTestDatabase();
    const server = new URL(process.env.TEST_MYSQL_URL!);
    proxy = await startTcpProxy(server.hostname, Number(server.port || 3306));
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await createTestApp({
      DATABASE_URL: viaProxy.toString(),
      DATABASE_QUERY_TIMEOUT: `${BUDGET_MS / 1000}s`,
      DATABASE_POOL_SIZE: '2',
    });
  });
  afterAll(async () => {
    proxy.resume();
    await t.close();
    await proxy.close();
    await db.drop();
  });

  it('each answer 503 with Retry-After within the query timeout, and none is left waiting after', async () => {
    const user = await register(t);
    proxy.stall();
    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const started = Date.now();
        const res = await login(user.username);
        return { res, ms: Date.now() - started };
      }),
    ).finally(() => proxy.resume());
    for (const { res, ms } of answers) {
      expectUnavailable(res);
      expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
    }
    // Nothing stays queued for a connection (the app's own writes after a failure wait their budget too), though the
    // database has not answered yet.
    const pool = (t.dataSource.driver as unknown as { pool: PoolState }).pool;
    await vi.waitFor(() => expect(pool._connectionQueue.length).toBe(0), { timeout: BUDGET_MS + MARGIN_MS });
    // Once it answers again, so does the app.
    await vi.waitFor(async () => expect((await login(user.username)).status).toBe(200));
  });
});
