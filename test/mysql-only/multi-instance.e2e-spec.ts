import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import { API, bearer, GOOD_PASSWORD, register, uniqueName, type Tokens } from '../helpers/auth-client.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { createTestRedis, TEST_REDIS_URL, type TestRedis } from '../helpers/test-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;
// Wide enough that 8 concurrent refreshes on a loaded machine all land inside it: leaving it is a clock move.
const REFRESH_REUSE_GRACE_S = 10;

/** Two instances on loopback ports, one database, one Redis prefix: the deployment of SPEC §10. */
async function startInstances(
  db: TestDatabase,
  redisUrl: string,
  prefix: string,
  overrides: Record<string, string> = {},
): Promise<[TestApp, TestApp]> {
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, ...overrides };
  const instances: TestApp[] = [];
  // One after the other: the first runs the migrations, the second finds them applied.
  for (let i = 0; i < 2; i++) {
    const t = await createTestApp(env, { database: db });
    await t.app.listen(0, '127.0.0.1');
    instances.push(t);
  }
  return [instances[0], instances[1]];
}

/** Polls `probe` until it answers `status`, for at most `ms`: the last answer is returned either way. */
async function pollUntil(probe: () => Promise<Response>, status: number, ms: number): Promise<Response> {
  const deadline = Date.now() + ms;
  let res = await probe();
  while (res.status !== status && Date.now() < deadline) {
    await sleep(50);
    res = await probe();
  }
  return res;
}

const login = (t: TestApp, username: string, password = GOOD_PASSWORD) =>
  t.http().post(`${API}/auth/login`).send({ username, password });

async function createAdmin(t: TestApp): Promise<Tokens> {
  const user = await register(t);
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
  return (await login(t, user.username)).body.data as Tokens;
}

describe('several instances behind a load balancer (SPEC §10)', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    [a, b] = await startInstances(db, redis.url, redis.prefix, {
      THROTTLE_LOGIN_ACCOUNT_IP_MAX: '5',
      REFRESH_REUSE_GRACE: `${REFRESH_REUSE_GRACE_S}s`,
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.drop();
    await db?.drop();
  });

  it('lets an account registered on one instance log in on the other', async () => {
    const user = await register(a);
    const res = await login(b, user.username);
    expect(res.status).toBe(200);
    const me = await a
      .http()
      .get(`${API}/users/me`)
      .set(bearer(res.body.data.access_token as string));
    expect(me.status).toBe(200);
    expect(me.body.data.username).toBe(user.username);
  });

  it('refuses on B, within a second, a session logged out on A, and announces it on the revocations channel', async () => {
    const user = await register(a);
    expect((await b.http().get(`${API}/users/me`).set(bearer(user.access_token))).status).toBe(200);
    const listener = await redis.listen('revocations');
    try {
      const logout = await a.http().post(`${API}/auth/logout`).set(bearer(user.access_token));
      expect(logout.status).toBe(200);
      const me = await pollUntil(() => b.http().get(`${API}/users/me`).set(bearer(user.access_token)), 401, 1000);
      expect(me.status).toBe(401);
      expect(me.body.error).toBe('TOKEN_REVOKED');
      expect(JSON.parse(await listener.heard)).toMatchObject({ ids: [sidOf(user.access_token)] });
    } finally {
      await listener.close();
    }
  });

  it('counts failed logins for one account and IP across both instances, and an unlock on either lifts it', async () => {
    const user = await register(a);
    for (let i = 0; i < 5; i++) {
      const res = await login(i % 2 === 0 ? a : b, user.username, 'Wrong-Password-1');
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('INVALID_CREDENTIALS');
    }
    for (const t of [a, b]) {
      const res = await login(t, user.username);
      expect(res.status).toBe(429);
      expect(res.body.error).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await redis.keys()).some((key) => key.startsWith(`${redis.prefix}throttle:login_account_ip:`))).toBe(true);

    const admin = await createAdmin(a);
    const unlock = await b.http().post(`${API}/admin/users/${user.userInfo.id}/unlock`).set(bearer(admin.access_token));
    expect(unlock.status).toBe(200);
    expect((await login(a, user.username)).status).toBe(200);
  });

  it('gives 8 refreshes spread over both instances one successor, and catches a reuse on the other', async () => {
    const user = await register(a);
    const sid = sidOf(user.refresh_token);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? a : b).http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token }),
      ),
    );
    expect(answers.map((res) => res.status)).toEqual(Array(8).fill(200));
    const issued = new Set(answers.map((res) => res.body.data.refresh_token as string));
    expect(issued.size).toBe(1);
    const [row] = await a.dataSource.query('SELECT COUNT(*) AS n FROM refresh_tokens WHERE session_id = ?', [sid]);
    expect(Number(row.n)).toBe(2);

    // Past the grace window on both instances, so they keep sharing one time as real servers would.
    for (const t of [a, b]) {
      t.clock.advance((REFRESH_REUSE_GRACE_S + 1) * 1000);
    }
    const reuse = await b.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toEqual({ code: 401, msg: expect.any(String), error: 'REFRESH_TOKEN_REUSED', data: null });
    const newest = answers[0].body.data.access_token as string;
    const me = await pollUntil(() => a.http().get(`${API}/users/me`).set(bearer(newest)), 401, 1000);
    expect(me.body.error).toBe('TOKEN_REVOKED');
  });

  it('lets exactly one of 16 registrations of one name racing over both instances win', async () => {
    const username = uniqueName('race');
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 === 0 ? a : b).http().post(`${API}/auth/register`).send({ username, password: GOOD_PASSWORD }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    const losers = answers.filter((res) => res.status !== 201);
    expect(losers).toHaveLength(15);
    for (const res of losers) {
      expect(res.body).toEqual({ code: 409, msg: expect.any(String), error: 'USERNAME_TAKEN', data: null });
    }
    const [row] = await b.dataSource.query('SELECT COUNT(*) AS n FROM users WHERE username_normalized = ?', [
      username.toLowerCase(),
    ]);
    expect(Number(row.n)).toBe(1);
  });
});

