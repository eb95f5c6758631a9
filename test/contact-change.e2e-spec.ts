import { type CodeSink, type CodeTestApp, createCodeTestApp } from './helpers/code-test-app.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens, uniqueName } from './helpers/auth-client.js';
import { uniquePhone as sharedUniquePhone } from './helpers/code-sinks.js';
import type { TestApp } from './helpers/test-app.js';

const uniquePhone = () => sharedUniquePhone('150');

/** Issue 22: a stolen access token alone must not move the account's recovery elsewhere (SPEC §3). */
describe('contact change: the password again, or a recent session; the old contact is told (SPEC §3)', () => {
  let app: CodeTestApp;
  let t: TestApp;
  let sink: CodeSink;

  beforeAll(async () => {
    app = await createCodeTestApp({
      SMS_LOGIN_SIGNUP: 'true',
      TRUST_PROXY: '',
      THROTTLE_LOGIN_ACCOUNT_IP_MAX: '3',
    });
    ({ t, sink } = app);
  });
  afterAll(() => app.close());

  const post = (path: string, body: Record<string, unknown>, token?: string, language?: string) => {
    let req = t.http().post(`${API}${path}`);
    req = token ? req.set(bearer(token)) : req;
    return (language ? req.set('Accept-Language', language) : req).send(body);
  };
  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));
  /** Sends a code to `to` through `path` and returns the code the stand-in received. */
  async function sendTo(path: string, body: Record<string, unknown>, token?: string): Promise<string> {
    const to = String(body.phone ?? body.email);
    const before = sink.inbox.count(to);
    const res = await post(path, body, token);
    expect(res.body).toEqual({ code: 200, msg: 'success', data: { resend_after: 60, expires_in: 300 } });
    return (await sink.inbox.next(to, before)).code;
  }
  const nextMinute = () => t.clock.advance(61_000);

  it('asks for the password: none is 401 REAUTH_REQUIRED, a wrong one 401 INVALID_CREDENTIALS; nothing is sent', async () => {
    const user = await register(t);
    const phone = uniquePhone();
    const none = await post('/users/me/phone', { phone }, user.access_token);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 401, msg: expect.any(String), error: 'REAUTH_REQUIRED', data: null });
    const zh = await post('/users/me/email', { email: `${uniqueName('r')}@example.com` }, user.access_token, 'zh-CN');
    expect(zh.body).toMatchObject({ code: 401, error: 'REAUTH_REQUIRED' });
    expect(zh.body.msg).toMatch(/[\u4e00-\u9fff]/);

    const wrong = await post('/users/me/phone', { phone, password: 'not-my-pass-1' }, user.access_token);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ code: 401, msg: expect.any(String), error: 'INVALID_CREDENTIALS', data: null });
    expect(sink.inbox.count(phone)).toBe(0);
    const [failure] = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'login_failure' AND user_id = ?",
      [user.userInfo.id],
    );
    expect(failure).toEqual({ reason: 'contact_change_wrong_password' });

    const code = await sendTo('/users/me/phone', { phone, password: GOOD_PASSWORD }, user.access_token);
    expect(code).toMatch(/^\d{6}$/);
  });

  it('counts a wrong password on the password-change budget: after 3, even the right one answers 429', async () => {
    const user = await register(t);
    for (let i = 0; i < 3; i++) {
      const res = await post('/users/me/phone', { phone: uniquePhone(), password: 'wrong-pass-77' }, user.access_token);
      expect(res.body.error).toBe('INVALID_CREDENTIALS');
    }
    const throttled = await post(
      '/users/me/phone',
      { phone: uniquePhone(), password: GOOD_PASSWORD },
      user.access_token,
    );
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    const change = await t
      .http()
      .put(`${API}/users/me/password`)
      .set(bearer(user.access_token))
      .send({ current_password: GOOD_PASSWORD, new_password: 'Green-Teapot-73' });
    expect(change.status).toBe(429);
  });

  it('lets an account without a password change a contact only within REAUTH_WINDOW of its login', async () => {
    const phone = uniquePhone();
    const login = await post('/auth/login/code', {
      phone,
      code: await sendTo('/auth/codes', { purpose: 'login', phone }),
    });
    const tokens = login.body.data as Tokens;
    const email = `${uniqueName('nopass')}@example.com`;
    await sendTo('/users/me/email', { email }, tokens.access_token);

    t.clock.advance(5 * 60_000);
    const stale = await post('/users/me/email', { email: `${uniqueName('late')}@example.com` }, tokens.access_token);
    expect(stale.status).toBe(401);
    expect(stale.body.error).toBe('REAUTH_REQUIRED');
    // A password is no way around it for an account that has none.
    const guessed = await post('/users/me/email', { email, password: GOOD_PASSWORD }, tokens.access_token);
    expect(guessed.body.error).toBe('REAUTH_REQUIRED');
    // A refresh keeps the session's age: only a new login is recent again.
    const refreshed = await post('/auth/refresh', { refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    const stillStale = await post('/users/me/email', { email }, refreshed.body.data.access_token as string);
    expect(stillStale.body.error).toBe('REAUTH_REQUIRED');
  });

  it('on verify, ends every other session, tells the verified email it replaced, and audits contact_change', async () => {
    const oldEmail = `${uniqueName('old')}@example.com`;
    const user = await register(t, { email: oldEmail });
    const code = await sendTo('/users/me/email', { email: oldEmail, password: GOOD_PASSWORD }, user.access_token);
    expect((await post('/users/me/email/verify', { email: oldEmail, code }, user.access_token)).status).toBe(200);
    const other = (await post('/auth/login', { username: user.username, password: GOOD_PASSWORD })).body.data as Tokens;
    nextMinute();

    const newEmail = `${uniqueName('new')}@example.com`;
    const newCode = await sendTo('/users/me/email', { email: newEmail, password: GOOD_PASSWORD }, user.access_token);
    const noticesBefore = sink.inbox.count(oldEmail);
    const res = await post('/users/me/email/verify', { email: newEmail, code: newCode }, user.access_token, 'zh-CN');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ email: newEmail, email_verified: true });

    expect((await me(other.access_token)).body.error).toBe('TOKEN_REVOKED');
    expect((await me(user.access_token)).status).toBe(200);
    const notice = await sink.inbox.next(oldEmail, noticesBefore);
    expect(notice.body).toEqual({
      channel: 'email',
      to: oldEmail,
      purpose: 'contact_changed',
      code: '',
      locale: 'zh-CN',
      expires_in: 300,
    });
    const [event] = await t.dataSource.query(
      "SELECT identifier, reason, session_id FROM audit_events WHERE type = 'contact_change' AND user_id = ? ORDER BY id DESC",
      [user.userInfo.id],
    );
    expect(event).toEqual({
      identifier: newEmail,
      reason: 'email set; 1 other sessions ended; old contact told',
      session_id: expect.any(String),
    });
  });

  it('tells a replaced verified phone by SMS, and tells nobody when the old contact was unverified', async () => {
    const oldPhone = uniquePhone();
    const user = await register(t, { phone: oldPhone });
    const firstPhone = uniquePhone();
    const first = await sendTo('/users/me/phone', { phone: firstPhone, password: GOOD_PASSWORD }, user.access_token);
    // The unverified phone from sign-up was only a claim: replacing it tells it nothing.
    expect((await post('/users/me/phone/verify', { phone: firstPhone, code: first }, user.access_token)).status).toBe(
      200,
    );
    expect(sink.inbox.count(oldPhone)).toBe(0);
    nextMinute();

    const secondPhone = uniquePhone();
    const second = await sendTo('/users/me/phone', { phone: secondPhone, password: GOOD_PASSWORD }, user.access_token);
    const before = sink.inbox.count(firstPhone);
    expect((await post('/users/me/phone/verify', { phone: secondPhone, code: second }, user.access_token)).status).toBe(
      200,
    );
    const notice = await sink.inbox.next(firstPhone, before);
    expect(notice.body).toMatchObject({ channel: 'sms', to: firstPhone, purpose: 'contact_changed', locale: 'en' });
    const trail = JSON.stringify(
      await t.dataSource.query('SELECT * FROM audit_events WHERE user_id = ?', [user.userInfo.id]),
    );
    expect(trail).not.toContain(GOOD_PASSWORD);
    expect(trail).not.toContain(second);
  });
});
