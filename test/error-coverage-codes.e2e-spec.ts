import { type CodeSink, type CodeTestApp, createCodeTestApp } from './helpers/code-test-app.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens, uniqueName } from './helpers/auth-client.js';
import { uniquePhone as sharedUniquePhone } from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const uniquePhone = () => sharedUniquePhone('152');
const uniqueEmail = () => `${uniqueName('cov')}@example.com`;
const CHINESE = /[\u4e00-\u9fff]/;

/** Each test sends from its own forwarded address, so the per-IP budgets of one never count another's tries. */
let lastIp = 0;
const nextIp = () => `10.77.0.${++lastIp}`;

/**
 * Issue 28 item 2: the answers of the code and contact routes that no other spec produced on that operation. Each
 * contact route is tried for both channels, phone and email, as they share one code path.
 */
describe('contact change, reset and TOTP budgets answer what their operations document', () => {
  let app: CodeTestApp;
  let t: TestApp;
  let sink: CodeSink;

  beforeAll(async () => {
    app = await createCodeTestApp({
      TRUST_PROXY: 'loopback',
      CODE_VERIFY_IP_MAX: '2',
      THROTTLE_MFA_MAX: '2',
    });
    ({ t, sink } = app);
  });
  afterAll(() => app.close());

  const post = (path: string, body: Record<string, unknown>, ip: string, token?: string) => {
    const req = t.http().post(`${API}${path}`).set('X-Forwarded-For', ip);
    return (token ? req.set(bearer(token)) : req).send(body);
  };
  /** Sends a contact code to `to` and returns the code the stand-in received. */
  async function codeFor(contact: 'phone' | 'email', to: string, tokens: Tokens, ip: string): Promise<string> {
    const before = sink.inbox.count(to);
    const res = await post(`/users/me/${contact}`, { [contact]: to, password: GOOD_PASSWORD }, ip, tokens.access_token);
    expect(res.status).toBe(200);
    return (await sink.inbox.next(to, before)).code;
  }
  const fresh = (contact: 'phone' | 'email') => (contact === 'phone' ? uniquePhone() : uniqueEmail());
  const contactOf = async (id: number) =>
    (await t.dataSource.query('SELECT phone, email FROM users WHERE id = ?', [id]))[0] as Record<string, unknown>;

  it.each(['phone', 'email'] as const)(
    'sending a %s code: a wrong password is 401 INVALID_CREDENTIALS, a second send within the resend interval 429',
    async (contact) => {
      const ip = nextIp();
      const user = await register(t);
      const to = fresh(contact);
      const wrong = await post(
        `/users/me/${contact}`,
        { [contact]: to, password: 'wrong-pass-77' },
        ip,
        user.access_token,
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ code: 401, msg: expect.any(String), error: 'INVALID_CREDENTIALS', data: null });
      expect(sink.inbox.count(to)).toBe(0);
      await codeFor(contact, to, user, ip);
      const again = await post(
        `/users/me/${contact}`,
        { [contact]: to, password: GOOD_PASSWORD },
        ip,
        user.access_token,
      );
      expect(again.status).toBe(429);
      expect(again.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
      expect(sink.inbox.count(to)).toBe(1);
    },
  );

  it.each(['phone', 'email'] as const)(
    'verifying a %s: a wrong code is 400 CODE_INVALID in zh-CN, and past CODE_VERIFY_IP_MAX even the right one is 429',
    async (contact) => {
      const ip = nextIp();
      const user = await register(t);
      const to = fresh(contact);
      const code = await codeFor(contact, to, user, ip);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 2; i += 1) {
        const res = await post(
          `/users/me/${contact}/verify`,
          { [contact]: to, code: wrong },
          ip,
          user.access_token,
        ).set('Accept-Language', 'zh-CN');
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ code: 400, msg: expect.stringMatching(CHINESE), error: 'CODE_INVALID', data: null });
      }
      const throttled = await post(`/users/me/${contact}/verify`, { [contact]: to, code }, ip, user.access_token);
      expect(throttled.status).toBe(429);
      expect(throttled.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(await contactOf(user.userInfo.id)).toEqual({ phone: null, email: null });
    },
  );

  it.each(['phone', 'email'] as const)(
    'verifying a %s its holder proved by a reset since the code was sent is 409, and the caller gets none',
    async (contact) => {
      const ip = nextIp();
      const to = fresh(contact);
      const holder = await register(t, { [contact]: to });
      const caller = await register(t);
      // The holder's copy is unverified, so the caller may ask for a code to it...
      const code = await codeFor(contact, to, caller, ip);
      // ...then the holder resets their password with a code sent to it, which proves it on their account (SPEC §12).
      t.clock.advance(61_000); // past the resend interval of the destination
      const before = sink.inbox.count(to);
      expect((await post('/auth/codes', { purpose: 'reset_password', [contact]: to }, ip)).status).toBe(200);
      const resetCode = (await sink.inbox.next(to, before)).code;
      const reset = await post(
        '/auth/password/reset',
        { [contact]: to, code: resetCode, new_password: 'Green-Teapot-73' },
        ip,
      );
      expect(reset.status).toBe(200);
      const lost = await post(`/users/me/${contact}/verify`, { [contact]: to, code }, ip, caller.access_token);
      expect(lost.status).toBe(409);
      const error = contact === 'phone' ? 'PHONE_TAKEN' : 'EMAIL_TAKEN';
      expect(lost.body).toEqual({ code: 409, msg: expect.any(String), error, data: null });
      expect(await contactOf(caller.userInfo.id)).toEqual({ phone: null, email: null });
      expect((await contactOf(holder.userInfo.id))[contact]).toBe(to);
    },
  );

  it('resets a password: past CODE_VERIFY_IP_MAX wrong codes even the right one is 429, and the password stays', async () => {
    const ip = nextIp();
    const email = uniqueEmail();
    const user = await register(t, { email });
    const before = sink.inbox.count(email);
    expect((await post('/auth/codes', { purpose: 'reset_password', email }, ip)).status).toBe(200);
    const { code } = await sink.inbox.next(email, before);
    const wrong = code === '000000' ? '111111' : '000000';
    const reset = (c: string) => post('/auth/password/reset', { email, code: c, new_password: 'Green-Teapot-73' }, ip);
    for (let i = 0; i < 2; i += 1) {
      expect((await reset(wrong)).body.error).toBe('CODE_INVALID');
    }
    const throttled = await reset(code);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    const login = await post('/auth/login', { username: user.username, password: GOOD_PASSWORD }, ip);
    expect(login.status).toBe(200);
  });

  it('turning TOTP off spends the MFA budget on wrong passwords: past THROTTLE_MFA_MAX it is 429', async () => {
    const ip = nextIp();
    const user = await register(t);
    const disable = (password: string) =>
      post('/auth/mfa/totp/disable', { password, code: '123456' }, ip, user.access_token);
    for (let i = 0; i < 2; i += 1) {
      expect((await disable('wrong-pass-77')).body.error).toBe('INVALID_CREDENTIALS');
    }
    const throttled = await disable(GOOD_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });
});