describe('when Redis goes down', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let proxy: TcpProxy;
  let a: TestApp;
  let b: TestApp;
  let user: Tokens & { username: string };

  const expectUnavailable = (res: Response) => {
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ code: 503, msg: expect.any(String), error: 'SERVICE_UNAVAILABLE', data: null });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    const server = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy(server.hostname, Number(server.port || 6379));
    const viaProxy = new URL(TEST_REDIS_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    [a, b] = await startInstances(db, viaProxy.toString(), redis.prefix);
    user = await register(a);
  });
  // Each test starts with Redis away (cut() is idempotent), so none depends on running before the one that restores it.
  beforeEach(async () => {
    await proxy.cut();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.close();
    await redis?.drop();
    await db?.drop();
  });

  it('refuses login, register and refresh with 503 rather than let them through unthrottled', async () => {
    expectUnavailable(await login(a, user.username));
    expectUnavailable(
      await b
        .http()
        .post(`${API}/auth/register`)
        .send({ username: uniqueName('down'), password: GOOD_PASSWORD }),
    );
    expectUnavailable(await a.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token }));
  });

  it('fails readiness while liveness stays up', async () => {
    const ready = await a.http().get('/health/ready');
    expectUnavailable(ready);
    expect((await a.http().get('/health/live')).status).toBe(200);
  });

  it('keeps serving authenticated requests, and spreads a logout through the database within a second', async () => {
    const me = await b.http().get(`${API}/users/me`).set(bearer(user.access_token));
    expect(me.status).toBe(200);
    expect(me.body.data.username).toBe(user.username);
    expect((await a.http().post(`${API}/auth/logout`).set(bearer(user.access_token))).status).toBe(200);
    const after = await pollUntil(() => b.http().get(`${API}/users/me`).set(bearer(user.access_token)), 401, 1000);
    expect(after.body.error).toBe('TOKEN_REVOKED');
  });

  it('serves logins and readiness again once Redis returns, without a restart', async () => {
    await proxy.restore();
    const res = await pollUntil(() => login(b, user.username), 200, 10_000);
    expect(res.status).toBe(200);
    expect((await pollUntil(() => a.http().get('/health/ready'), 200, 10_000)).status).toBe(200);
  });
});
