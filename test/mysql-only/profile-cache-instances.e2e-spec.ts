import type { Response } from 'supertest';
import { API, bearer, register } from '../helpers/auth-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { createTestRedis, type TestRedis } from '../helpers/test-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads until `done` holds, for at most `ms` (SPEC §10's bound): the last answer is returned either way. */
async function readUntil(probe: () => Promise<Response>, done: (res: Response) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let res = await probe();
  while (!done(res) && Date.now() < deadline) {
    await sleep(20);
    res = await probe();
  }
  return res;
}

/**
 * SPEC §10: a profile cached on one instance is at most one second stale after a write on another. A and B share
 * MariaDB and Redis (the change feed); C shares only the database, as an instance whose feed is down.
 */
describe('the profile cache across instances (SPEC §10)', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let c: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    const feed = redis.env;
    const instances: TestApp[] = [];
    // One after the other: the first runs the migrations, the others find them applied.
    for (const env of [feed, feed, {}]) {
      const t = await createTestApp(env, { database: db });
      await t.app.listen(0, '127.0.0.1');
      instances.push(t);
    }
    [a, b, c] = instances;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await c?.close();
    await redis?.drop();
    await db?.drop();
  });

  const me = (t: TestApp, token: string) => t.http().get(`${API}/users/me`).set(bearer(token));
  const rename = (t: TestApp, token: string, name: string) =>
    t.http().patch(`${API}/users/me`).set(bearer(token)).send({ name });

  it('drops B’s copy when A announces a rename on the change feed', async () => {
    const user = await register(a);
    expect((await me(b, user.access_token)).body.data.name).toBe(user.username);
    expect((await me(b, user.access_token)).body.data.name).toBe(user.username);
    const listener = await redis.listen('users');
    try {
      expect((await rename(a, user.access_token, 'Renamed on A')).status).toBe(200);
      expect(JSON.parse(await listener.heard)).toEqual({ ids: [user.userInfo.id] });
      const res = await readUntil(
        () => me(b, user.access_token),
        (r) => r.body.data?.name === 'Renamed on A',
        1000,
      );
      expect(res.body.data.name).toBe('Renamed on A');
      // And never stale on the writer.
      expect((await me(a, user.access_token)).body.data.name).toBe('Renamed on A');
    } finally {
      await listener.close();
    }
  });

  it('serves a rename made on A to C, which hears no feed, once its clock is one second on', async () => {
    const user = await register(a);
    expect((await me(c, user.access_token)).body.data.name).toBe(user.username);
    expect((await rename(a, user.access_token, 'Renamed while the feed is down')).status).toBe(200);
    c.clock.advance(1000);
    expect((await me(c, user.access_token)).body.data.name).toBe('Renamed while the feed is down');
  });
});