/** SPEC §12: in production a channel with no provider is off; REGISTRATION_ENABLED=false closes sign-up. */
describe('in production without code providers and with registration closed', () => {
  let t: TestApp;
  let user: Tokens & { username: string };

  beforeAll(async () => {
    t = await createTestApp({
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: 'prod-access-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      JWT_REFRESH_SECRET: 'prod-refresh-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    });
    // An account made while sign-up was open; its token outlives the restart (same secrets, same database).
    user = await register(t);
    await t.restart({ REGISTRATION_ENABLED: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses a sign-up with 403 REGISTRATION_DISABLED in the caller's language, and creates no account", async () => {
    const username = uniqueName('closed');
    for (const language of ['en', 'zh-CN']) {
      const res = await t
        .http()
        .post(`${API}/auth/register`)
        .set('Accept-Language', language)
        .send({ username, password: GOOD_PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 403, msg: expect.any(String), error: 'REGISTRATION_DISABLED', data: null });
      expect(CHINESE.test(res.body.msg as string)).toBe(language === 'zh-CN');
    }
    expect(await t.dataSource.query('SELECT id FROM users WHERE username = ?', [username])).toEqual([]);
  });

  it('answers 403 CHANNEL_DISABLED to a reset and to a contact change by either channel, and records no code', async () => {
    const phone = uniquePhone();
    const email = uniqueEmail();
    for (const [path, body, token] of [
      ['/auth/password/reset', { phone, code: '123456', new_password: 'Green-Teapot-73' }, undefined],
      ['/auth/password/reset', { email, code: '123456', new_password: 'Green-Teapot-73' }, undefined],
      ['/users/me/phone', { phone, password: GOOD_PASSWORD }, user.access_token],
      ['/users/me/email', { email, password: GOOD_PASSWORD }, user.access_token],
    ] as const) {
      const req = t.http().post(`${API}${path}`);
      const res = await (token ? req.set(bearer(token)) : req).send(body);
      expect(res.status, path).toBe(403);
      expect(res.body, path).toEqual({ code: 403, msg: expect.any(String), error: 'CHANNEL_DISABLED', data: null });
    }
    expect(await t.dataSource.query('SELECT id FROM verification_codes')).toEqual([]);
    expect(await t.http().get(`${API}/users/me`).set(bearer(user.access_token))).toMatchObject({ status: 200 });
  });
});
