import type { AddressInfo } from 'node:net';
import { createAuthClient, createSocialClient, memoryStorage } from '../client/src/index.js';
import { API, register } from './helpers/auth-client.js';
import { REDIRECT_URI, type SocialStandIns, startSocialStandIns } from './helpers/social-env.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let people = 0;
const unique = (prefix: string) => `${prefix}_${process.pid}_${(people += 1)}`;

describe('social sign-in: WeChat, GitHub and OpenID Connect providers (SPEC §15)', () => {
  let t: TestApp;
  let social: SocialStandIns;
  const logs: string[] = [];

  beforeAll(async () => {
    social = await startSocialStandIns();
    t = await createTestApp(
      { ...social.env, LOG_LEVEL: 'warn' },
      { logStream: { write: (line: string) => void logs.push(line) } },
    );
  });
  afterAll(async () => {
    await t.close();
    await social.close();
  });

  const post = (path: string, body: object) => t.http().post(`${API}${path}`).send(body);
  const identities = () =>
    t.dataSource.query<Array<{ user_id: number | null; provider: string; issuer: string; subject: string }>>(
      'SELECT user_id, provider, issuer, subject FROM user_identities ORDER BY id',
    );
  /** `/start`, then the provider's redirect as a browser would follow it. */
  async function startState(provider: string): Promise<{ state: string; url: URL }> {
    const res = await post(`/auth/social/${provider}/start`, { redirect_uri: REDIRECT_URI });
    expect(res.status).toBe(200);
    const url = new URL(res.body.data.authorize_url as string);
    return { state: url.searchParams.get('state')!, url };
  }

  it('lists the configured providers and their flows', async () => {
    const res = await t.http().get(`${API}/auth/social/providers`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { name: 'wechat', kind: 'wechat', flow: 'redirect' },
      { name: 'github', kind: 'github', flow: 'redirect' },
      { name: 'corp', kind: 'oidc', flow: 'redirect' },
      { name: 'wechat', kind: 'wechat', flow: 'app' },
      { name: 'wechat', kind: 'wechat', flow: 'mini' },
    ]);
  });

  it('WeChat QR: start points at qrconnect; a new identity answers link_required, never tokens', async () => {
    const { state, url } = await startState('wechat');
    expect(`${url.origin}${url.pathname}`).toBe(`${social.wechat.url}/connect/qrconnect`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      appid: 'wx_web',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'snsapi_login',
    });
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const code = social.wechat.codeFor({ appId: 'wx_web', openid: unique('o'), unionid: unique('u') });
    const res = await post('/auth/social/wechat/callback', { code, state });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ link_required: true, link_token: expect.any(String), provider: 'wechat' });
    expect(res.body.data).not.toHaveProperty('access_token');
    // The state and the link token are stored hashed only.
    const grants = JSON.stringify(await t.dataSource.query('SELECT * FROM social_grants'));
    expect(grants).not.toContain(state);
    expect(grants).not.toContain(res.body.data.link_token);
  });

  it('refuses a redirect_uri that is not configured, with a field error in the caller language', async () => {
    const res = await t
      .http()
      .post(`${API}/auth/social/github/start`)
      .set('Accept-Language', 'zh-CN')
      .send({ redirect_uri: 'http://127.0.0.1:5999/social-callback/evil' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      errors: [{ field: 'redirect_uri', rule: 'redirect_uri_not_allowed' }],
    });
    expect(res.body.errors[0].message).toBe('redirect_uri 不在允许的回调地址列表中');
  });

  it('answers 404 for a provider that is not configured', async () => {
    expect((await post('/auth/social/gitlab/start', { redirect_uri: REDIRECT_URI })).body).toMatchObject({
      code: 404,
      error: 'NOT_FOUND',
    });
    expect((await post('/auth/social/gitlab/callback', { code: 'c', state: 's' })).status).toBe(404);
  });

  it('a state works once, and a bad state is refused before the code reaches the provider', async () => {
    const { state } = await startState('wechat');
    const person = { appId: 'wx_web', openid: unique('o') };
    const first = await post('/auth/social/wechat/callback', { code: social.wechat.codeFor(person), state });
    expect(first.body.data.link_required).toBe(true);
    const callsBefore = social.wechat.calls.length;
    const again = await post('/auth/social/wechat/callback', { code: social.wechat.codeFor(person), state });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'SOCIAL_LOGIN_FAILED', data: null });
    const forged = await post('/auth/social/wechat/callback', { code: social.wechat.codeFor(person), state: 'forged' });
    expect(forged.body.error).toBe('SOCIAL_LOGIN_FAILED');
    expect(social.wechat.calls.length).toBe(callsBefore);
  });

  it('a state is good for 10 minutes', async () => {
    const { state } = await startState('wechat');
    t.clock.advance(10 * 60_000 + 1);
    const res = await post('/auth/social/wechat/callback', {
      code: social.wechat.codeFor({ appId: 'wx_web', openid: unique('o') }),
      state,
    });
    expect(res.body.error).toBe('SOCIAL_LOGIN_FAILED');
  });

  it('WeChat errcode 40029 (bad code) is logged, never shown, in either language', async () => {
    const { state } = await startState('wechat');
    const res = await t
      .http()
      .post(`${API}/auth/social/wechat/callback`)
      .set('Accept-Language', 'zh-CN')
      .send({ code: 'not-a-code', state });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 400,
      msg: '第三方登录失败，请重新开始',
      error: 'SOCIAL_LOGIN_FAILED',
      data: null,
    });
    expect(JSON.stringify(res.body)).not.toContain('40029');
    expect(logs.join('\n')).toContain('errcode 40029');
  });

  it('a WeChat app code works once: the second use is refused (our record, and WeChat 40163 behind it)', async () => {
    const code = social.wechat.codeFor({ appId: 'wx_app', openid: unique('o') });
    expect((await post('/auth/social/wechat/app', { code })).body.data.link_required).toBe(true);
    const again = await post('/auth/social/wechat/app', { code });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('SOCIAL_LOGIN_FAILED');
  });

  it('unionid reaches one account from the website, the mobile app and the mini-program', async () => {
    const unionid = unique('union');
    const { state } = await startState('wechat');
    const web = await post('/auth/social/wechat/callback', {
      code: social.wechat.codeFor({ appId: 'wx_web', openid: unique('o'), unionid }),
      state,
    });
    const signup = await post('/auth/social/signup', { link_token: web.body.data.link_token });
    expect(signup.status).toBe(201);
    const userId = signup.body.data.userInfo.id as number;
    const app = await post('/auth/social/wechat/app', {
      code: social.wechat.codeFor({ appId: 'wx_app', openid: unique('o'), unionid }),
    });
    expect(app.body.data.userInfo.id).toBe(userId);
    const mini = await post('/auth/social/wechat/mini', {
      code: social.wechat.codeFor({ appId: 'wx_mini', openid: unique('o'), unionid }),
    });
    expect(mini.status).toBe(200);
    expect(mini.body.data.userInfo.id).toBe(userId);
    expect((await identities()).filter((i) => i.subject === unionid)).toEqual([
      { user_id: userId, provider: 'wechat', issuer: 'wechat:unionid', subject: unionid },
    ]);
    const audit = await t.dataSource.query('SELECT type, reason FROM audit_events WHERE user_id = ? ORDER BY id', [
      userId,
    ]);
    expect(audit.filter((e: { type: string }) => e.type === 'social_login')).toHaveLength(3);
  });

  it('without unionid, the openid is the key, per app', async () => {
    const openid = unique('o');
    const code = social.wechat.codeFor({ appId: 'wx_mini', openid });
    const first = await post('/auth/social/wechat/mini', { code });
    await post('/auth/social/signup', { link_token: first.body.data.link_token });
    expect((await identities()).find((i) => i.subject === openid)).toMatchObject({ issuer: 'wechat:openid:wx_mini' });
  });

  it('GitHub: the numeric id is the identity, and a bad code is SOCIAL_LOGIN_FAILED', async () => {
    const person = { id: 4_000_000 + people, login: unique('octo') };
    const { state, url } = await startState('github');
    expect(`${url.origin}${url.pathname}`).toBe(`${social.github.url}/login/oauth/authorize`);
    const first = await post('/auth/social/github/callback', { code: social.github.codeFor(person), state });
    const signup = await post('/auth/social/signup', { link_token: first.body.data.link_token });
    expect(signup.status).toBe(201);
    // The login changes; the id does not.
    const renamed = { ...person, login: unique('renamed') };
    const second = await post('/auth/social/github/callback', {
      code: social.github.codeFor(renamed),
      state: (await startState('github')).state,
    });
    expect(second.body.data.userInfo.id).toBe(signup.body.data.userInfo.id);
    expect((await identities()).find((i) => i.provider === 'github' && i.subject === String(person.id))).toBeTruthy();
    const bad = await post('/auth/social/github/callback', { code: 'nope', state: (await startState('github')).state });
    expect(bad.body.error).toBe('SOCIAL_LOGIN_FAILED');
  });

  it('OIDC: discovery, PKCE S256, state, nonce and ID token checks; (iss, sub) is the identity', async () => {
    const { state, url } = await startState('corp');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('nonce')).toBeTruthy();
    const login = unique('alice');
    const back = await social.oidc.authorize(url.href, login);
    expect(back.get('state')).toBe(state);
    expect(back.get('iss')).toBe(social.oidc.issuer);
    const first = await post('/auth/social/corp/callback', {
      code: back.get('code'),
      state: back.get('state'),
      iss: back.get('iss'),
    });
    expect(first.body.data).toMatchObject({ link_required: true, provider: 'corp' });
    const signup = await post('/auth/social/signup', { link_token: first.body.data.link_token });
    expect(signup.status).toBe(201);
    expect((await identities()).find((i) => i.subject === login)).toMatchObject({
      provider: 'corp',
      issuer: social.oidc.issuer,
      user_id: signup.body.data.userInfo.id,
    });
  });

  it('OIDC: an iss that is not the provider (RFC 9207 mix-up) is refused', async () => {
    const { url } = await startState('corp');
    const back = await social.oidc.authorize(url.href, unique('bob'));
    const res = await post('/auth/social/corp/callback', {
      code: back.get('code'),
      state: back.get('state'),
      iss: 'https://attacker.example',
    });
    expect(res.body.error).toBe('SOCIAL_LOGIN_FAILED');
  });

  it('never links by a matching email: an account with the same email still gets link_required', async () => {
    await register(t, { email: 'shared@example.com' });
    const { url } = await startState('corp');
    const back = await social.oidc.authorize(url.href, unique('carol'));
    const res = await post('/auth/social/corp/callback', {
      code: back.get('code'),
      state: back.get('state'),
      iss: back.get('iss'),
    });
    expect(res.body.data).toMatchObject({ link_required: true });
  });

  it('two callbacks with one code and state: exactly one wins', async () => {
    const { state } = await startState('wechat');
    const code = social.wechat.codeFor({ appId: 'wx_web', openid: unique('o') });
    const answers = await Promise.all([
      post('/auth/social/wechat/callback', { code, state }),
      post('/auth/social/wechat/callback', { code, state }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(answers.find((a) => a.status === 400)!.body.error).toBe('SOCIAL_LOGIN_FAILED');
  });

  it('two app sign-ins with one code: exactly one wins', async () => {
    const code = social.wechat.codeFor({ appId: 'wx_app', openid: unique('o') });
    const answers = await Promise.all([
      post('/auth/social/wechat/app', { code }),
      post('/auth/social/wechat/app', { code }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
  });

  it('the TypeScript client signs in with WeChat, signs up, and lists the identity', async () => {
    await t.app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const auth = createAuthClient({ baseUrl, storage: memoryStorage(), channel: null, locks: null });
    const client = createSocialClient(auth);
    try {
      expect((await client.providers()).map((p) => p.name)).toContain('github');
      const first = await client.wechat('app', social.wechat.codeFor({ appId: 'wx_app', openid: unique('o') }));
      expect(first).toMatchObject({ link_required: true, provider: 'wechat' });
      const session = await client.signup((first as { link_token: string }).link_token);
      expect(session.mfa_required).toBe(false);
      expect(await client.identities()).toEqual([expect.objectContaining({ provider: 'wechat' })]);
      expect(await client.start('github', REDIRECT_URI)).toContain(`${social.github.url}/login/oauth/authorize?`);
    } finally {
      auth.close();
    }
  });
});
