import type { Response } from 'supertest';
import { Authenticator } from './helpers/authenticator.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const RECOVERY_CODE = /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/;

function expectError(res: Response, status: number, error: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ code: status, msg: expect.any(String), error, data: null });
}

/** SPEC §3: `POST /auth/mfa/recovery-codes` replaces spent or lost recovery codes without turning TOTP off. */
describe('regenerating recovery codes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_MFA_MAX: '4' });
  });
  afterAll(async () => {
    await t.close();
  });

  interface Enrolled extends Tokens {
    username: string;
    totp: Authenticator;
    recoveryCodes: string[];
  }

  const regenerate = (token: string, body: object) =>
    t.http().post(`${API}/auth/mfa/recovery-codes`).set(bearer(token)).send(body);
  const verify = (body: object) => t.http().post(`${API}/auth/mfa/verify`).send(body);
  async function mfaToken(username: string): Promise<string> {
    const res = await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
    expect(res.body.data.mfa_required).toBe(true);
    return res.body.data.mfa_token as string;
  }
  async function enrol(): Promise<Enrolled> {
    const user = await register(t);
    const setup = await t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(user.access_token));
    const totp = new Authenticator(setup.body.data.secret as string, t.clock);
    const enabled = await t
      .http()
      .post(`${API}/auth/mfa/totp/enable`)
      .set(bearer(user.access_token))
      .send({ password: GOOD_PASSWORD, code: await totp.next() });
    expect(enabled.status).toBe(200);
    return { ...user, totp, recoveryCodes: enabled.body.data.recovery_codes as string[] };
  }
  const auditRows = async (userId: number, type: string) =>
    t.dataSource.query<{ session_id: string | null; reason: string | null }[]>(
      'SELECT session_id, reason FROM audit_events WHERE user_id = ? AND type = ?',
      [userId, type],
    );

  it('answers 10 new codes once, not cached; the old ones stop working, the new ones log in', async () => {
    const user = await enrol();
    const res = await regenerate(user.access_token, { password: GOOD_PASSWORD, code: await user.totp.next() });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const codes = res.body.data.recovery_codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    codes.forEach((code) => expect(code).toMatch(RECOVERY_CODE));
    expect(codes.some((code) => user.recoveryCodes.includes(code))).toBe(false);
    // The TOTP code just used cannot be replayed for yet another set.
    expectError(
      await regenerate(user.access_token, { password: GOOD_PASSWORD, code: user.totp.last }),
      401,
      'MFA_INVALID',
    );

    const old = await verify({ mfa_token: await mfaToken(user.username), recovery_code: user.recoveryCodes[0] });
    expectError(old, 401, 'MFA_INVALID');
    const fresh = await verify({ mfa_token: await mfaToken(user.username), recovery_code: codes[0] });
    expect(fresh.status).toBe(200);
    expect(fresh.body.data.access_token).toEqual(expect.any(String));
    // Shown once: the database keeps only their hashes.
    const stored = await t.dataSource.query<{ code_hash: string }[]>(
      'SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ?',
      [user.userInfo.id],
    );
    expect(stored).toHaveLength(10);
    expect(stored.some((row) => codes.some((code) => row.code_hash.includes(code.replaceAll('-', ''))))).toBe(false);
  });

  it('is audited as recovery_codes_regenerated with the session that asked', async () => {
    const user = await enrol();
    expect(
      (await regenerate(user.access_token, { password: GOOD_PASSWORD, code: await user.totp.next() })).status,
    ).toBe(200);
    const rows = await auditRows(user.userInfo.id, 'recovery_codes_regenerated');
    expect(rows).toHaveLength(1);
    expect(rows[0].session_id).toEqual(expect.any(String));
  });

  it('refuses a wrong password with INVALID_CREDENTIALS, a wrong code with MFA_INVALID and a recovery code with 400', async () => {
    const user = await enrol();
    const wrongPassword = await regenerate(user.access_token, {
      password: 'wrong-pass-77',
      code: await user.totp.next(),
    });
    expectError(wrongPassword, 401, 'INVALID_CREDENTIALS');
    expectError(
      await regenerate(user.access_token, { password: GOOD_PASSWORD, code: await user.totp.wrong() }),
      401,
      'MFA_INVALID',
    );
    // A recovery code stands in for a lost authenticator: it cannot mint new ones.
    expectError(
      await regenerate(user.access_token, { password: GOOD_PASSWORD, code: user.recoveryCodes[0] }),
      400,
      'VALIDATION_FAILED',
    );
    // The old codes still work: nothing was replaced.
    const still = await verify({ mfa_token: await mfaToken(user.username), recovery_code: user.recoveryCodes[1] });
    expect(still.status).toBe(200);
    expect((await auditRows(user.userInfo.id, 'mfa_failure')).map((row) => row.reason).sort()).toEqual([
      'recovery_codes_wrong_code',
      'recovery_codes_wrong_password',
    ]);
  });

  it('spends the account MFA budget: 429 with Retry-After past THROTTLE_MFA_MAX, even with the right answers', async () => {
    const user = await enrol();
    for (let i = 0; i < 4; i += 1) {
      const res = await regenerate(user.access_token, { password: 'wrong-pass-77', code: await user.totp.wrong() });
      expectError(res, 401, 'INVALID_CREDENTIALS');
    }
    const throttled = await regenerate(user.access_token, { password: GOOD_PASSWORD, code: await user.totp.next() });
    expectError(throttled, 429, 'RATE_LIMITED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses an account without TOTP with MFA_INVALID, and a request without a token with 401', async () => {
    const user = await register(t);
    expectError(await regenerate(user.access_token, { password: GOOD_PASSWORD, code: '123456' }), 401, 'MFA_INVALID');
    const anonymous = await t
      .http()
      .post(`${API}/auth/mfa/recovery-codes`)
      .send({ password: GOOD_PASSWORD, code: '1' });
    expectError(anonymous, 401, 'UNAUTHORIZED');
  });
});
