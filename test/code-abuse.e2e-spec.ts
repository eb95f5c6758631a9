import { type CodeSink, type CodeTestApp, createCodeTestApp } from './helpers/code-test-app.js';
import type { Response } from 'supertest';
import { API, bearer, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { uniquePhone as sharedUniquePhone } from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { createTestRedis, type TestRedis } from './helpers/test-redis.js';

const HOUR_MS = 3_600_000;

const uniquePhone = () => sharedUniquePhone('135');

/** Moves the clock to 1 s into the next hour, so a test starts on fresh clock-aligned counters. */
function toNextHour(t: TestApp): void {
  const now = t.clock.now();
  t.clock.advance(Math.ceil((now + 1) / HOUR_MS) * HOUR_MS + 1000 - now);
}

function expectLimited(res: Response): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ code: 429, data: null, error: 'RATE_LIMITED' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

/** SPEC §7, §12: code limits that a flood can neither spend for everyone nor flush. */
describe('code request limits under abuse', () => {
  let app: CodeTestApp;
  let t: TestApp;
  let sink: CodeSink;

  beforeAll(async () => {
    app = await createCodeTestApp({
      CODE_IP_MAX: '3',
      CODE_GLOBAL_MAX: '3',
      CODE_ACCOUNT_MAX: '2',
      TRUST_PROXY: 'loopback',
    });
    ({ t, sink } = app);
  });
  afterAll(() => app.close());

  const ask = (phone: string, ip: string) =>
    t.http().post(`${API}/auth/codes`).set('X-Forwarded-For', ip).send({ purpose: 'login', phone });

  it('counts IPv6 clients per /64: new addresses in the same /64 share one budget', async () => {
    toNextHour(t);
    for (let i = 1; i <= 3; i++) {
      expect((await ask(uniquePhone(), `2001:db8:a:b::${i}`)).status).toBe(200);
    }
    expectLimited(await ask(uniquePhone(), '2001:db8:a:b:ffff:1:2:3'));
    expect((await ask(uniquePhone(), '2001:db8:a:c::1')).status).toBe(200);
  });

  it('counts codes actually sent against CODE_GLOBAL_MAX: requests for unknown phones cannot use it up', async () => {
    toNextHour(t);
    for (let i = 1; i <= 8; i++) {
      expect((await ask(uniquePhone(), `10.60.0.${i}`)).status).toBe(200);
    }
    const known: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const phone = uniquePhone();
      await register(t, { phone });
      known.push(phone);
      expect((await ask(phone, `10.61.0.${i}`)).status).toBe(200);
      await sink.inbox.next(phone, 0);
    }
    // Three codes went out: the cap is reached, and from now on every request answers 429 until the hour ends.
    const refused = await ask(uniquePhone(), '10.62.0.1');
    expectLimited(refused);
    const secondsLeft = (Math.ceil(t.clock.now() / HOUR_MS) * HOUR_MS - t.clock.now()) / 1000;
    expect(Math.abs(Number(refused.headers['retry-after']) - secondsLeft)).toBeLessThanOrEqual(1);
    toNextHour(t);
    expect((await ask(uniquePhone(), '10.62.0.1')).status).toBe(200);
  });

  it('limits the codes one account sends to new contacts, whatever the destination and IP', async () => {
    toNextHour(t);
    const user = await register(t);
    const send = (ip: string) =>
      t
        .http()
        .post(`${API}/users/me/phone`)
        .set('X-Forwarded-For', ip)
        .set(bearer(user.access_token))
        .send({ phone: uniquePhone(), password: GOOD_PASSWORD });
    expect((await send('10.63.0.1')).status).toBe(200);
    expect((await send('10.63.0.2')).status).toBe(200);
    expectLimited(await send('10.63.0.3'));
    // Another account is not affected.
    const other = await register(t);
    const res = await t
      .http()
      .post(`${API}/users/me/phone`)
      .set('X-Forwarded-For', '10.63.0.4')
      .set(bearer(other.access_token))
      .send({ phone: uniquePhone(), password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
  });
});

describe('code requests refused at the IP step, through Redis', () => {
  let t: TestApp;
  let redis: TestRedis;

  beforeAll(async () => {
    redis = createTestRedis();
    t = await createTestApp({ REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, CODE_IP_MAX: '2' });
  });
  afterAll(async () => {
    await t.close();
    await redis.drop();
  });

  it('leaves no key behind for a refused request', async () => {
    toNextHour(t);
    for (let i = 0; i < 2; i++) {
      expect((await t.http().post(`${API}/auth/codes`).send({ purpose: 'login', phone: uniquePhone() })).status).toBe(
        200,
      );
    }
    const before = (await redis.keys()).sort();
    for (let i = 0; i < 30; i++) {
      expectLimited(await t.http().post(`${API}/auth/codes`).send({ purpose: 'login', phone: uniquePhone() }));
    }
    expect((await redis.keys()).sort()).toEqual(before);
  });
});
