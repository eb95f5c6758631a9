import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { uniquePhone as sharedUniquePhone } from './helpers/code-sinks.js';
import { type CodeSink, type CodeTestApp, createCodeTestApp } from './helpers/code-test-app.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const uniquePhone = () => sharedUniquePhone('136');

describe('proving a phone or email, takeover, SMS sign-up (SPEC §12)', () => {
  let app: CodeTestApp;
  let t: TestApp;
  let sink: CodeSink;

  beforeAll(async () => {
    app = await createCodeTestApp({ SMS_LOGIN_SIGNUP: 'true' });
    ({ t, sink } = app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (path: string, body: Record<string, unknown>, token?: string) => app.post(path, body, { token });
  /** Sends a code to `to` through `path` and returns the code the stand-in received. */
  const sendTo = (path: string, body: Record<string, unknown>, token?: string) => app.codeFor(path, body, { token });
  const userRow = async (id: number) =>
    (
      await t.dataSource.query(
        'SELECT phone, phone_verified, email, email_normalized, email_verified FROM users WHERE id = ?',
        [id],
      )
    )[0] as Record<string, unknown>;

  it('sets a phone on the account, verified, through a code sent to it', async () => {
    const user = await register(t);
    const phone = uniquePhone();
    const code = await sendTo('/users/me/phone', { phone, password: GOOD_PASSWORD }, user.access_token);
    expect(sink.inbox.received.at(-1)!.body.purpose).toBe('verify_phone');
    const res = await post('/users/me/phone/verify', { phone, code }, user.access_token);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: user.userInfo.id, phone, phone_verified: true });
    // Single use: the same code again is refused.
    expect((await post('/users/me/phone/verify', { phone, code }, user.access_token)).body.error).toBe('CODE_INVALID');
  });

  it('sets an email, in zh-CN when asked, and a code for the phone purpose does not prove it', async () => {
    const user = await register(t);
    const email = `${uniqueName('Mei')}@Example.com`;
    const before = sink.inbox.count(email);
    const sent = await t
      .http()
      .post(`${API}/users/me/email`)
      .set(bearer(user.access_token))
      .set('Accept-Language', 'fr;q=0.9, zh;q=0.5')
      .send({ email, password: GOOD_PASSWORD });
    expect(sent.status).toBe(200);
    const message = await sink.inbox.next(email, before);
    expect(message.body).toMatchObject({ channel: 'email', purpose: 'verify_email', locale: 'zh-CN' });
    expect(
      (await post('/users/me/phone/verify', { phone: uniquePhone(), code: message.code }, user.access_token)).status,
    ).toBe(400);
    const res = await post('/users/me/email/verify', { email, code: message.code }, user.access_token);
    expect(res.body.data).toMatchObject({ email, email_verified: true });
    expect(await userRow(user.userInfo.id)).toMatchObject({ email_normalized: email.toLowerCase() });
  });

  it('takes a phone another account holds unverified, and audits it', async () => {
    const phone = uniquePhone();
    const squatter = await register(t, { phone });
    const owner = await register(t);
    const code = await sendTo('/users/me/phone', { phone, password: GOOD_PASSWORD }, owner.access_token);
    const res = await post('/users/me/phone/verify', { phone, code }, owner.access_token);
    expect(res.body.data).toMatchObject({ phone, phone_verified: true });
    expect(await userRow(squatter.userInfo.id)).toMatchObject({ phone: null });
    const [event] = await t.dataSource.query(
      "SELECT user_id, identifier, reason FROM audit_events WHERE type = 'contact_taken_over' AND identifier = ?",
      [phone],
    );
    expect(event).toEqual({
      user_id: squatter.userInfo.id,
      identifier: phone,
      reason: `phone taken by user ${owner.userInfo.id}`,
    });
    // The phone now reaches the owner.
    expect((await post('/auth/login', { phone, password: GOOD_PASSWORD })).body.data.userInfo.id).toBe(
      owner.userInfo.id,
    );
  });

  it('refuses a phone or email another account holds verified with 409 at the send step, and sends nothing', async () => {
    const phone = uniquePhone();
    const email = `${uniqueName('held')}@example.com`;
    const holder = await register(t, { email });
    await post(
      '/users/me/phone/verify',
      {
        phone,
        code: await sendTo('/users/me/phone', { phone, password: GOOD_PASSWORD }, holder.access_token),
      },
      holder.access_token,
    );
    await post(
      '/users/me/email/verify',
      {
        email,
        code: await sendTo('/users/me/email', { email, password: GOOD_PASSWORD }, holder.access_token),
      },
      holder.access_token,
    );
    t.clock.advance(61_000);
    const other = await register(t);
    const sentBefore = sink.inbox.received.length;
    const byPhone = await post('/users/me/phone', { phone, password: GOOD_PASSWORD }, other.access_token);
    expect(byPhone.status).toBe(409);
    expect(byPhone.body).toMatchObject({ code: 409, data: null, error: 'PHONE_TAKEN' });
    const byEmail = await post(
      '/users/me/email',
      { email: email.toUpperCase(), password: GOOD_PASSWORD },
      other.access_token,
    );
    expect(byEmail.body.error).toBe('EMAIL_TAKEN');
    expect(sink.inbox.received.length).toBe(sentBefore);
    expect(await userRow(holder.userInfo.id)).toMatchObject({ phone, email });
  });

  it('creates an account on a first code login with SMS_LOGIN_SIGNUP, and password login stays refused', async () => {
    const phone = uniquePhone();
    const code = await sendTo('/auth/codes', { purpose: 'login', phone });
    const res = await post('/auth/login/code', { phone, code });
    expect(res.status).toBe(200);
    const me = await t
      .http()
      .get(`${API}/users/me`)
      .set(bearer(res.body.data.access_token as string));
    expect(me.body.data).toMatchObject({ phone, phone_verified: true, email: null, email_verified: false });
    expect(me.body.data.username).toMatch(/^user_[0-9a-f]{12}$/);
    for (const password of ['', 'anything-at-all', GOOD_PASSWORD]) {
      expect((await post('/auth/login', { phone, password })).status).not.toBe(200);
    }
    // Until a reset sets one.
    t.clock.advance(61_000);
    const reset = await sendTo('/auth/codes', { purpose: 'reset_password', phone });
    expect((await post('/auth/password/reset', { phone, code: reset, new_password: 'Green-Teapot-73' })).status).toBe(
      200,
    );
    expect((await post('/auth/login', { phone, password: 'Green-Teapot-73' })).status).toBe(200);
  });
});

describe('channels in production (SPEC §12)', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_ACCESS_SECRET: 'prod-access-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    JWT_REFRESH_SECRET: 'prod-refresh-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  };

  it('refuses to start with the console provider', async () => {
    await expect(createTestApp({ ...production, SMS_PROVIDER: 'console' })).rejects.toThrow(
      /SMS_PROVIDER: console prints codes; refused in production/,
    );
  });

  it('answers 403 CHANNEL_DISABLED for a channel without a provider, and sends nothing', async () => {
    const t = await createTestApp(production);
    try {
      for (const [path, body] of [
        ['/auth/codes', { purpose: 'login', phone: uniquePhone() }],
        ['/auth/codes', { purpose: 'reset_password', email: 'a@example.com' }],
        ['/auth/login/code', { phone: uniquePhone(), code: '123456' }],
      ] as const) {
        const res = await t.http().post(`${API}${path}`).send(body);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: 403, data: null, error: 'CHANNEL_DISABLED' });
      }
      const rows = await t.dataSource.query('SELECT COUNT(*) AS n FROM verification_codes');
      expect(Number(rows[0].n)).toBe(0);
    } finally {
      await t.close();
    }
  });
});
