import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import { API, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const WRONG = 'wrong-pass-77';

/**
 * Each block boots its own app: the counters live in the app's memory. An
 * empty value returns a variable to its built-in default (TEST_ENV relaxes
 * the limits for the other spec files).
 */
function login(t: TestApp, body: Record<string, string>, forwardedFor?: string) {
  const req = t.http().post(`${API}/auth/login`);
  if (forwardedFor) {
    void req.set('X-Forwarded-For', forwardedFor);
  }
  return req.send(body);
}

function expectRateLimited(res: Response, maxSeconds: number): number {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}

async function auditRows(t: TestApp, type: string, identifier: string): Promise<{ ip: string; reason: string }[]> {
  return t.dataSource.query('SELECT ip, reason FROM audit_events WHERE type = ? AND identifier = ? ORDER BY id', [
    type,
    identifier,
  ]);
}

describe('per account and IP, with the default limits (SPEC §7)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LOGIN_ACCOUNT_IP_MAX: '', TRUST_PROXY: '' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After 60 after 5 failures, even to the right password, and audits throttle_start', async () => {
    const user = await register(t);
    for (let i = 0; i < 5; i++) {
      expect((await login(t, { username: user.username, password: WRONG })).status).toBe(401);
    }
    const right = await login(t, { username: user.username, password: GOOD_PASSWORD });
    expect(expectRateLimited(right, 60)).toBeGreaterThan(50);
    const wrongAgain = await login(t, { username: user.username.toUpperCase(), password: WRONG });
    expectRateLimited(wrongAgain, 60);
    expect(await auditRows(t, 'login_failure', user.username)).toHaveLength(5);
    expect(await auditRows(t, 'throttle_start', user.username)).toEqual([
      { ip: expect.any(String), reason: 'login_account_ip: 60s' },
    ]);
  });

  it('throttles an unknown username exactly like a known one', async () => {
    const ghost = uniqueName('ghost');
    const answers: Response[] = [];
    for (let i = 0; i < 6; i++) {
      answers.push(await login(t, { username: ghost, password: WRONG }));
    }
    expect(answers.slice(0, 5).map((res) => res.body.error)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(expectRateLimited(answers[5], 60)).toBeGreaterThan(50);
  });

  it('forgets the failures after a success', async () => {
    const user = await register(t);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) {
        expect((await login(t, { username: user.username, password: WRONG })).status).toBe(401);
      }
      expect((await login(t, { username: user.username, password: GOOD_PASSWORD })).status).toBe(200);
    }
  });

  it('checks at most 5 of 20 wrong passwords sent at once, and refuses the rest with 429', async () => {
    const user = await register(t);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => login(t, { username: user.username, password: WRONG })),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    expect((await auditRows(t, 'login_failure', user.username)).length).toBeLessThanOrEqual(5);
  });
});

describe('per IP across accounts, with the default limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LOGIN_IP_MAX: '', TRUST_PROXY: '' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses one IP trying 40 accounts after 30 failures in a minute', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 40; i++) {
      last = await login(t, { username: uniqueName('stuffed'), password: WRONG });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    expectRateLimited(last!, 60);
  });
});

describe('per IP across accounts, with a small limit and no trusted proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LOGIN_IP_MAX: '3', THROTTLE_LOGIN_IP_WINDOW: '1h', TRUST_PROXY: '' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('does not count successes, and a forged X-Forwarded-For does not escape the limit', async () => {
    const user = await register(t);
    for (let i = 0; i < 5; i++) {
      expect((await login(t, { username: user.username, password: GOOD_PASSWORD })).status).toBe(200);
    }
    for (let i = 0; i < 3; i++) {
      const res = await login(t, { username: uniqueName('ghost'), password: WRONG }, `203.0.113.${i + 1}`);
      expect(res.status).toBe(401);
    }
    const forged = await login(t, { username: uniqueName('ghost'), password: WRONG }, '198.51.100.9');
    expect(expectRateLimited(forged, 3600)).toBeGreaterThan(3500);
    const rows: { ip: string }[] = await t.dataSource.query(
      "SELECT DISTINCT ip FROM audit_events WHERE type = 'login_failure'",
    );
    expect(rows.map((row) => row.ip)).not.toContain('198.51.100.9');
    expect(rows.map((row) => row.ip)).not.toContain('203.0.113.1');
  });
});

