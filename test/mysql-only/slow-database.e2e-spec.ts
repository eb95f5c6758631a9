import { API, bearer, expectUnavailable, GOOD_PASSWORD, register, uniqueName } from '../helpers/auth-client.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** SPEC §10: past DATABASE_QUERY_TIMEOUT a request answers 503 with Retry-After instead of hanging. */
describe('a slow database', () => {
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
    t = await createTestApp({ DATABASE_URL: viaProxy.toString(), DATABASE_QUERY_TIMEOUT: '1s' });
  });
  afterAll(async () => {
    await t.close();
    await proxy.close();
    await db.drop();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while each answer takes 2 s, and serves again after', async () => {
    const user = await register(t, { username: uniqueName('slow') });
    proxy.setLatency(2000);
    try {
      expectUnavailable(await login(user.username));
      expectUnavailable(await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token }));
      expectUnavailable(
        await t
          .http()
          .post(`${API}/auth/register`)
          .send({ username: uniqueName('slow'), password: GOOD_PASSWORD }),
      );
    } finally {
      proxy.setLatency(0);
    }
    const res = await login(user.username);
    expect(res.status).toBe(200);
    const me = await t
      .http()
      .get(`${API}/users/me`)
      .set(bearer(res.body.data.access_token as string));
    expect(me.status).toBe(200);
    // The refused registration left no row behind, and the refused refresh did not rotate the session.
    const refresh = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token });
    expect(refresh.status).toBe(200);
  });
});
