import type { Response } from 'supertest';
import { API, bearer, register } from '../helpers/auth-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/**
 * SPEC §5: a revocation reaches every instance within a second whatever their clocks. No Redis here, so
 * the only path between the instances is the database poll.
 */
describe('revocation between instances whose clocks disagree', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One after the other: the first runs the migrations.
    a = await createTestApp({}, { database: db });
    b = await createTestApp({}, { database: db });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const me = (t: TestApp, token: string) => t.http().get(`${API}/users/me`).set(bearer(token));

  it('refuses on B within a second a logout made on A, whose clock is 10 s behind', async () => {
    a.clock.advance(-10_000);
    try {
      const user = await register(a);
      expect((await me(b, user.access_token)).status).toBe(200);
      expect((await a.http().post(`${API}/auth/logout`).set(bearer(user.access_token))).status).toBe(200);
      const res = await pollUntil(() => me(b, user.access_token), 401, 1000);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 401, error: 'TOKEN_REVOKED', data: null });
    } finally {
      a.clock.advance(10_000);
    }
  });

  it('refuses on A within a second a logout made on B, whose clock is 10 s ahead', async () => {
    b.clock.advance(10_000);
    try {
      const user = await register(b);
      expect((await me(a, user.access_token)).status).toBe(200);
      expect((await b.http().post(`${API}/auth/logout`).set(bearer(user.access_token))).status).toBe(200);
      const res = await pollUntil(() => me(a, user.access_token), 401, 1000);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('TOKEN_REVOKED');
    } finally {
      b.clock.advance(-10_000);
    }
  });
});
