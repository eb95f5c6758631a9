import type { HashQueue } from '#src/passwords/hash-queue.js';
import { PasswordService } from '#src/passwords/password.service.js';
import { API, bearer, GOOD_PASSWORD, type Tokens, uniqueName } from './helpers/auth-client.js';
import { startWebhookSink, uniquePhone, webhookEnv, WEBHOOK_SECRET } from './helpers/code-sinks.js';
import { REDIRECT_URI, type SocialStandIns, startSocialStandIns } from './helpers/social-env.js';
import type { WechatPerson } from './helpers/social-stand-ins.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let people = 0;
const unique = (prefix: string) => `${prefix}_${process.pid}_${(people += 1)}`;

/** Accounts of the `user` role may sign in from this network only (IP_ALLOWLIST_USER); loopback is outside it. */
const INSIDE = '10.88.0.1';
const OUTSIDE = '192.0.2.10';

/**
 * Issue 28 item 2: the answers of the social routes that no other spec produced on that operation. A refused
 * account answers 401 INVALID_CREDENTIALS on every sign-in route alike (SPEC §15), so each route is tried.
 */
describe('social sign-in answers what its operations document', () => {
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
      TRUST_PROXY: 'loopback',
      IP_ALLOWLIST_USER: '10.0.0.0/8',
      THROTTLE_LOGIN_ACCOUNT_IP_MAX: '2',
      // One hashing slot and no queue: a test holds the slot to fill it (SPEC §6).
      HASH_CONCURRENCY: '1',
      HASH_QUEUE_MAX: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([social.close(), sink.close()]);
  });

  const post = (path: string, body: object, from = INSIDE) =>
    t.http().post(`${API}${path}`).set('X-Forwarded-For', from).send(body);
  /** A password account registered from inside the network. */
  async function signUp(body: object = {}): Promise<Tokens & { username: string }> {
    const username = uniqueName();
    const res = await post('/auth/register', { username, password: GOOD_PASSWORD, ...body });
    expect(res.status).toBe(201);
    return { ...(res.body.data as Tokens), username };
  }
  const person = (appId: string, unionid = unique('u')): WechatPerson => ({ appId, openid: unique('o'), unionid });
  async function linkToken(who: WechatPerson): Promise<string> {
    const res = await post('/auth/social/wechat/app', { code: social.wechat.codeFor(who) });
    expect(res.body.data.link_required).toBe(true);
    return res.body.data.link_token as string;
  }
  const expectError = (res: { status: number; body: unknown }, status: number, error: string) => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ code: status, msg: expect.any(String), error, data: null });
  };

  it('refuses a disabled account on the redirect callback and the mini-program like a wrong password', async () => {
    const unionid = unique('u');
    const signup = await post('/auth/social/signup', { link_token: await linkToken(person('wx_app', unionid)) });
    expect(signup.status).toBe(201);
    await t.dataSource.query('UPDATE users SET disabled = 1 WHERE id = ?', [signup.body.data.userInfo.id]);

    const mini = await post('/auth/social/wechat/mini', { code: social.wechat.codeFor(person('wx_mini', unionid)) });
    expectError(mini, 401, 'INVALID_CREDENTIALS');
    const start = await post('/auth/social/wechat/start', { redirect_uri: REDIRECT_URI });
    const state = new URL(start.body.data.authorize_url as string).searchParams.get('state');
    const web = await post('/auth/social/wechat/callback', {
      code: social.wechat.codeFor(person('wx_web', unionid)),
      state,
    });
    expectError(web, 401, 'INVALID_CREDENTIALS');
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [
      signup.body.data.userInfo.id,
    ]);
    expect(Number(row.n)).toBe(1); // the sign-up's own, nothing since
  });

  it("creates the account of a sign-up from outside the role's network, then refuses it like a wrong password", async () => {
    const who = person('wx_app');
    const res = await post('/auth/social/signup', { link_token: await linkToken(who) }, OUTSIDE);
    expectError(res, 401, 'INVALID_CREDENTIALS');
    const [owner] = await t.dataSource.query('SELECT user_id FROM user_identities WHERE subject = ?', [who.unionid]);
    const audit = await t.dataSource.query(
      "SELECT type FROM audit_events WHERE user_id = ? AND type = 'ip_not_allowed'",
      [owner.user_id],
    );
    expect(audit).toHaveLength(1);
    // From inside, the identity signs that account in.
    const again = await post('/auth/social/wechat/app', { code: social.wechat.codeFor(who) });
    expect(again.body.data.userInfo.id).toBe(owner.user_id);
  });

  it('refuses a mini-program code used twice with 400 SOCIAL_LOGIN_FAILED', async () => {
    const code = social.wechat.codeFor(person('wx_mini'));
    expect((await post('/auth/social/wechat/mini', { code })).status).toBe(200);
    expectError(await post('/auth/social/wechat/mini', { code }), 400, 'SOCIAL_LOGIN_FAILED');
  });

  it('links with a wrong SMS code: 400 CODE_INVALID, and the link_token stays usable', async () => {
    const phone = uniquePhone('138');
    const user = await signUp({ phone });
    const who = person('wx_app');
    const token = await linkToken(who);
    expectError(await post('/auth/social/link', { link_token: token, phone, code: '000000' }), 400, 'CODE_INVALID');
    const res = await post('/auth/social/link', {
      link_token: token,
      username: user.username,
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.userInfo.id).toBe(user.userInfo.id);
  });

  it('links on the login budget: past THROTTLE_LOGIN_ACCOUNT_IP_MAX wrong passwords even the right one is 429', async () => {
    const user = await signUp();
    const token = await linkToken(person('wx_app'));
    const link = (password: string) =>
      post('/auth/social/link', { link_token: token, username: user.username, password });
    for (let i = 0; i < 2; i += 1) {
      expectError(await link('wrong-pass-77'), 401, 'INVALID_CREDENTIALS');
    }
    const throttled = await link(GOOD_PASSWORD);
    expectError(throttled, 429, 'RATE_LIMITED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(await t.dataSource.query('SELECT id FROM user_identities WHERE user_id = ?', [user.userInfo.id])).toEqual(
      [],
    );
  });

  it('links while the hashing queue is full: 503 SERVICE_UNAVAILABLE with Retry-After, and the link_token stays usable', async () => {
    const user = await signUp();
    const token = await linkToken(person('wx_app'));
    const link = () =>
      post('/auth/social/link', { link_token: token, username: user.username, password: GOOD_PASSWORD });
    const queue = t.app.get<PasswordService, { queue: HashQueue }>(PasswordService).queue;
    let release!: () => void;
    const held = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      const full = await link();
      expectError(full, 503, 'SERVICE_UNAVAILABLE');
      expect(Number(full.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      release();
      await held;
    }
    const res = await link();
    expect(res.status).toBe(200);
    expect(res.body.data.userInfo.id).toBe(user.userInfo.id);
  });

  it('linking another identity: 404 for a provider that is not configured, 401 REAUTH_REQUIRED past the window', async () => {
    const user = await signUp();
    const auth = { ...bearer(user.access_token), 'X-Forwarded-For': INSIDE };
    const me = (path: string, body: object) => t.http().post(`${API}/users/me/identities${path}`).set(auth).send(body);
    expectError(await me('/gitlab/start', { redirect_uri: REDIRECT_URI }), 404, 'NOT_FOUND');
    expectError(await me('/gitlab/callback', { code: 'c', state: 's' }), 404, 'NOT_FOUND');
    const start = await me('/github/start', { redirect_uri: REDIRECT_URI });
    const state = new URL(start.body.data.authorize_url as string).searchParams.get('state');
    t.clock.advance(6 * 60_000); // past REAUTH_WINDOW (5 minutes)
    expectError(await me('/github/callback', { code: 'c', state }), 401, 'REAUTH_REQUIRED');
  });
});

describe('social sign-in without WeChat configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 404 NOT_FOUND to the WeChat app and mini-program flows, in the caller language', async () => {
    for (const flow of ['app', 'mini']) {
      const res = await t
        .http()
        .post(`${API}/auth/social/wechat/${flow}`)
        .set('Accept-Language', 'zh-CN')
        .send({ code: 'any-code' });
      expect(res.status, flow).toBe(404);
      expect(res.body, flow).toEqual({
        code: 404,
        msg: expect.stringMatching(/[\u4e00-\u9fff]/),
        error: 'NOT_FOUND',
        data: null,
      });
    }
  });
});
