import type { Response } from 'supertest';
import { API, bearer, expectUnavailable, GOOD_PASSWORD, register, uniqueName } from '../helpers/auth-client.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

/** SPEC §10: a database outage answers 503 with Retry-After, fails readiness, and heals without a restart. */
describe('database outage', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let username: string;
  let accessToken: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const server = new URL(process.env.TEST_MYSQL_URL!);
    proxy = await startTcpProxy(server.hostname, Number(server.port || 3306));
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await createTestApp({ DATABASE_URL: viaProxy.toString() });
    const user = await register(t, { username: uniqueName('outage') });
    username = user.username;
    accessToken = user.access_token;
  });
  afterAll(async () => {
    await t.close();
    await proxy.close();
    await db.drop();
  });

  describe('while the database is unreachable', () => {
    beforeAll(async () => {
      await proxy.cut();
    });

    it('answers login with 503 and no token', async () => {
      const res = await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
      expectUnavailable(res);
    });

    it('answers register with 503', async () => {
      const res = await t
        .http()
        .post(`${API}/auth/register`)
        .send({ username: uniqueName('outage'), password: GOOD_PASSWORD });
      expectUnavailable(res);
    });

    it('answers a profile read with 503 although the access token is valid', async () => {
      const res = await t.http().get(`${API}/users/me`).set(bearer(accessToken));
      expectUnavailable(res);
    });

    it('fails readiness while liveness stays up', async () => {
      const ready = await t.http().get('/health/ready');
      expectUnavailable(ready);
      const live = await t.http().get('/health/live');
      expect(live.status).toBe(200);
    });

    it('still serves /metrics', async () => {
      const res = await t.http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toContain('gatehouse_hash_queue_depth');
    });
  });

  describe('when the database returns', () => {
    beforeAll(async () => {
      await proxy.restore();
    });

    it('serves login, profile and readiness again without a restart', async () => {
      let login: Response | undefined;
      for (let attempt = 0; attempt < 40; attempt++) {
        login = await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
        if (login.status !== 503) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(login?.status).toBe(200);
      expect(typeof login?.body.data.access_token).toBe('string');
      const me = await t
        .http()
        .get(`${API}/users/me`)
        .set(bearer(login?.body.data.access_token as string));
      expect(me.status).toBe(200);
      expect(me.body.data.username).toBe(username);
      const ready = await t.http().get('/health/ready');
      expect(ready.status).toBe(200);
    });
  });
});
