import { AppException } from '#src/common/app.exception.js';
import type { RequestContext } from '#src/common/request-context.js';
import { ThrottlingService } from '#src/throttling/throttling.service.js';
import { CodeLimitsService } from '#src/verification/code-limits.service.js';
import { API, GOOD_PASSWORD, register } from '../helpers/auth-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { createTestRedis, type TestRedis } from '../helpers/test-redis.js';

const FLOOD = 50_000;
/** Requests in flight at once: enough to keep Redis busy, few enough to stay cheap on two cores. */
const BATCH = 250;
const VICTIM_IPS = ['10.70.0.1', '10.70.0.2', '10.70.0.3'];

const ctx = (ip: string): RequestContext => ({ ip, userAgent: null, deviceId: null, deviceName: null });

/** Runs `count` calls of `job`, BATCH at a time; answers how each ended (a status, or 'ok'). */
async function flood(count: number, job: (i: number) => Promise<unknown>): Promise<Map<string, number>> {
  const outcomes = new Map<string, number>();
  for (let start = 0; start < count; start += BATCH) {
    const settled = await Promise.allSettled(
      Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => job(start + k)),
    );
    for (const s of settled) {
      const key = s.status === 'fulfilled' ? 'ok' : String((s.reason as AppException).status ?? 'error');
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  }
  return outcomes;
}

/**
 * SPEC §7: no flood can make a live security counter be forgotten. The account ceiling (3 failures from all IPs here)
 * is reached, 50,000 junk requests follow, and the right password is still refused; through Redis the junk leaves a
 * bounded number of keys (refused requests create none).
 */
describe.each([
  ['memory', false],
  ['Redis', true],
])('the per-account ceiling under a flood of junk requests (%s store)', (_name, useRedis) => {
  let db: TestDatabase;
  let redis: TestRedis | undefined;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = useRedis ? createTestRedis() : undefined;
    t = await createTestApp(
      {
        ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix } : {}),
        TRUST_PROXY: 'loopback',
        THROTTLE_MEMORY_MAX_KEYS: '1000',
        THROTTLE_LOGIN_ACCOUNT_MAX: '3',
        // Back to the defaults (30 failed logins a minute per IP, 20 code requests an hour per /64).
        THROTTLE_LOGIN_IP_MAX: '',
      },
      { database: db },
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await redis?.drop();
    await db?.drop();
  });

  const login = (username: string, password: string, ip: string) =>
    t.http().post(`${API}/auth/login`).set('X-Forwarded-For', ip).send({ username, password });

  it('still refuses the account after 50,000 junk code requests and logins from one /64', async () => {
    const victim = await register(t);
    for (const ip of VICTIM_IPS) {
      expect((await login(victim.username, 'wrong-pass-77', ip)).body).toMatchObject({ code: 401 });
    }
    expect((await login(victim.username, GOOD_PASSWORD, VICTIM_IPS[0])).status).toBe(429);
    const keysBefore = (await redis?.keys())?.length ?? 0;

    const throttling = t.app.get(ThrottlingService);
    const limits = t.app.get(CodeLimitsService);
    const outcomes = await flood(FLOOD, async (i) => {
      // Each junk request comes from a new address in the attacker's /64 and names a new destination or username.
      const ip = `2001:db8:66:1:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;
      if (i % 2 === 0) {
        return limits.consume(`+8613${String(i).padStart(9, '0')}`, ip);
      }
      const attempt = await throttling.reserveLogin({ userId: null, identifier: { username: `junk${i}` } }, ctx(ip));
      await throttling.loginFailed(attempt, ctx(ip));
    });
    // The /64's budgets were spent at once; everything after was refused.
    expect(outcomes.get('ok')).toBeLessThanOrEqual(20 + 30);
    expect(outcomes.get('429')).toBeGreaterThanOrEqual(FLOOD - 50);

    expect((await login(victim.username, GOOD_PASSWORD, VICTIM_IPS[0])).status).toBe(429);
    if (redis) {
      // Two keys per accepted code request, three per accepted login, two per-IP counters: bounded by the budgets.
      expect((await redis.keys()).length - keysBefore).toBeLessThanOrEqual(20 * 2 + 30 * 3 + 2);
    }
  }, 600_000);

  it('still refuses the account when junk from many IPs fills the in-memory store: new keys are refused', async () => {
    const victim = await register(t);
    for (const ip of VICTIM_IPS) {
      expect((await login(victim.username, 'wrong-pass-77', ip)).body).toMatchObject({ code: 401 });
    }
    const throttling = t.app.get(ThrottlingService);
    // A different IPv4 address for each junk login: each passes the per-IP limit and creates account counters.
    const outcomes = await flood(useRedis ? 2_000 : 5_000, async (i) => {
      const ip = `10.${80 + (i >> 16)}.${(i >> 8) & 0xff}.${i & 0xff}`;
      const attempt = await throttling.reserveLogin({ userId: null, identifier: { username: `many${i}` } }, ctx(ip));
      await throttling.loginFailed(attempt, ctx(ip));
    });
    if (!useRedis) {
      // THROTTLE_MEMORY_MAX_KEYS live security counters, then 503 rather than forgetting one.
      expect(outcomes.get('503')).toBeGreaterThan(0);
    }
    const res = await login(victim.username, GOOD_PASSWORD, VICTIM_IPS[1]);
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('RATE_LIMITED');
  }, 600_000);
});
