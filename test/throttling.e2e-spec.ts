import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import { PasswordService } from '#src/passwords/password.service.js';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
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

  it('checks exactly 5 of 20 wrong passwords sent at once, and refuses the rest with 429', async () => {
    const user = await register(t);
    const verify = vi.spyOn(t.app.get(PasswordService), 'verify');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => login(t, { username: user.username, password: WRONG })),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(verify).toHaveBeenCalledTimes(5);
    verify.mockRestore();
    const failures = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'login_failure' AND identifier = ?",
      [user.username],
    );
    expect(failures).toEqual(Array(5).fill({ reason: 'wrong_password' }));
  });

  it('lets 16 right passwords sent at once all in: checks in flight are not failures (keycloak#48272)', async () => {
    const user = await register(t);
    const answers = await Promise.all(
      Array.from({ length: 16 }, () => login(t, { username: user.username, password: GOOD_PASSWORD })),
    );
    expect(answers.map((res) => res.status)).toEqual(Array(16).fill(200));
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [user.userInfo.id]);
    expect(Number(row.n)).toBe(17);
  });

  it('gives the real time left as Retry-After, and lets the right password in once the lock is over', async () => {
    const user = await register(t);
    for (let i = 0; i < 5; i++) {
      expect((await login(t, { username: user.username, password: WRONG })).status).toBe(401);
    }
    t.clock.advance(45_000);
    const later = expectRateLimited(await login(t, { username: user.username, password: GOOD_PASSWORD }), 60);
    expect(later).toBeGreaterThanOrEqual(14);
    expect(later).toBeLessThanOrEqual(15);
    t.clock.advance(15_001);
    expect((await login(t, { username: user.username, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it('leaves no lock when the fifth attempt dies before its password is checked (503 from the hash queue)', async () => {
    const user = await register(t);
    for (let i = 0; i < 4; i++) {
      expect((await login(t, { username: user.username, password: WRONG })).status).toBe(401);
    }
    const verify = vi
      .spyOn(t.app.get(PasswordService), 'verify')
      .mockRejectedValueOnce(
        new AppException(CoreErrors.SERVICE_UNAVAILABLE, 'Too many sign-ins at once, retry shortly', { retryAfter: 1 }),
      );
    const dropped = await login(t, { username: user.username, password: WRONG });
    verify.mockRestore();
    expect(dropped.status).toBe(503);
    expect((await login(t, { username: user.username, password: GOOD_PASSWORD })).status).toBe(200);
    expect(await auditRows(t, 'throttle_start', user.username)).toEqual([]);
  });

  it('counts the account, not the identifier: its username and phone share one budget, and the lock names the user', async () => {
    const phone = `+86138${String(process.pid % 10_000).padStart(4, '0')}${String(Date.now() % 10_000).padStart(4, '0')}`;
    const user = await register(t, { phone });
    for (let i = 0; i < 5; i++) {
      const body: Record<string, string> =
        i % 2 === 0 ? { username: user.username, password: WRONG } : { phone, password: WRONG };
      expect((await login(t, body)).status).toBe(401);
    }
    expectRateLimited(await login(t, { phone, password: GOOD_PASSWORD }), 60);
    expectRateLimited(await login(t, { username: user.username, password: GOOD_PASSWORD }), 60);
    const rows = await t.dataSource.query("SELECT user_id, reason FROM audit_events WHERE type = 'throttle_start'");
    expect(rows.filter((row: { user_id: number }) => Number(row.user_id) === user.userInfo.id)).toEqual([
      { user_id: expect.anything(), reason: 'login_account_ip: 60s' },
    ]);
  });
  it('counts an email login against the account it resolves to: email and username share one budget', async () => {
    const email = `${uniqueName('mail')}@example.com`;
    const user = await register(t, { email });
    for (let i = 0; i < 5; i++) {
      const body: Record<string, string> =
        i % 2 === 0 ? { email: email.toUpperCase(), password: WRONG } : { username: user.username, password: WRONG };
      expect((await login(t, body)).status).toBe(401);
    }
    expectRateLimited(await login(t, { email, password: GOOD_PASSWORD }), 60);
    expectRateLimited(await login(t, { username: user.username, password: GOOD_PASSWORD }), 60);
  });

  it('throttles an unknown email by its normalised form, and the lock names the email', async () => {
    const ghost = `${uniqueName('ghost')}@example.com`;
    const spellings = [ghost, ghost.toUpperCase(), ` ${ghost}`, ghost, ghost.toUpperCase()];
    for (const email of spellings) {
      expect((await login(t, { email, password: WRONG })).body.error).toBe('INVALID_CREDENTIALS');
    }
    expect(expectRateLimited(await login(t, { email: ghost, password: WRONG }), 60)).toBeGreaterThan(50);
    const rows = await t.dataSource.query("SELECT identifier FROM audit_events WHERE type = 'throttle_start'");
    expect(rows.filter((row: { identifier: string | null }) => row.identifier?.trim().toLowerCase() === ghost)).toEqual(
      [{ identifier: expect.any(String) }],
    );
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

describe('IPv6 behind a trusted proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'loopback', THROTTLE_LOGIN_IP_MAX: '2' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts IPv6 clients per /64: new addresses in the same /64 share its budget', async () => {
    for (const ip of ['2001:db8:77:1::1', '2001:db8:77:1:8000::2']) {
      expect((await login(t, { username: uniqueName('ghost'), password: WRONG }, ip)).status).toBe(401);
    }
    expectRateLimited(await login(t, { username: uniqueName('ghost'), password: WRONG }, '2001:db8:77:1::ffff'), 60);
    expect((await login(t, { username: uniqueName('ghost'), password: WRONG }, '2001:db8:77:2::1')).status).toBe(401);
  });
});
