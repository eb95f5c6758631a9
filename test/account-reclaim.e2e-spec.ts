import { API, bearer, GOOD_PASSWORD, register, type Tokens, uniqueName } from './helpers/auth-client.js';
import {
  startWebhookSink,
  webhookEnv,
  WEBHOOK_SECRET,
  uniquePhone as sharedUniquePhone,
} from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const uniquePhone = () => sharedUniquePhone('151');
const NEW_PASSWORD = 'Green-Teapot-73';

/**
 * Issue 22, pre-hijacking (SPEC §12, Sudhodanan & Paverd 2022): an attacker signs up with the victim's phone or
 * email, unverified, and keeps a password, a session and TOTP. The victim's proof of the contact reclaims it.
 */
describe('account reclaim: proving an unverified contact takes the account back (SPEC §12)', () => {
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
  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));
  async function codeFor(body: Record<string, unknown>): Promise<string> {
    const to = String(body.phone ?? body.email);
    const before = sink.inbox.count(to);
    expect((await post('/auth/codes', body)).status).toBe(200);
    return (await sink.inbox.next(to, before)).code;
  }
  /** The attacker's account on the victim's contact: a password, TOTP on, a session and a pending mfa_token. */
  async function squat(contact: { phone: string } | { email: string }) {
    const attacker = await register(t, contact);
    await t.dataSource.query("UPDATE users SET totp_enabled = 1, totp_secret = 'v1.a.b.c' WHERE id = ?", [
      attacker.userInfo.id,
    ]);
    const pending = await post('/auth/login', { username: attacker.username, password: GOOD_PASSWORD });
    expect(pending.body.data.mfa_required).toBe(true);
    return { ...attacker, mfaToken: pending.body.data.mfa_token as string };
  }
  const userRow = async (id: number) =>
    (await t.dataSource.query('SELECT password_hash, totp_enabled, totp_secret FROM users WHERE id = ?', [id]))[0] as {
      password_hash: string;
      totp_enabled: number | boolean;
      totp_secret: string | null;
    };
  const reclaimedEvents = (id: number) =>
    t.dataSource.query("SELECT identifier, reason FROM audit_events WHERE type = 'account_reclaimed' AND user_id = ?", [
      id,
    ]);

  it('a code login to an unverified phone ends the squatter sessions, password, TOTP and pending MFA', async () => {
    const phone = uniquePhone();
    const attacker = await squat({ phone });

    const res = await post('/auth/login/code', { phone, code: await codeFor({ purpose: 'login', phone }) });
    expect(res.status).toBe(200);
    // TOTP set before the proof is removed, not asked for.
    expect(res.body.data.mfa_required).toBeUndefined();
    const victim = res.body.data as Tokens;
    expect(victim.userInfo.id).toBe(attacker.userInfo.id);

    expect((await me(attacker.access_token)).body.error).toBe('TOKEN_REVOKED');
    expect((await post('/auth/refresh', { refresh_token: attacker.refresh_token })).status).toBe(401);
    expect((await post('/auth/login', { phone, password: GOOD_PASSWORD })).body.error).toBe('INVALID_CREDENTIALS');
    expect((await post('/auth/mfa/verify', { mfa_token: attacker.mfaToken, code: '123456' })).status).toBe(401);
    const profile = (await me(victim.access_token)).body.data;
    expect(profile).toMatchObject({ phone, phone_verified: true, mfa_enabled: false, has_password: false });
    expect(await userRow(attacker.userInfo.id)).toMatchObject({ password_hash: '', totp_secret: null });
    expect(await reclaimedEvents(attacker.userInfo.id)).toEqual([{ identifier: phone, reason: 'code' }]);
  });

  it('a reset by an unverified email sets the new password, removes TOTP and ends every session', async () => {
    const email = `${uniqueName('victim')}@example.com`;
    const attacker = await squat({ email });

    const code = await codeFor({ purpose: 'reset_password', email });
    expect((await post('/auth/password/reset', { email, code, new_password: NEW_PASSWORD })).status).toBe(200);

    expect((await me(attacker.access_token)).body.error).toBe('TOKEN_REVOKED');
    expect((await post('/auth/login', { email, password: GOOD_PASSWORD })).body.error).toBe('INVALID_CREDENTIALS');
    const login = await post('/auth/login', { email, password: NEW_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.data.mfa_required).toBeUndefined();
    expect((await me(login.body.data.access_token as string)).body.data).toMatchObject({
      email_verified: true,
      mfa_enabled: false,
      has_password: true,
    });
    expect(await reclaimedEvents(attacker.userInfo.id)).toEqual([{ identifier: email, reason: 'password_reset' }]);
  });

  it('reclaims nothing when the contact was already verified on its account: TOTP stays required', async () => {
    const phone = uniquePhone();
    const owner = await register(t, { phone });
    await t.dataSource.query('UPDATE users SET phone_verified = 1, totp_enabled = 1 WHERE id = ?', [owner.userInfo.id]);

    const res = await post('/auth/login/code', { phone, code: await codeFor({ purpose: 'login', phone }) });
    expect(res.body.data.mfa_required).toBe(true);
    expect((await me(owner.access_token)).status).toBe(200);
    expect((await post('/auth/login', { phone, password: GOOD_PASSWORD })).body.data.mfa_required).toBe(true);
    expect(await reclaimedEvents(owner.userInfo.id)).toEqual([]);
  });

  it('shows has_password on /users/me', async () => {
    const user = await register(t);
    expect((await me(user.access_token)).body.data.has_password).toBe(true);
  });
});
