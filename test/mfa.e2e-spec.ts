import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import { Authenticator } from './helpers/authenticator.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, TEST_ENV, type TestApp } from './helpers/test-app.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const RECOVERY_CODE = /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/;

interface Enrolled extends Tokens {
  username: string;
  totp: Authenticator;
  recoveryCodes: string[];
}

function expectError(res: Response, status: number, error: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ code: status, msg: expect.any(String), error, data: null });
}

describe('TOTP two-factor login (SPEC §3)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Above the per-token limit of 5, so both limits can be seen apart.
    t = await createTestApp({ THROTTLE_MFA_MAX: '8' });
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));
  const setup = (token: string) => t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(token));
  const enable = (token: string, code: string, password = GOOD_PASSWORD) =>
    t.http().post(`${API}/auth/mfa/totp/enable`).set(bearer(token)).send({ password, code });
  const disable = (token: string, body: object) =>
    t.http().post(`${API}/auth/mfa/totp/disable`).set(bearer(token)).send(body);
  const login = (username: string) => t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
  const verify = (body: object) => t.http().post(`${API}/auth/mfa/verify`).send(body);

  async function enrol(): Promise<Enrolled> {
    const user = await register(t);
    const setupRes = await setup(user.access_token);
    expect(setupRes.status).toBe(200);
    const totp = new Authenticator(setupRes.body.data.secret, t.clock);
    const enableRes = await enable(user.access_token, await totp.next());
    expect(enableRes.status).toBe(200);
    return { ...user, totp, recoveryCodes: enableRes.body.data.recovery_codes };
  }

  async function mfaToken(username: string): Promise<string> {
    const res = await login(username);
    expect(res.status).toBe(200);
    expect(res.body.data.mfa_required).toBe(true);
    return res.body.data.mfa_token;
  }

  const userRow = async (id: number) =>
    (await t.dataSource.query('SELECT totp_secret, totp_enabled, totp_last_step FROM users WHERE id = ?', [id]))[0] as {
      totp_secret: string | null;
      totp_enabled: number | boolean;
      totp_last_step: unknown;
    };

  const auditTypes = async (userId: number): Promise<string[]> =>
    (await t.dataSource.query('SELECT type FROM audit_events WHERE user_id = ? ORDER BY id', [userId])).map(
      (row: { type: string }) => row.type,
    );

  it('runs the whole flow: setup, QR code, enable, a challenge without tokens, verify, profile', async () => {
    const user = await register(t);
    expect((await me(user.access_token)).body.data.mfa_enabled).toBe(false);

    const setupRes = await setup(user.access_token);
    expect(setupRes.status).toBe(200);
    const { secret, otpauth_url, qr_code } = setupRes.body.data;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauth_url).toMatch(new RegExp(`^otpauth://totp/Gatehouse:${user.username}\\?`));
    expect(new URL(otpauth_url).searchParams.get('secret')).toBe(secret);
    expect(new URL(otpauth_url).searchParams.get('issuer')).toBe('Gatehouse');
    expect(qr_code).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(qr_code.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    // A pending secret does not change the login yet.
    expect((await login(user.username)).body.data).toHaveProperty('access_token');

    const totp = new Authenticator(secret, t.clock);
    const enableRes = await enable(user.access_token, await totp.next());
    expect(enableRes.status).toBe(200);
    const codes: string[] = enableRes.body.data.recovery_codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(RECOVERY_CODE);
    }
    const stored = await t.dataSource.query('SELECT code_hash, used_at FROM mfa_recovery_codes WHERE user_id = ?', [
      user.userInfo.id,
    ]);
    expect(stored).toHaveLength(10);
    for (const row of stored as Array<{ code_hash: string; used_at: unknown }>) {
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.used_at).toBeNull();
    }

    const loginRes = await login(user.username);
    expect(loginRes.status).toBe(200);
    expect(loginRes.body).toEqual({
      code: 200,
      msg: 'success',
      data: { mfa_required: true, mfa_token: expect.any(String), mfa_expires_in: 300 },
    });

    const verifyRes = await verify({ mfa_token: loginRes.body.data.mfa_token, code: await totp.next() });
    expect(verifyRes.status).toBe(200);
    expect(verifyRes.body.data).toMatchObject({
      token_type: 'bearer',
      expires_in: 86400,
      refresh_expires_in: 604800,
      userInfo: { id: user.userInfo.id, role: 'user' },
    });
    const profile = await me(verifyRes.body.data.access_token);
    expect(profile.status).toBe(200);
    expect(profile.body.data).toMatchObject({ username: user.username, mfa_enabled: true });
    const refreshed = await t
      .http()
      .post(`${API}/auth/refresh`)
      .send({ refresh_token: verifyRes.body.data.refresh_token });
    expect(refreshed.status).toBe(200);

    expect(await auditTypes(user.userInfo.id)).toEqual(
      expect.arrayContaining(['mfa_enable', 'mfa_challenge', 'mfa_success', 'login_success']),
    );
  });

  it('stores the TOTP secret encrypted, never as the base32 secret', async () => {
    const user = await register(t);
    const { secret } = (await setup(user.access_token)).body.data;
    const row = await userRow(user.userInfo.id);
    expect(row.totp_secret).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row.totp_secret).not.toContain(secret);
    expect(row.totp_secret!.toUpperCase()).not.toContain(secret);
    expect(Number(row.totp_enabled)).toBe(0);
  });

  it('refuses a wrong code with MFA_INVALID and leaves the mfa_token usable', async () => {
    const user = await enrol();
    const token = await mfaToken(user.username);
    expectError(await verify({ mfa_token: token, code: await user.totp.wrong() }), 401, 'MFA_INVALID');
    const ok = await verify({ mfa_token: token, code: await user.totp.next() });
    expect(ok.status).toBe(200);
    expect(await auditTypes(user.userInfo.id)).toContain('mfa_failure');
  });

  it('accepts a TOTP code only once: the same code replayed is MFA_INVALID', async () => {
    const user = await enrol();
    const enableCode = user.totp.last;
    const first = await verify({ mfa_token: await mfaToken(user.username), code: await user.totp.next() });
    expect(first.status).toBe(200);
    expectError(await verify({ mfa_token: await mfaToken(user.username), code: user.totp.last }), 401, 'MFA_INVALID');
    // An older step than one already accepted is refused as well.
    expectError(await verify({ mfa_token: await mfaToken(user.username), code: enableCode }), 401, 'MFA_INVALID');
  });

  it('accepts each recovery code once', async () => {
    const user = await enrol();
    const [first, second] = user.recoveryCodes;
    // A minute on, so a used_at read from the wall clock instead of the app's would fall before `from`.
    t.clock.advance(60_000);
    const from = t.clock.now();
    const one = await verify({ mfa_token: await mfaToken(user.username), recovery_code: first });
    expect(one.status).toBe(200);
    expect((await me(one.body.data.access_token)).status).toBe(200);
    // Typed back in capitals and without dashes, it is the same code.
    const two = await verify({
      mfa_token: await mfaToken(user.username),
      recovery_code: second.toUpperCase().replaceAll('-', ''),
    });
    expect(two.status).toBe(200);
    expectError(await verify({ mfa_token: await mfaToken(user.username), recovery_code: first }), 401, 'MFA_INVALID');
    const [{ used }] = await t.dataSource.query(
      'SELECT COUNT(*) AS used FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NOT NULL',
      [user.userInfo.id],
    );
    expect(Number(used)).toBe(2);
    const stamps = await t.dataSource.query(
      'SELECT used_at FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NOT NULL',
      [user.userInfo.id],
    );
    for (const { used_at } of stamps as Array<{ used_at: unknown }>) {
      expect(Number(used_at)).toBeGreaterThanOrEqual(from);
      expect(Number(used_at)).toBeLessThanOrEqual(t.clock.now());
    }
  });

  it('refuses an mfa_token once it has been used', async () => {
    const user = await enrol();
    const token = await mfaToken(user.username);
    expect((await verify({ mfa_token: token, recovery_code: user.recoveryCodes[0] })).status).toBe(200);
    expectError(await verify({ mfa_token: token, recovery_code: user.recoveryCodes[1] }), 401, 'TOKEN_INVALID');
  });

  it('refuses an mfa_token after 5 wrong codes, even with a right one', async () => {
    const user = await enrol();
    const token = await mfaToken(user.username);
    for (let i = 0; i < 5; i += 1) {
      expectError(await verify({ mfa_token: token, code: await user.totp.wrong() }), 401, 'MFA_INVALID');
    }
    expectError(await verify({ mfa_token: token, code: await user.totp.next() }), 401, 'TOKEN_INVALID');
    // A fresh login gets a fresh token.
    expect((await verify({ mfa_token: await mfaToken(user.username), code: await user.totp.next() })).status).toBe(200);
  });

  it('throttles codes per account across mfa_tokens with 429 and Retry-After', async () => {
    const user = await enrol();
    const first = await mfaToken(user.username);
    for (let i = 0; i < 5; i += 1) {
      expectError(await verify({ mfa_token: first, code: await user.totp.wrong() }), 401, 'MFA_INVALID');
    }
    const second = await mfaToken(user.username);
    for (let i = 0; i < 3; i += 1) {
      expectError(await verify({ mfa_token: second, code: await user.totp.wrong() }), 401, 'MFA_INVALID');
    }
    const res = await verify({ mfa_token: second, code: await user.totp.next() });
    expectError(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('keeps mfa_token and access tokens apart', async () => {
    const user = await enrol();
    const token = await mfaToken(user.username);
    expect(jwt.decode(token)).toMatchObject({ type: 'mfa', sub: String(user.userInfo.id) });
    expectError(await me(token), 401, 'TOKEN_INVALID');
    expectError(await verify({ mfa_token: user.access_token, code: await user.totp.wrong() }), 401, 'TOKEN_INVALID');
    // Re-signed with the access secret (the key an mfa token is derived from), it is still refused.
    const forged = jwt.sign(jwt.decode(token) as object, TEST_ENV.JWT_ACCESS_SECRET, { algorithm: 'HS256' });
    expectError(await verify({ mfa_token: forged, code: await user.totp.wrong() }), 401, 'TOKEN_INVALID');
    expectError(await verify({ mfa_token: 'not-a-jwt', code: '123456' }), 401, 'TOKEN_INVALID');
  });

  it('enabling TOTP revokes the other sessions but keeps the current one', async () => {
    const user = await register(t);
    const other = (await login(user.username)).body.data.access_token as string;
    expect((await me(other)).status).toBe(200);
    const totp = new Authenticator((await setup(user.access_token)).body.data.secret, t.clock);
    expect((await enable(user.access_token, await totp.next())).status).toBe(200);
    expectError(await me(other), 401, 'TOKEN_REVOKED');
    expect((await me(user.access_token)).status).toBe(200);
  });

  it('setup again before enabling replaces the secret; once enabled it is 409 MFA_ALREADY_ENABLED', async () => {
    const user = await register(t);
    const old = new Authenticator((await setup(user.access_token)).body.data.secret, t.clock);
    const fresh = new Authenticator((await setup(user.access_token)).body.data.secret, t.clock);
    expect(fresh.secret).not.toBe(old.secret);
    expectError(await enable(user.access_token, await fresh.wrong()), 401, 'MFA_INVALID');
    expect((await enable(user.access_token, await fresh.next())).status).toBe(200);
    expectError(await setup(user.access_token), 409, 'MFA_ALREADY_ENABLED');
    expectError(await enable(user.access_token, await fresh.next()), 409, 'MFA_ALREADY_ENABLED');
  });

  it('refuses enable without a setup', async () => {
    const user = await register(t);
    expectError(await enable(user.access_token, '123456'), 401, 'MFA_INVALID');
  });

  it('enable asks for the password again: a wrong one is 401 INVALID_CREDENTIALS and enables nothing', async () => {
    const user = await register(t);
    const totp = new Authenticator((await setup(user.access_token)).body.data.secret, t.clock);
    const wrong = await enable(user.access_token, await totp.wrong(), 'wrong-pass-77');
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expect(JSON.stringify(wrong.body)).not.toContain('wrong-pass-77');
    expect(Number((await userRow(user.userInfo.id)).totp_enabled)).toBe(0);
    expect((await me(user.access_token)).body.data.mfa_enabled).toBe(false);
    const [failure] = await t.dataSource.query(
      "SELECT reason, session_id FROM audit_events WHERE type = 'mfa_failure' AND user_id = ?",
      [user.userInfo.id],
    );
    expect(failure).toEqual({ reason: 'enable_wrong_password', session_id: expect.any(String) });
    const missing = await t
      .http()
      .post(`${API}/auth/mfa/totp/enable`)
      .set(bearer(user.access_token))
      .send({ code: await totp.wrong() });
    expectError(missing, 400, 'VALIDATION_FAILED');
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect((await enable(user.access_token, await totp.next())).status).toBe(200);
  });

  it('enable and disable share one budget for password guesses: 429 with Retry-After after THROTTLE_MFA_MAX', async () => {
    const user = await register(t);
    const totp = new Authenticator((await setup(user.access_token)).body.data.secret, t.clock);
    for (let i = 0; i < 4; i += 1) {
      expectError(await enable(user.access_token, await totp.wrong(), 'wrong-pass-77'), 401, 'INVALID_CREDENTIALS');
    }
    for (let i = 0; i < 4; i += 1) {
      const res = await disable(user.access_token, { password: 'wrong-pass-77', code: await totp.wrong() });
      expectError(res, 401, 'INVALID_CREDENTIALS');
    }
    const throttled = await enable(user.access_token, await totp.wrong());
    expectError(throttled, 429, 'RATE_LIMITED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number((await userRow(user.userInfo.id)).totp_enabled)).toBe(0);
  });

  it('records the new session on mfa_success and login_success', async () => {
    const user = await enrol();
    const done = await verify({ mfa_token: await mfaToken(user.username), code: await user.totp.next() });
    expect(done.status).toBe(200);
    const { sid } = jwt.decode(done.body.data.access_token) as { sid: string };
    const rows = await t.dataSource.query(
      "SELECT type, session_id FROM audit_events WHERE user_id = ? AND type IN ('mfa_success', 'login_success')",
      [user.userInfo.id],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { type: 'mfa_success', session_id: sid },
        { type: 'login_success', session_id: sid },
      ]),
    );
  });

  it('disable needs the password and a code, then logs in without a challenge', async () => {
    const user = await enrol();
    const other = (await verify({ mfa_token: await mfaToken(user.username), recovery_code: user.recoveryCodes[0] }))
      .body.data.access_token as string;
    expectError(
      await disable(user.access_token, { password: 'Wrong-Kettle-42', code: await user.totp.wrong() }),
      401,
      'INVALID_CREDENTIALS',
    );
    expectError(
      await disable(user.access_token, { password: GOOD_PASSWORD, code: await user.totp.wrong() }),
      401,
      'MFA_INVALID',
    );
    expectError(await disable(user.access_token, { password: GOOD_PASSWORD }), 400, 'VALIDATION_FAILED');
    const res = await disable(user.access_token, { password: GOOD_PASSWORD, code: await user.totp.next() });
    expect(res.body).toEqual({ code: 200, msg: 'success', data: null });
    expectError(await me(other), 401, 'TOKEN_REVOKED');
    expect((await me(user.access_token)).body.data.mfa_enabled).toBe(false);
    expect((await login(user.username)).body.data).toHaveProperty('access_token');
    const row = await userRow(user.userInfo.id);
    expect(row.totp_secret).toBeNull();
    expect(Number(row.totp_enabled)).toBe(0);
    const left = await t.dataSource.query('SELECT id FROM mfa_recovery_codes WHERE user_id = ?', [user.userInfo.id]);
    expect(left).toHaveLength(0);
  });

  it('disable accepts a recovery code in place of a TOTP code, once', async () => {
    const user = await enrol();
    const code = user.recoveryCodes[3];
    expect((await disable(user.access_token, { password: GOOD_PASSWORD, code })).status).toBe(200);
    expect((await me(user.access_token)).body.data.mfa_enabled).toBe(false);
  });

  it('refuses code and recovery_code together, and malformed codes, with 400', async () => {
    const user = await enrol();
    const token = await mfaToken(user.username);
    const cases: Array<[object, string]> = [
      [{ mfa_token: token, code: '123456', recovery_code: user.recoveryCodes[0] }, 'recovery_code'],
      [{ mfa_token: token }, 'code'],
      [{ mfa_token: token, code: '12345' }, 'code'],
      [{ mfa_token: token, code: 123456 }, 'code'],
      [{ mfa_token: token, recovery_code: 'x' }, 'recovery_code'],
      [{ code: '123456' }, 'mfa_token'],
    ];
    for (const [body, field] of cases) {
      const res = await verify(body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // None of those spent an attempt or the token.
    expect((await verify({ mfa_token: token, code: await user.totp.next() })).status).toBe(200);
  });
});

describe('TOTP two-factor login with a short MFA_TOKEN_TTL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MFA_TOKEN_TTL: '1s' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses an expired mfa_token with TOKEN_EXPIRED', async () => {
    const user = await register(t);
    const { secret } = (await t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(user.access_token))).body.data;
    const totp = new Authenticator(secret, t.clock);
    const enabled = await t
      .http()
      .post(`${API}/auth/mfa/totp/enable`)
      .set(bearer(user.access_token))
      .send({ password: GOOD_PASSWORD, code: await totp.next() });
    expect(enabled.status).toBe(200);
    const challenge = await t
      .http()
      .post(`${API}/auth/login`)
      .send({ username: user.username, password: GOOD_PASSWORD });
    expect(challenge.body.data).toMatchObject({ mfa_required: true, mfa_expires_in: 1 });
    // Past the 1 s lifetime (JWT `exp` has one-second resolution), on the app's clock.
    t.clock.advance(2_100);
    const res = await t
      .http()
      .post(`${API}/auth/mfa/verify`)
      .send({ mfa_token: challenge.body.data.mfa_token, code: await totp.next() });
    expectError(res, 401, 'TOKEN_EXPIRED');
  });
});
