import { API, bearer, GOOD_PASSWORD, register, type Tokens, uniqueName } from './helpers/auth-client.js';
import { uniquePhone as sharedUniquePhone } from './helpers/code-sinks.js';
import { type CodeSink, type CodeTestApp, createCodeTestApp } from './helpers/code-test-app.js';
import type { TestApp } from './helpers/test-app.js';

const NEW_PASSWORD = 'Green-Teapot-73';

const uniquePhone = () => sharedUniquePhone('139');

describe('verification codes: SMS login, password reset, enumeration, bad codes (SPEC §12)', () => {
  let app: CodeTestApp;
  let t: TestApp;
  let sink: CodeSink;

  beforeAll(async () => {
    app = await createCodeTestApp();
    ({ t, sink } = app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (path: string, body: Record<string, unknown>) => app.post(path, body);
  /** Asks for a code and returns the answer and the code the stand-in received. */
  async function codeFor(body: Record<string, unknown>): Promise<{ status: number; code: string }> {
    return { status: 200, code: await app.codeFor('/auth/codes', body) };
  }
  const codeRow = async (destination: string, purpose: string) =>
    (
      await t.dataSource.query(
        'SELECT code_hash, attempts, consumed_at FROM verification_codes WHERE destination = ? AND purpose = ?',
        [destination, purpose],
      )
    )[0] as { code_hash: string; attempts: number; consumed_at: unknown } | undefined;
  const nextMinute = () => t.clock.advance(61_000);

  it('logs in with an SMS code, marks the phone verified, and the signed webhook carries the SPEC body', async () => {
    const phone = uniquePhone();
    const user = await register(t, { phone });
    const { code } = await codeFor({ purpose: 'login', phone });
    expect(code).toMatch(/^\d{6}$/);
    const message = sink.inbox.received.find((r) => r.to === phone)!;
    expect(message.body).toEqual({ channel: 'sms', to: phone, purpose: 'login', code, locale: 'en', expires_in: 300 });
    expect(Number(message.headers['x-gatehouse-timestamp'])).toBeCloseTo(t.clock.now() / 1000, -2);

    const res = await post('/auth/login/code', { phone, code });
    expect(res.status).toBe(200);
    expect(res.body.data.userInfo.id).toBe(user.userInfo.id);
    const me = await t
      .http()
      .get(`${API}/users/me`)
      .set(bearer(res.body.data.access_token as string));
    expect(me.body.data).toMatchObject({ phone, phone_verified: true });
    const types = await t.dataSource.query('SELECT type, identifier FROM audit_events WHERE user_id = ? ORDER BY id', [
      user.userInfo.id,
    ]);
    expect(types.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['code_sent', 'code_verified', 'contact_verified', 'login_success']),
    );
    // SPEC §8: never the code, in any column of the trail.
    const trail = JSON.stringify(await t.dataSource.query('SELECT * FROM audit_events'));
    expect(trail).not.toContain(code);
    const [row] = await t.dataSource.query('SELECT code_hash FROM verification_codes WHERE destination = ?', [phone]);
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.code_hash).not.toContain(code);
  });

  it('answers a known and an unknown destination with the same status and body, and sends only to the known', async () => {
    const known = uniquePhone();
    const unknown = uniquePhone();
    await register(t, { phone: known });
    const a = await post('/auth/codes', { purpose: 'reset_password', phone: unknown });
    const before = sink.inbox.count(known);
    const b = await post('/auth/codes', { purpose: 'reset_password', phone: known });
    expect(a.status).toBe(b.status);
    expect(a.body).toEqual(b.body);
    await sink.inbox.next(known, before);
    expect(sink.inbox.count(unknown)).toBe(0);
    expect(await codeRow(unknown, 'reset_password')).toBeUndefined();
    const emailA = await post('/auth/codes', {
      purpose: 'reset_password',
      email: `${uniqueName('nobody')}@example.com`,
    });
    expect(emailA.body).toEqual(b.body);
  });

  it('refuses a used code, a code for another purpose and a code for another destination with one CODE_INVALID', async () => {
    const phone = uniquePhone();
    const other = uniquePhone();
    await register(t, { phone });
    await register(t, { phone: other });
    const { code } = await codeFor({ purpose: 'login', phone });
    const bodies = [
      await post('/auth/password/reset', { phone, code, new_password: NEW_PASSWORD }),
      await post('/auth/login/code', { phone: other, code }),
    ];
    expect((await post('/auth/login/code', { phone, code })).status).toBe(200);
    bodies.push(await post('/auth/login/code', { phone, code }));
    for (const res of bodies) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 400,
        msg: 'The code is wrong or no longer valid; request a new one',
        data: null,
        error: 'CODE_INVALID',
      });
    }
    expect((await t.http().post(`${API}/auth/login`).send({ phone, password: NEW_PASSWORD })).status).toBe(401);
  });

  it('refuses a code once CODE_TTL has passed on the clock', async () => {
    const phone = uniquePhone();
    await register(t, { phone });
    const { code } = await codeFor({ purpose: 'login', phone });
    t.clock.advance(300_000);
    const res = await post('/auth/login/code', { phone, code });
    expect(res.body.error).toBe('CODE_INVALID');
    expect((await codeRow(phone, 'login'))!.consumed_at).toBeNull();
  });

  it('allows 5 wrong tries on a code, then refuses even the right one, and a new code starts its own budget', async () => {
    const phone = uniquePhone();
    await register(t, { phone });
    const first = await codeFor({ purpose: 'login', phone });
    const wrong = first.code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      expect((await post('/auth/login/code', { phone, code: wrong })).body.error).toBe('CODE_INVALID');
    }
    const res = await post('/auth/login/code', { phone, code: first.code });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('CODE_INVALID');
    expect(Number((await codeRow(phone, 'login'))!.attempts)).toBe(5);
    // SPEC §12: a new code replaces the old with a budget of its own; the send caps bound the guesses a day.
    nextMinute();
    const second = await codeFor({ purpose: 'login', phone });
    expect(Number((await codeRow(phone, 'login'))!.attempts)).toBe(0);
    expect((await post('/auth/login/code', { phone, code: second.code })).status).toBe(200);
    const failed = await t.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_events WHERE type = 'code_failed' AND identifier = ?",
      [phone],
    );
    expect(Number(failed[0].n)).toBe(6);
  });

  it('lets exactly one of 8 concurrent confirmations of one code succeed', async () => {
    const phone = uniquePhone();
    await register(t, { phone });
    const { code } = await codeFor({ purpose: 'login', phone });
    const results = await Promise.all(Array.from({ length: 8 }, () => post('/auth/login/code', { phone, code })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.error === 'CODE_INVALID')).toBe(true);
    const sessions = await t.dataSource.query(
      'SELECT COUNT(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.phone = ?',
      [phone],
    );
    // The session register opened, and the one winner's.
    expect(Number(sessions[0].n)).toBe(2);
  });

  it('resets a password by email code: ends every session, keeps TOTP required on a verified email', async () => {
    const email = `${uniqueName('reset')}@example.com`;
    const user = await register(t, { email });
    const second = (await t.http().post(`${API}/auth/login`).send({ email, password: GOOD_PASSWORD })).body
      .data as Tokens;
    // Verified already: the reset reclaims nothing (an unverified one would, test/account-reclaim.e2e-spec.ts).
    await t.dataSource.query('UPDATE users SET totp_enabled = ?, email_verified = ? WHERE id = ?', [
      true,
      true,
      user.userInfo.id,
    ]);
    const { code } = await codeFor({ purpose: 'reset_password', email });

    // A refused new password (common) is a 400 and does not touch the code.
    const common = await post('/auth/password/reset', { email, code, new_password: 'password123' });
    expect(common.status).toBe(400);
    expect(common.body.errors.map((e: { field: string }) => e.field)).toEqual(['new_password']);
    expect(Number((await codeRow(email, 'reset_password'))!.attempts)).toBe(0);

    const res = await post('/auth/password/reset', { email, code, new_password: NEW_PASSWORD });
    expect(res.body).toEqual({ code: 200, msg: 'success', data: null });
    for (const token of [user.access_token, second.access_token]) {
      expect((await t.http().get(`${API}/users/me`).set(bearer(token))).body.error).toBe('TOKEN_REVOKED');
    }
    expect((await t.http().post(`${API}/auth/login`).send({ email, password: GOOD_PASSWORD })).status).toBe(401);
    const login = await t.http().post(`${API}/auth/login`).send({ email, password: NEW_PASSWORD });
    expect(login.body.data).toMatchObject({ mfa_required: true });
    const [row] = await t.dataSource.query('SELECT email_verified FROM users WHERE id = ?', [user.userInfo.id]);
    expect(Boolean(Number(row.email_verified))).toBe(true);
    const [audit] = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'password_reset' AND user_id = ?",
      [user.userInfo.id],
    );
    expect(audit.reason).toBe('2 sessions ended');
  });

  it('answers a code login of an account with TOTP on with the MFA challenge, not tokens', async () => {
    const phone = uniquePhone();
    const user = await register(t, { phone });
    // A verified phone: proving an unverified one would reclaim the account and remove TOTP (SPEC §12).
    await t.dataSource.query('UPDATE users SET totp_enabled = ?, phone_verified = ? WHERE id = ?', [
      true,
      true,
      user.userInfo.id,
    ]);
    const { code } = await codeFor({ purpose: 'login', phone });
    const res = await post('/auth/login/code', { phone, code });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mfa_required: true });
    expect(res.body.data.access_token).toBeUndefined();
  });

  it('refuses SMS to a region outside SMS_ALLOWED_REGIONS with 400 on phone, and email login codes', async () => {
    const res = await post('/auth/codes', { purpose: 'login', phone: '+14155550123' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['phone']);
    const byEmail = await post('/auth/codes', { purpose: 'login', email: 'a@example.com' });
    expect(byEmail.status).toBe(400);
    for (const body of [
      { purpose: 'verify_phone', phone: uniquePhone() },
      { purpose: 'login' },
      { purpose: 'login', phone: ['x'] },
    ]) {
      expect((await post('/auth/codes', body)).status).toBe(400);
    }
    expect((await post('/auth/login/code', { phone: uniquePhone(), code: 'abc' })).status).toBe(400);
    const both = await post('/auth/codes', { purpose: 'reset_password', phone: uniquePhone(), email: 'b@example.com' });
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([
      { field: 'email', rule: 'phone_or_email', params: {}, message: 'send phone or email, not both' },
    ]);
  });

  it('answers before the provider does: sending never holds the request', async () => {
    const phone = uniquePhone();
    await register(t, { phone });
    sink.state.holding = true;
    try {
      const res = await post('/auth/codes', { purpose: 'login', phone });
      expect(res.body).toEqual({ code: 200, msg: 'success', data: { resend_after: 60, expires_in: 300 } });
      await vi.waitFor(() => expect(sink.held).toHaveLength(1), { timeout: 5000 });
      expect(sink.inbox.count(phone)).toBe(0);
    } finally {
      sink.release();
    }
    const { code } = await sink.inbox.next(phone, 0);
    expect((await post('/auth/login/code', { phone, code })).status).toBe(200);
  });

  it('keeps the answer when the provider is down, retries, and counts the failure', async () => {
    const phone = uniquePhone();
    await register(t, { phone });
    sink.failNext(100);
    const res = await post('/auth/codes', { purpose: 'login', phone });
    expect(res.body).toEqual({ code: 200, msg: 'success', data: { resend_after: 60, expires_in: 300 } });
    await vi.waitFor(
      async () => {
        const metrics = (await t.http().get('/metrics')).text;
        expect(metrics).toMatch(
          /gatehouse_code_sends_total\{channel="sms",provider="webhook",outcome="failed"\} [1-9]/,
        );
      },
      { timeout: 10_000, interval: 100 },
    );
    sink.failNext(0);
    const metrics = (await t.http().get('/metrics')).text;
    expect(metrics).toMatch(/gatehouse_code_sends_total\{channel="sms",provider="webhook",outcome="retried"\} [2-9]/);
  });
});
