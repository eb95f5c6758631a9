import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Cluster } from 'ioredis';
import type { Response } from 'supertest';
import { API, bearer, expectUnavailable, GOOD_PASSWORD, register, uniqueName } from '../helpers/auth-client.js';
import { startRedisCluster, type TestRedisCluster } from '../helpers/redis-cluster.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;

/** Polls `probe` until `done` holds, for at most `ms`: the last answer is returned either way. */
async function pollUntil(probe: () => Promise<Response>, done: (res: Response) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let res = await probe();
  while (!done(res) && Date.now() < deadline) {
    await sleep(50);
    res = await probe();
  }
  return res;
}

const login = (t: TestApp, username: string, password = GOOD_PASSWORD) =>
  t.http().post(`${API}/auth/login`).send({ username, password });
const me = (t: TestApp, token: string) => t.http().get(`${API}/users/me`).set(bearer(token));

function expectRateLimited(res: Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ code: 429, msg: expect.any(String), error: 'RATE_LIMITED', data: null });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

/**
 * SPEC §18 / issue 24.9: the shared state on a Redis Cluster of three masters (no replicas) made from Debian's
 * redis-server. A reaches it through a redis-cluster:// REDIS_URL, B through REDIS_CLUSTER_NODES; both share MariaDB.
 * The cases of test/mysql-only/multi-instance.e2e-spec.ts that need Redis run here on the cluster, then a master is
 * killed with SIGKILL mid-run.
 */
