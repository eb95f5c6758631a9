import type { Response } from 'supertest';
import { API, register } from './helpers/auth-client.js';
import { uniquePhone as sharedUniquePhone } from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { createTestRedis, type TestRedis } from './helpers/test-redis.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const uniquePhone = () => sharedUniquePhone('137');

/** Moves the clock to 1 s into the next window, so a test starts on fresh clock-aligned counters. */
function toNextWindow(t: TestApp, windowMs: number): void {
  const now = t.clock.now();
  t.clock.advance(Math.ceil((now + 1) / windowMs) * windowMs + 1000 - now);
}

function expectLimited(res: Response, seconds: number): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ code: 429, data: null, error: 'RATE_LIMITED' });
  const retryAfter = Number(res.headers['retry-after']);
  // The true wait, to the second (a request takes well under one).
  expect(retryAfter).toBeGreaterThanOrEqual(seconds - 1);
  expect(retryAfter).toBeLessThanOrEqual(seconds + 1);
}

describe('verification code limits (SPEC §12)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CODE_IP_MAX: '3', CODE_GLOBAL_MAX: '5', TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t.close();
  });

  const ask = (body: Record<string, unknown>, ip = '10.1.0.1') =>
    t.http().post(`${API}/auth/codes`).set('X-Forwarded-For', ip).send(body);
  const secondsLeft = (windowMs: number) => (Math.ceil(t.clock.now() / windowMs) * windowMs - t.clock.now()) / 1000;

  it('allows one request per destination per CODE_RESEND_INTERVAL, whatever the purpose, known or unknown', async () => {
    toNextWindow(t, HOUR_MS);
    const known = uniquePhone();
    await register(t, { phone: known });
    const unknown = uniquePhone();
    for (const [phone, ip] of [
      [known, '10.1.1.1'],
      [unknown, '10.1.1.2'],
    ]) {
      expect((await ask({ purpose: 'login', phone }, ip)).status).toBe(200);
      expectLimited(await ask({ purpose: 'reset_password', phone }, ip), 60);
      t.clock.advance(45_000);
      expectLimited(await ask({ purpose: 'login', phone }, ip), 15);
      t.clock.advance(15_000);
      expect((await ask({ purpose: 'login', phone }, ip)).status).toBe(200);
    }
  });

  it('allows CODE_DAILY_MAX requests per destination a day, then answers 429 until the day ends', async () => {
    toNextWindow(t, DAY_MS);
    const phone = uniquePhone();
    for (let i = 0; i < 10; i++) {
      // A fresh IP for each, so only the daily cap can refuse.
      expect((await ask({ purpose: 'login', phone }, `10.2.0.${i + 1}`)).status).toBe(200);
      t.clock.advance(61_000);
      toNextWindow(t, HOUR_MS);
    }
    expectLimited(await ask({ purpose: 'login', phone }, '10.2.1.1'), secondsLeft(DAY_MS));
    toNextWindow(t, DAY_MS);
    expect((await ask({ purpose: 'login', phone }, '10.2.1.1')).status).toBe(200);
  });

  it('allows CODE_IP_MAX requests per IP an hour, another IP still gets through', async () => {
    toNextWindow(t, HOUR_MS);
    for (let i = 0; i < 3; i++) {
      expect((await ask({ purpose: 'login', phone: uniquePhone() }, '10.3.0.1')).status).toBe(200);
    }
    t.clock.advance(600_000);
    expectLimited(await ask({ purpose: 'login', phone: uniquePhone() }, '10.3.0.1'), secondsLeft(HOUR_MS));
    expect((await ask({ purpose: 'login', phone: uniquePhone() }, '10.3.0.2')).status).toBe(200);
    toNextWindow(t, HOUR_MS);
    expect((await ask({ purpose: 'login', phone: uniquePhone() }, '10.3.0.1')).status).toBe(200);
  });

  it('counts a request refused by a later limit against none of the others', async () => {
    toNextWindow(t, HOUR_MS);
    const phone = uniquePhone();
    for (let i = 0; i < 3; i++) {
      expect((await ask({ purpose: 'login', phone: uniquePhone() }, '10.5.0.1')).status).toBe(200);
    }
    expect((await ask({ purpose: 'login', phone }, '10.5.0.1')).status).toBe(429);
    // The refused request did not start the destination's cooldown.
    expect((await ask({ purpose: 'login', phone }, '10.5.0.2')).status).toBe(200);
  });
});

describe('verification code limits shared through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let redis: TestRedis;

  beforeAll(async () => {
    redis = createTestRedis();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix };
    a = await createTestApp(env);
    b = await createTestApp(env);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await redis.drop();
  });

  it("refuses on one instance a destination's second request made on another", async () => {
    const phone = uniquePhone();
    expect((await a.http().post(`${API}/auth/codes`).send({ purpose: 'login', phone })).status).toBe(200);
    const res = await b.http().post(`${API}/auth/codes`).send({ purpose: 'login', phone });
    expectLimited(res, 60);
    expect((await redis.keys()).some((k) => k.includes('code_resend'))).toBe(true);
  });
});