describe('behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: 'loopback',
      THROTTLE_LOGIN_IP_MAX: '2',
      THROTTLE_LOGIN_ACCOUNT_MAX: '3',
      THROTTLE_LOGIN_ACCOUNT_WINDOW: '1h',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('believes X-Forwarded-For: each client IP has its own budget and is the one audited', async () => {
    for (const ip of ['203.0.113.10', '203.0.113.11']) {
      for (let i = 0; i < 2; i++) {
        expect((await login(t, { username: uniqueName('ghost'), password: WRONG }, ip)).status).toBe(401);
      }
      expectRateLimited(await login(t, { username: uniqueName('ghost'), password: WRONG }, ip), 60);
    }
    // Multi-hop: the right-most address not in TRUST_PROXY is the client.
    const hop = await login(t, { username: uniqueName('ghost'), password: WRONG }, '203.0.113.10, 203.0.113.12');
    expect(hop.status).toBe(401);
    const rows: { ip: string }[] = await t.dataSource.query(
      "SELECT ip FROM audit_events WHERE type = 'login_failure' ORDER BY id",
    );
    expect(rows.map((row) => row.ip)).toEqual([
      '203.0.113.10',
      '203.0.113.10',
      '203.0.113.11',
      '203.0.113.11',
      '203.0.113.12',
    ]);
  });

  it('limits failures for one account from every IP together', async () => {
    const user = await register(t);
    for (let i = 0; i < 3; i++) {
      const res = await login(t, { username: user.username, password: WRONG }, `198.51.100.${i + 1}`);
      expect(res.status).toBe(401);
    }
    const fourth = await login(t, { username: user.username, password: GOOD_PASSWORD }, '198.51.100.4');
    expect(expectRateLimited(fourth, 3600)).toBeGreaterThan(3500);
    expect(await auditRows(t, 'throttle_start', user.username)).toEqual([
      { ip: '198.51.100.4', reason: 'login_account: 3 in 3600s' },
    ]);
  });
});

describe('refresh and register limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: '',
      THROTTLE_REFRESH_MAX: '2',
      THROTTLE_REFRESH_WINDOW: '1m',
      THROTTLE_REGISTER_MAX: '2',
      THROTTLE_REGISTER_WINDOW: '1h',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  let username: string;

  it('limits registrations from one IP', async () => {
    username = (await register(t)).username;
    await register(t);
    const third = await t.http().post(`${API}/auth/register`).send({ username: uniqueName(), password: GOOD_PASSWORD });
    expect(expectRateLimited(third, 3600)).toBeGreaterThan(3500);
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM users');
    expect(Number(row.n)).toBe(2);
  });

  it('limits refreshes from one IP, and a refused refresh rotates nothing', async () => {
    const tokens = (await login(t, { username, password: GOOD_PASSWORD })).body.data;
    const refresh = (token: string) => t.http().post(`${API}/auth/refresh`).send({ refresh_token: token });
    const first = await refresh(tokens.refresh_token);
    const second = await refresh(first.body.data.refresh_token);
    expect([first.status, second.status]).toEqual([200, 200]);
    const { sid, jti } = jwt.decode(second.body.data.refresh_token) as { sid: string; jti: string };
    expectRateLimited(await refresh(second.body.data.refresh_token), 60);
    const [session] = await t.dataSource.query('SELECT refresh_jti FROM sessions WHERE id = ?', [sid]);
    expect(session.refresh_jti).toBe(jti);
  });
});