describe('two instances on a three-master Redis Cluster (SPEC §18)', () => {
  let db: TestDatabase;
  let cluster: TestRedisCluster;
  let a: TestApp;
  let b: TestApp;
  const prefix = `gatehouse-test:${process.pid}:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    db = await createTestDatabase();
    cluster = await startRedisCluster();
    const shared = {
      REDIS_PREFIX: prefix,
      THROTTLE_LOGIN_ACCOUNT_IP_MAX: '5',
      THROTTLE_REFRESH_MAX: '4',
      THROTTLE_REFRESH_WINDOW: '1m',
      // The rate-limit case sends its own X-Forwarded-For, so its per-IP counter is its alone.
      TRUST_PROXY: 'loopback',
    };
    // One after the other: the first runs the migrations, the second finds them applied.
    a = await createTestApp({ ...shared, REDIS_URL: cluster.url }, { database: db });
    await a.app.listen(0, '127.0.0.1');
    b = await createTestApp({ ...shared, REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodes }, { database: db });
    await b.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cluster?.stop();
    await db?.drop();
  });

  /**
   * A rename on A reaches B's profile cache through the cluster's pub/sub. B's clock is held at the moment it cached
   * the profile, so the copy never ages out (SPEC §10's one-second TTL): only the message can drop it.
   */
  async function expectFeedHeard(): Promise<void> {
    const user = await register(a);
    expect((await me(b, user.access_token)).body.data.name).toBe(user.username);
    const cachedAt = b.clock.now();
    const hold = () => b.clock.advance(cachedAt - b.clock.now());
    const name = `Renamed ${randomBytes(3).toString('hex')}`;
    expect((await a.http().patch(`${API}/users/me`).set(bearer(user.access_token)).send({ name })).status).toBe(200);
    const res = await pollUntil(
      () => (hold(), me(b, user.access_token)),
      (r) => r.body.data?.name === name,
      1000,
    );
    expect(res.body.data.name).toBe(name);
  }

  it('refuses on B, within a second, a session logged out on A, and announces it on the revocations channel', async () => {
    const user = await register(a);
    expect((await me(b, user.access_token)).status).toBe(200);
    const listener = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
    try {
      const heard = new Promise<string>((resolve) => listener.once('message', (_channel, message) => resolve(message)));
      await listener.subscribe(`${prefix}revocations`);
      expect((await a.http().post(`${API}/auth/logout`).set(bearer(user.access_token))).status).toBe(200);
      const res = await pollUntil(
        () => me(b, user.access_token),
        (r) => r.status === 401,
        1000,
      );
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('TOKEN_REVOKED');
      expect(JSON.parse(await heard)).toMatchObject({ ids: [sidOf(user.access_token)] });
    } finally {
      await listener.quit();
    }
  });

  it('drops B’s cached profile when A announces a rename on the change feed, B’s clock held still', async () => {
    await expectFeedHeard();
  });

  it('locks out an account failed on both instances, on both, until the lockout has passed on the clock', async () => {
    const user = await register(a);
    for (let i = 0; i < 5; i++) {
      const res = await login(i % 2 === 0 ? a : b, user.username, 'Wrong-Password-1');
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('INVALID_CREDENTIALS');
    }
    for (const t of [a, b]) {
      expectRateLimited(await login(t, user.username));
    }
    expect((await cluster.keys(prefix)).some((key) => key.startsWith(`${prefix}throttle:login_account_ip:`))).toBe(
      true,
    );
    for (const t of [a, b]) {
      t.clock.advance(61_000);
    }
    expect((await login(b, user.username)).status).toBe(200);
  });

  it('shares one refresh budget per IP between the instances, and opens a new window on the clock', async () => {
    const ip = { 'X-Forwarded-For': '203.0.113.24' };
    // expectFeedHeard held B's clock still, so B runs behind A: a window A opened would read a second longer on B.
    b.clock.advance(a.clock.now() - b.clock.now());
    let { refresh_token } = await register(a);
    const refresh = (t: TestApp) => t.http().post(`${API}/auth/refresh`).set(ip).send({ refresh_token });
    for (let i = 0; i < 4; i++) {
      const res = await refresh(i % 2 === 0 ? a : b);
      expect(res.status).toBe(200);
      refresh_token = res.body.data.refresh_token as string;
    }
    for (const t of [a, b]) {
      const res = await refresh(t);
      expectRateLimited(res);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    for (const t of [a, b]) {
      t.clock.advance(60_000);
    }
    expect((await refresh(b)).status).toBe(200);
  });

  it('fails closed while a master is killed, and recovers once it is restarted on its port and nodes.conf', async () => {
    const user = await register(a);
    // A wrong password leaves this IP's failure counter behind: the master that holds it is the one to kill.
    expect((await login(a, user.username, 'Wrong-Password-1')).status).toBe(401);
    const counter = (await cluster.keys(prefix)).find((key) => key.startsWith(`${prefix}throttle:login_ip:`));
    expect(counter).toBeDefined();
    const victim = await cluster.ownerOf(counter!);
    await cluster.kill(victim);
    try {
      // Before the others notice: a login whose counter lived there is refused, a wrong password is not checked.
      expectUnavailable(await login(a, user.username));
      expectUnavailable(await login(b, user.username, 'Wrong-Password-1'));

      // Once the cluster reports the master failed, no slot is served: every counter refuses, nothing is let through.
      await cluster.waitForState('fail');
      const username = uniqueName('down');
      expectUnavailable(await b.http().post(`${API}/auth/register`).send({ username, password: GOOD_PASSWORD }));
      const [row] = await a.dataSource.query('SELECT COUNT(*) AS n FROM users WHERE username_normalized = ?', [
        username.toLowerCase(),
      ]);
      expect(Number(row.n)).toBe(0);
      expectUnavailable(await a.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token }));
      expectUnavailable(await a.http().get('/health/ready'));
      expect((await b.http().get('/health/live')).status).toBe(200);
    } finally {
      await cluster.restart(victim);
    }

    // Back without restarting either instance: logins, readiness, and counters shared by both.
    expect(
      (
        await pollUntil(
          () => login(b, user.username),
          (r) => r.status === 200,
          10_000,
        )
      ).status,
    ).toBe(200);
    for (const t of [a, b]) {
      expect(
        (
          await pollUntil(
            () => t.http().get('/health/ready'),
            (r) => r.status === 200,
            10_000,
          )
        ).status,
      ).toBe(200);
    }
    // B's subscriber, whichever node it listened on, hears the change feed again.
    await expectFeedHeard();
    const other = await register(b);
    for (let i = 0; i < 5; i++) {
      expect((await login(i % 2 === 0 ? a : b, other.username, 'Wrong-Password-1')).status).toBe(401);
    }
    for (const t of [a, b]) {
      expectRateLimited(await login(t, other.username));
    }
  });
});
