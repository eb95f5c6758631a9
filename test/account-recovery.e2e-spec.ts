import { generate } from 'otplib';
import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import {
  startWebhookSink,
  webhookEnv,
  WEBHOOK_SECRET,
  uniquePhone as sharedUniquePhone,
} from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const uniquePhone = () => sharedUniquePhone('152');
const NEW_PASSWORD = 'Green-Teapot-73';
const PERIOD_MS = 30_000;

/** Issue 22: where recovery codes go, what a reset answers without a code, and what a reset leaves behind. */
describe('account recovery: codes to the stored contact, no reset oracle, pending MFA ends (SPEC §3, §12)', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;

  beforeAll(async () => {
    sink = await startWebhookSink(WEBHOOK_SECRET);
    t = await createTestApp({ ...webhookEnv(sink.url), CODE_IP_MAX: '100000', CODE_GLOBAL_MAX: '100000' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const post = (path: string, body: Record<string, unknown>) => t.http().post(`${API}${path}`).send(body);
  /** Asks for a code as typed, and returns it with the address the stand-in received it at. */
  async function codeFor(body: Record<string, unknown>, deliveredTo: string): Promise<string> {
    const before = sink.inbox.count(deliveredTo);
    expect((await post('/auth/codes', body)).status).toBe(200);
    return (await sink.inbox.next(deliveredTo, before)).code;
  }
  const totpNow = (secret: string) => generate({ secret, epoch: Math.floor(t.clock.now() / 1000) });
  /** A user with TOTP on and a verified email (so a reset reclaims nothing), and a pending mfa_token. */
  async function withPendingMfa() {
    const email = `${uniqueName('mfa')}@example.com`;
    const user = await register(t, { email });
    await t.dataSource.query('UPDATE users SET email_verified = 1 WHERE id = ?', [user.userInfo.id]);
    const setup = await t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(user.access_token));
    const secret = setup.body.data.secret as string;
    const enabled = await t
      .http()
      .post(`${API}/auth/mfa/totp/enable`)
      .set(bearer(user.access_token))
      .send({ password: GOOD_PASSWORD, code: await totpNow(secret) });
    expect(enabled.status).toBe(200);
    const login = await post('/auth/login', { username: user.username, password: GOOD_PASSWORD });
    expect(login.body.data.mfa_required).toBe(true);
    return { ...user, email, secret, mfaToken: login.body.data.mfa_token as string };
  }
  const openChallenges = async (userId: number) =>
    Number(
      (await t.dataSource.query('SELECT COUNT(*) AS n FROM mfa_challenges WHERE user_id = ?', [userId]))[0].n as string,
    );

  it('sends login and reset codes to the contact as stored on the account, not as typed', async () => {
    const stored = `${uniqueName('Mixed.Case')}@Example.COM`;
    await register(t, { email: stored });
    const typed = stored.toLowerCase();
    const code = await codeFor({ purpose: 'reset_password', email: typed }, stored);
    expect(sink.inbox.received.at(-1)!.body).toMatchObject({ to: stored, purpose: 'reset_password' });
    expect(sink.inbox.count(typed)).toBe(0);
    expect((await post('/auth/password/reset', { email: typed, code, new_password: NEW_PASSWORD })).status).toBe(200);
    expect((await post('/auth/login', { email: stored, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('checks the code before "new password equals username": without a code the answer is CODE_INVALID', async () => {
    const phone = uniquePhone();
    const user = await register(t, { phone });
    const guess = await post('/auth/password/reset', { phone, code: '000000', new_password: user.username });
    expect(guess.status).toBe(400);
    expect(guess.body).toEqual({ code: 400, msg: expect.any(String), error: 'CODE_INVALID', data: null });
    // The same answer as for a phone nobody holds.
    const nobody = await post('/auth/password/reset', {
      phone: uniquePhone(),
      code: '000000',
      new_password: 'x_name_1',
    });
    expect(nobody.body.error).toBe('CODE_INVALID');

    const code = await codeFor({ purpose: 'reset_password', phone }, phone);
    const refused = await post('/auth/password/reset', { phone, code, new_password: user.username.toUpperCase() });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      errors: [{ field: 'new_password', rule: 'same_as_username' }],
    });
    expect((await post('/auth/login', { phone, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it('ends a pending mfa_token on password reset', async () => {
    const user = await withPendingMfa();
    const code = await codeFor({ purpose: 'reset_password', email: user.email }, user.email);
    expect((await post('/auth/password/reset', { email: user.email, code, new_password: NEW_PASSWORD })).status).toBe(
      200,
    );
    expect(await openChallenges(user.userInfo.id)).toBe(0);
    t.clock.advance(PERIOD_MS);
    const res = await post('/auth/mfa/verify', { mfa_token: user.mfaToken, code: await totpNow(user.secret) });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('TOKEN_INVALID');
    // TOTP itself stays required after a reset that reclaimed nothing (SPEC §12).
    expect((await post('/auth/login', { email: user.email, password: NEW_PASSWORD })).body.data.mfa_required).toBe(
      true,
    );
  });

  it('ends a pending mfa_token on password change', async () => {
    const user = await withPendingMfa();
    const change = await t
      .http()
      .put(`${API}/users/me/password`)
      .set(bearer(user.access_token))
      .send({ current_password: GOOD_PASSWORD, new_password: NEW_PASSWORD });
    expect(change.status).toBe(200);
    expect(await openChallenges(user.userInfo.id)).toBe(0);
    t.clock.advance(PERIOD_MS);
    const res = await post('/auth/mfa/verify', { mfa_token: user.mfaToken, code: await totpNow(user.secret) });
    expect(res.body.error).toBe('TOKEN_INVALID');
  });
});
