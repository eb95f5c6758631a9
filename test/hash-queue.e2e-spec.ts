import type { HashQueue } from '#src/passwords/hash-queue.js';
import { PasswordService } from '#src/passwords/password.service.js';
import { API, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, FULL_HASH_QUEUE, type TestApp } from './helpers/test-app.js';

/** SPEC §6: hashing beyond HASH_CONCURRENCY + HASH_QUEUE_MAX answers 503 with Retry-After, never 500. */
describe('a full password-hashing queue', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(FULL_HASH_QUEUE);
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (body: object) => t.http().post(`${API}/auth/login`).send(body);

  it('answers concurrent logins beyond the queue with 503 SERVICE_UNAVAILABLE and Retry-After', async () => {
    const { username } = await register(t);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        // Half of them for accounts that do not exist: the dummy verify is queued like a real one.
        login(
          i % 2 === 0
            ? { username, password: GOOD_PASSWORD }
            : { username: uniqueName('ghost'), password: GOOD_PASSWORD },
        ),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses).not.toContain(500);
    // The right password is either served (200 with tokens) or refused by the full queue (503), never a 401.
    answers.forEach((res, i) => {
      if (i % 2 === 0) {
        expect([200, 503]).toContain(res.status);
        if (res.status === 200) {
          expect(res.body.data).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String) });
        }
      } else {
        expect([401, 503]).toContain(res.status);
        if (res.status === 401) {
          expect(res.body.error).toBe('INVALID_CREDENTIALS');
        }
      }
    });
    const refused = answers.filter((res) => res.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const res of refused) {
      expect(res.body).toEqual({ code: 503, msg: expect.any(String), error: 'SERVICE_UNAVAILABLE', data: null });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('serves logins again once the queue has drained, unknown accounts included', async () => {
    const { username } = await register(t);
    const ok = await login({ username, password: GOOD_PASSWORD });
    expect(ok.status).toBe(200);
    const unknown = await login({ username: uniqueName('ghost'), password: GOOD_PASSWORD });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('INVALID_CREDENTIALS');
  });

  it('answers concurrent registrations beyond the queue with 503 and creates no user for them', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        t
          .http()
          .post(`${API}/auth/register`)
          .send({ username: uniqueName('burst'), password: GOOD_PASSWORD }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses).not.toContain(500);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(1);
    const [row] = await t.dataSource.query("SELECT COUNT(*) AS n FROM users WHERE username LIKE 'burst%'");
    expect(Number(row.n)).toBe(statuses.filter((status) => status === 201).length);
  });

  it('refuses a login or registration with 503 before reading its body while the queue is full', async () => {
    const { username } = await register(t);
    // The one slot (HASH_CONCURRENCY=1, HASH_QUEUE_MAX=0) is held by a job that ends only when the test says so.
    const queue = t.app.get<PasswordService, { queue: HashQueue }>(PasswordService).queue;
    let release!: () => void;
    const held = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      // An invalid body is not validated first: the refusal comes before any work on it.
      const invalid = await login({ username: 'x' });
      expect(invalid.status).toBe(503);
      expect(invalid.body).toEqual({ code: 503, msg: expect.any(String), error: 'SERVICE_UNAVAILABLE', data: null });
      expect(invalid.headers['retry-after']).toBe('1');
      expect(invalid.headers['x-request-id']).toBeDefined();

      // In the caller's language, like every other error.
      const zh = await t
        .http()
        .post(`${API}/auth/login`)
        .set('accept-language', 'zh-CN')
        .send({ username, password: 'wrong' });
      expect(zh.status).toBe(503);
      expect(zh.body.msg).not.toBe(invalid.body.msg);

      const ghost = uniqueName('ghost');
      const unknown = await login({ username: ghost, password: GOOD_PASSWORD });
      expect(unknown.status).toBe(503);
      const registration = await t
        .http()
        .post(`${API}/auth/register`)
        .send({ username: uniqueName('late'), password: GOOD_PASSWORD });
      expect(registration.status).toBe(503);

      // Nothing was looked up or recorded for the refused attempts.
      const [row] = await t.dataSource.query(
        'SELECT COUNT(*) AS n FROM audit_events WHERE identifier IN (?, ?) AND type <> ?',
        [username, ghost, 'register'],
      );
      expect(Number(row.n)).toBe(0);
    } finally {
      release();
      await held;
    }
    // A refusal left no throttle count behind: the right password logs in at once.
    const ok = await login({ username, password: GOOD_PASSWORD });
    expect(ok.status).toBe(200);
  });
});
