import { API, GOOD_PASSWORD, register } from '../helpers/auth-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { createTestRedis, type TestRedis } from '../helpers/test-redis.js';

/** SPEC §7 with REDIS_URL: the account+IP gate is one budget for every instance, exact under concurrency. */
describe('login throttling shared through Redis by two instances', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    const env = {
      ...redis.env,
      TRUST_PROXY: '',
      THROTTLE_LOGIN_ACCOUNT_IP_MAX: '',
    };
    a = await createTestApp(env, { database: db });
    b = await createTestApp(env, { database: db });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.drop();
    await db?.drop();
  });

  const login = (t: TestApp, username: string, password: string) =>
    t.http().post(`${API}/auth/login`).send({ username, password });

  it('lets 16 right logins sent at once over both instances all in', async () => {
    const user = await register(a);
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => login(i % 2 ? a : b, user.username, GOOD_PASSWORD)),
    );
    expect(answers.map((res) => res.status)).toEqual(Array(16).fill(200));
  });

  it('checks exactly 5 of 20 wrong passwords sent at once over both instances', async () => {
    const user = await register(a);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(i % 2 ? a : b, user.username, 'wrong-pass-77')),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const [row] = await a.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_events WHERE type = 'login_failure' AND reason = 'wrong_password' AND user_id = ?",
      [user.userInfo.id],
    );
    expect(Number(row.n)).toBe(5);
    const locked = await login(b, user.username, GOOD_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});
