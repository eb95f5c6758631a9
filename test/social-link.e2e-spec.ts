import { API, bearer, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { startWebhookSink, uniquePhone, webhookEnv, WEBHOOK_SECRET } from './helpers/code-sinks.js';
import { REDIRECT_URI, type SocialStandIns, startSocialStandIns } from './helpers/social-env.js';
import type { WechatPerson } from './helpers/social-stand-ins.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let people = 0;
const unique = (prefix: string) => `${prefix}_${process.pid}_${(people += 1)}`;

describe('social sign-in: linking, sign-up, identities and admission (SPEC §15)', () => {
  let t: TestApp;
  let social: SocialStandIns;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;

  beforeAll(async () => {
    social = await startSocialStandIns();
    sink = await startWebhookSink(WEBHOOK_SECRET);
    t = await createTestApp({
      ...social.env,
      ...webhookEnv(sink.url),
      CODE_IP_MAX: '100000',
      CODE_GLOBAL_MAX: '100000',
      IP_ALLOWLIST_ADMIN: '10.0.0.0/8',
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([social.close(), sink.close()]);
  });

  const post = (path: string, body: object) => t.http().post(`${API}${path}`).send(body);
  const person = (): WechatPerson => ({ appId: 'wx_app', openid: unique('o'), unionid: unique('u') });
  const appSignIn = (who: WechatPerson) => post('/auth/social/wechat/app', { code: social.wechat.codeFor(who) });
  async function linkToken(who: WechatPerson): Promise<string> {
    const res = await appSignIn(who);
    expect(res.body.data.link_required).toBe(true);
    return res.body.data.link_token as string;
  }
  const rowsOf = (subject: string) =>
    t.dataSource.query<Array<{ user_id: number | null }>>('SELECT user_id FROM user_identities WHERE subject = ?', [
      subject,
    ]);
  const auditOf = (userId: number) =>
    t.dataSource.query<Array<{ type: string; reason: string | null; identifier: string | null }>>(
      'SELECT type, reason, identifier FROM audit_events WHERE user_id = ? ORDER BY id',
      [userId],
    );

  it('links with the account password, signs in, and the identity signs that account in afterwards', async () => {
    const user = await register(t);
    const who = person();
    const token = await linkToken(who);
    const res = await post('/auth/social/link', {
      link_token: token,
      username: user.username,
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.userInfo.id).toBe(user.userInfo.id);
    expect(await rowsOf(who.unionid!)).toEqual([{ user_id: user.userInfo.id }]);
    const again = await appSignIn(who);
    expect(again.body.data.userInfo.id).toBe(user.userInfo.id);
    const types = (await auditOf(user.userInfo.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['identity_linked', 'social_login', 'login_success']));
    // SPEC §8: never a token or a code in the trail.
    const trail = JSON.stringify(await t.dataSource.query('SELECT * FROM audit_events'));
    expect(trail).not.toContain(token);
  });

  it('a wrong password is 401 on the login budget and leaves the link_token usable; then it works once', async () => {
    const user = await register(t);
    const token = await linkToken(person());
    const wrong = await post('/auth/social/link', {
      link_token: token,
      username: user.username,
      password: 'Wrong-Pass-99',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('INVALID_CREDENTIALS');
    expect((await auditOf(user.userInfo.id)).map((e) => [e.type, e.reason])).toContainEqual([
      'login_failure',
      'wrong_password',
    ]);
    const right = await post('/auth/social/link', {
      link_token: token,
      username: user.username,
      password: GOOD_PASSWORD,
    });
    expect(right.status).toBe(200);
    const reused = await post('/auth/social/link', {
      link_token: token,
      username: user.username,
      password: GOOD_PASSWORD,
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('SOCIAL_LOGIN_FAILED');
  });

  it('links with an SMS login code instead of the password', async () => {
    const phone = uniquePhone('137');
    const user = await register(t, { phone });
    const who = person();
    const token = await linkToken(who);
    const before = sink.inbox.count(phone);
    expect((await post('/auth/codes', { purpose: 'login', phone })).status).toBe(200);
    const { code } = await sink.inbox.next(phone, before);
    const res = await post('/auth/social/link', { link_token: token, phone, code });
    expect(res.status).toBe(200);
    expect(res.body.data.userInfo.id).toBe(user.userInfo.id);
    expect(await rowsOf(who.unionid!)).toEqual([{ user_id: user.userInfo.id }]);
  });

  it('refuses a link_token whose identity another account linked meanwhile: 409 IDENTITY_TAKEN', async () => {
    const [a, b] = [await register(t), await register(t)];
    const who = person();
    const [first, second] = [await linkToken(who), await linkToken(who)];
    expect(
      (await post('/auth/social/link', { link_token: first, username: a.username, password: GOOD_PASSWORD })).status,
    ).toBe(200);
    const res = await post('/auth/social/link', { link_token: second, username: b.username, password: GOOD_PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('IDENTITY_TAKEN');
    expect(await rowsOf(who.unionid!)).toEqual([{ user_id: a.userInfo.id }]);
  });

  it('sign-up creates an account holding only the identity; the link_token works once', async () => {
    const who = person();
    const token = await linkToken(who);
    const res = await post('/auth/social/signup', { link_token: token });
    expect(res.status).toBe(201);
    const me = await t
      .http()
      .get(`${API}/users/me`)
      .set(bearer(res.body.data.access_token as string));
    expect(me.body.data).toMatchObject({ phone: null, email: null });
    const [row] = await t.dataSource.query('SELECT password_hash FROM users WHERE id = ?', [res.body.data.userInfo.id]);
    expect(row.password_hash).toBe('');
    expect(await rowsOf(who.unionid!)).toEqual([{ user_id: res.body.data.userInfo.id }]);
    expect((await post('/auth/social/signup', { link_token: token })).body.error).toBe('SOCIAL_LOGIN_FAILED');
  });

  it('two first sign-ins with one new identity, then two sign-ups at once: exactly one identity row', async () => {
    const who = person();
    const tokens = await Promise.all([linkToken(who), linkToken(who)]);
    const answers = await Promise.all(tokens.map((link_token) => post('/auth/social/signup', { link_token })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error).toBe('IDENTITY_TAKEN');
    expect(await rowsOf(who.unionid!)).toEqual([
      { user_id: answers.find((a) => a.status === 201)!.body.data.userInfo.id },
    ]);
  });

  it('a disabled account is refused like a wrong password, and audited', async () => {
    const who = person();
    const signup = await post('/auth/social/signup', { link_token: await linkToken(who) });
    const id = signup.body.data.userInfo.id as number;
    await t.dataSource.query('UPDATE users SET disabled = 1 WHERE id = ?', [id]);
    const res = await appSignIn(who);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('INVALID_CREDENTIALS');
    expect((await auditOf(id)).map((e) => [e.type, e.reason])).toContainEqual(['login_failure', 'disabled']);
  });

  it("an IP outside the role's allow-list is refused like a wrong password, and audited", async () => {
    const who = person();
    const signup = await post('/auth/social/signup', { link_token: await linkToken(who) });
    const id = signup.body.data.userInfo.id as number;
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [id]);
    const res = await appSignIn(who);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('INVALID_CREDENTIALS');
    expect((await auditOf(id)).map((e) => e.type)).toContain('ip_not_allowed');
  });

  it('with TOTP on, a social sign-in answers the MFA challenge, no tokens', async () => {
    const who = person();
    const signup = await post('/auth/social/signup', { link_token: await linkToken(who) });
    await t.dataSource.query('UPDATE users SET totp_enabled = 1 WHERE id = ?', [signup.body.data.userInfo.id]);
    const res = await appSignIn(who);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ mfa_required: true, mfa_token: expect.any(String), mfa_expires_in: 300 });
  });

  describe('signed in: list, link another, unlink', () => {
    it('lists, links GitHub with a recent session, and unlinks', async () => {
      const user = await register(t);
      const auth = bearer(user.access_token);
      const start = await t
        .http()
        .post(`${API}/users/me/identities/github/start`)
        .set(auth)
        .send({ redirect_uri: REDIRECT_URI });
      expect(start.status).toBe(200);
      const state = new URL(start.body.data.authorize_url as string).searchParams.get('state')!;
      const gh = { id: 7_000_000 + people, login: unique('octo') };
      const linked = await t
        .http()
        .post(`${API}/users/me/identities/github/callback`)
        .set(auth)
        .send({ code: social.github.codeFor(gh), state });
      expect(linked.status).toBe(200);
      expect(linked.body.data).toMatchObject({ provider: 'github', display_name: gh.login });
      const list = await t.http().get(`${API}/users/me/identities`).set(auth);
      expect(list.body.data).toEqual([linked.body.data]);
      const del = await t.http().delete(`${API}/users/me/identities/${linked.body.data.id}`).set(auth);
      expect(del.status).toBe(200);
      expect((await t.http().get(`${API}/users/me/identities`).set(auth)).body.data).toEqual([]);
      expect((await auditOf(user.userInfo.id)).map((e) => e.type)).toEqual(
        expect.arrayContaining(['identity_linked', 'identity_unlinked']),
      );
    });

    it('a state started by one account cannot be finished by another', async () => {
      const [a, b] = [await register(t), await register(t)];
      const start = await t
        .http()
        .post(`${API}/users/me/identities/github/start`)
        .set(bearer(a.access_token))
        .send({ redirect_uri: REDIRECT_URI });
      const state = new URL(start.body.data.authorize_url as string).searchParams.get('state')!;
      const res = await t
        .http()
        .post(`${API}/users/me/identities/github/callback`)
        .set(bearer(b.access_token))
        .send({ code: social.github.codeFor({ id: 8_000_000 + people, login: 'x' }), state });
      expect(res.body.error).toBe('SOCIAL_LOGIN_FAILED');
    });

    it('refuses to link an identity of another account: 409 IDENTITY_TAKEN', async () => {
      const who = person();
      await post('/auth/social/signup', { link_token: await linkToken(who) });
      const user = await register(t);
      const start = await t
        .http()
        .post(`${API}/users/me/identities/wechat/start`)
        .set(bearer(user.access_token))
        .send({ redirect_uri: REDIRECT_URI });
      const state = new URL(start.body.data.authorize_url as string).searchParams.get('state')!;
      const res = await t
        .http()
        .post(`${API}/users/me/identities/wechat/callback`)
        .set(bearer(user.access_token))
        .send({ code: social.wechat.codeFor({ ...who, appId: 'wx_web' }), state });
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('IDENTITY_TAKEN');
    });

    it('needs recent authentication to link: 401 REAUTH_REQUIRED after the window', async () => {
      const user = await register(t);
      t.clock.advance(6 * 60_000);
      const res = await t
        .http()
        .post(`${API}/users/me/identities/github/start`)
        .set(bearer(user.access_token))
        .send({ redirect_uri: REDIRECT_URI });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('REAUTH_REQUIRED');
    });

    it('refuses to unlink the last way in (409), and answers 404 for an identity of another account', async () => {
      const signup = await post('/auth/social/signup', { link_token: await linkToken(person()) });
      const auth = bearer(signup.body.data.access_token as string);
      const [only] = (await t.http().get(`${API}/users/me/identities`).set(auth)).body.data as Array<{ id: number }>;
      const last = await t.http().delete(`${API}/users/me/identities/${only.id}`).set(auth);
      expect(last.status).toBe(409);
      expect(last.body.error).toBe('LAST_SIGN_IN_METHOD');
      const other = await register(t);
      const foreign = await t.http().delete(`${API}/users/me/identities/${only.id}`).set(bearer(other.access_token));
      expect(foreign.status).toBe(404);
      expect((await t.http().get(`${API}/users/me/identities`).set(auth)).body.data).toHaveLength(1);
    });
  });

  it('sign-up is 403 REGISTRATION_DISABLED when SOCIAL_SIGNUP is off', async () => {
    // Tests run in a shuffled order: the setting is put back for the others.
    await t.restart({ SOCIAL_SIGNUP: 'false' });
    try {
      const who = person();
      const res = await post('/auth/social/signup', { link_token: await linkToken(who) });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('REGISTRATION_DISABLED');
      expect(await rowsOf(who.unionid!)).toEqual([]);
    } finally {
      await t.restart({ SOCIAL_SIGNUP: 'true' });
    }
  });
});
