import { API, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { uniquePhone as sharedUniquePhone } from './helpers/code-sinks.js';
import { type CodeSink, type CodeTestApp, createCodeTestApp } from './helpers/code-test-app.js';
import type { TestApp } from './helpers/test-app.js';

const HOUR_MS = 3_600_000;
const VERIFY_IP_MAX = 12;

const uniquePhone = () => sharedUniquePhone('135');
const wrongFor = (code: string) => (code === '000000' ? '000001' : '000000');

/**
 * Issue 22/23: a stranger's wrong guesses must not lock the owner out of recovery, guesses stay bounded per
 * destination and per client IP, a contact code proves the contact to the account that asked only, and SMS goes
 * only to mobile numbers (SPEC §12, §14).
 */
describe('code budgets, code owners and SMS number types (SPEC §12)', () => {
  let app: CodeTestApp;
  let t: TestApp;
  let sink: CodeSink;

  beforeAll(async () => {
    app = await createCodeTestApp({
      CODE_DAILY_MAX: '3',
      CODE_VERIFY_IP_MAX: String(VERIFY_IP_MAX),
      TRUST_PROXY: 'loopback',
    });
    ({ t, sink } = app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (path: string, body: Record<string, unknown>, ip: string, token?: string) =>
    app.post(path, body, { ip, token });
  /** Sends a code through `path` and answers the code the stand-in received. */
  const codeFor = (path: string, body: Record<string, unknown>, ip: string, token?: string) =>
    app.codeFor(path, body, { ip, token });
  const failedTries = async (phone: string, reason: string) =>
    Number(
      (
        await t.dataSource.query(
          "SELECT COUNT(*) AS n FROM audit_events WHERE type = 'code_failed' AND identifier = ? AND reason = ?",
          [phone, reason],
        )
      )[0].n,
    );

  it("gives each code its own wrong-try budget: a stranger's 5 wrong guesses never refuse the owner's next code", async () => {
    const phone = uniquePhone();
    const owner = await register(t, { phone });
    const first = await codeFor('/auth/codes', { purpose: 'login', phone }, '10.20.0.1');
    for (let i = 0; i < 5; i++) {
      const res = await post('/auth/login/code', { phone, code: wrongFor(first) }, '10.20.9.1');
      expect(res.body.error).toBe('CODE_INVALID');
    }
    // The stranger spent that code's budget: even the right code is refused now.
    expect((await post('/auth/login/code', { phone, code: first }, '10.20.0.1')).body.error).toBe('CODE_INVALID');

    t.clock.advance(61_000);
    const second = await codeFor('/auth/codes', { purpose: 'login', phone }, '10.20.0.1');
    const login = await post('/auth/login/code', { phone, code: second }, '10.20.0.1');
    expect(login.status).toBe(200);
    expect(login.body.data.userInfo.id).toBe(owner.userInfo.id);
  });

  it('bounds the wrong tries at one destination by CODE_DAILY_MAX × CODE_MAX_ATTEMPTS a day', async () => {
    const phone = uniquePhone();
    await register(t, { phone });
    for (let send = 0; send < 3; send++) {
      const code = await codeFor('/auth/codes', { purpose: 'reset_password', phone }, `10.21.${send}.1`);
      for (let i = 0; i < 6; i++) {
        // A fresh IP for each guess: only the per-code budget and the send cap bound them.
        const guess = { phone, code: wrongFor(code), new_password: 'Green-Teapot-73' };
        expect((await post('/auth/password/reset', guess, `10.21.${send}.${i + 10}`)).body.error).toBe('CODE_INVALID');
      }
      t.clock.advance(61_000);
    }
    const capped = await post('/auth/codes', { purpose: 'reset_password', phone }, '10.21.9.1');
    expect(capped.status).toBe(429);
    expect(await failedTries(phone, 'reset_password: wrong code')).toBe(3 * 5);
    expect(await failedTries(phone, 'reset_password: no tries left')).toBe(3);
  });

  it('counts failed confirmations per client /64 across destinations: 429 with Retry-After past CODE_VERIFY_IP_MAX', async () => {
    const phone = uniquePhone();
    const owner = await register(t, { phone });
    const code = await codeFor('/auth/codes', { purpose: 'login', phone }, '10.22.0.1');
    for (let i = 0; i < VERIFY_IP_MAX; i++) {
      // One guess at each of many destinations: no per-code budget sees more than one.
      const res = await post('/auth/login/code', { phone: uniquePhone(), code: '123456' }, `2001:db8:22:1::${i + 1}`);
      expect(res.body.error).toBe('CODE_INVALID');
    }
    const limited = await post('/auth/login/code', { phone, code }, '2001:db8:22:1:ffff::9');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(HOUR_MS / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(HOUR_MS / 1000);
    // The refused try touched no code: from another network the owner's code still works.
    const other = await post('/auth/login/code', { phone, code }, '2001:db8:22:2::1');
    expect(other.status).toBe(200);
    expect(other.body.data.userInfo.id).toBe(owner.userInfo.id);

    t.clock.advance(HOUR_MS);
    const later = await post('/auth/login/code', { phone: uniquePhone(), code: '123456' }, '2001:db8:22:1::1');
    expect(later.body.error).toBe('CODE_INVALID');
  });

  it('binds a verify_phone code to the account that asked: another account cannot redeem it', async () => {
    const phone = uniquePhone();
    const asker = await register(t);
    const other = await register(t);
    const code = await codeFor('/users/me/phone', { phone, password: GOOD_PASSWORD }, '10.23.0.1', asker.access_token);

    const stolen = await post('/users/me/phone/verify', { phone, code }, '10.23.0.2', other.access_token);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('CODE_INVALID');
    const [row] = await t.dataSource.query('SELECT phone FROM users WHERE id = ?', [other.userInfo.id]);
    expect(row.phone).toBeNull();

    const own = await post('/users/me/phone/verify', { phone, code }, '10.23.0.1', asker.access_token);
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ id: asker.userInfo.id, phone, phone_verified: true });
  });

  it('sends SMS only to mobile numbers: fixed-line and shared-cost are a 400 rule mobile_only, in both languages', async () => {
    for (const phone of ['+861062345678', '+864001234567']) {
      const res = await post('/auth/codes', { purpose: 'reset_password', phone }, '10.24.0.1');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'phone', rule: 'mobile_only', params: {}, message: 'phone must be a mobile number: codes go by SMS' },
      ]);
    }
    const zh = await t
      .http()
      .post(`${API}/auth/codes`)
      .set('Accept-Language', 'zh-CN')
      .send({ purpose: 'login', phone: '+861062345678' });
    expect(zh.body.errors[0]).toMatchObject({ field: 'phone', rule: 'mobile_only' });
    expect(zh.body.errors[0].message).toMatch(/手机号码/);
    const user = await register(t, { username: uniqueName('fixed') });
    const contact = await post(
      '/users/me/phone',
      { phone: '+861062345678', password: GOOD_PASSWORD },
      '10.24.0.2',
      user.access_token,
    );
    expect(contact.body.errors.map((e: { rule: string }) => e.rule)).toEqual(['mobile_only']);
    expect(sink.inbox.count('+861062345678') + sink.inbox.count('+864001234567')).toBe(0);
  });

  it('names the SMS region refusal region_not_allowed (SPEC §14)', async () => {
    const res = await post('/auth/codes', { purpose: 'login', phone: '+14155550123' }, '10.25.0.1');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        field: 'phone',
        rule: 'region_not_allowed',
        params: { region: 'US' },
        message: 'phone is from a region that is not allowed',
      },
    ]);
  });
});
