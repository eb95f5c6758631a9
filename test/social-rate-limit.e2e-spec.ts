import type { Response } from 'supertest';
import { API, bearer, register } from './helpers/auth-client.js';
import { REDIRECT_URI, type SocialStandIns, startSocialStandIns } from './helpers/social-env.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** The budgets in src/social/social.controller.ts, per client IP (/64) and minute. */
const START_MAX = 30;
const FINISH_MAX = 30;
/** The budget in src/social/my-identities.controller.ts, per account and minute, for linking starts and callbacks. */
const LINK_MAX = 30;

/**
 * Issue 23: the public social routes wrote a `social_grants` row per call with no limit. Each is now counted per
 * client /64: the request past the budget is 429 with `Retry-After` and writes nothing.
 */
describe('social sign-in starts and finishes are rate limited per client network', () => {
  let t: TestApp;
  let social: SocialStandIns;

  beforeAll(async () => {
    social = await startSocialStandIns();
    // X-Forwarded-For from the test client (loopback) names the caller, so each test has networks of its own.
    t = await createTestApp({ ...social.env, TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t.close();
    await social.close();
  });

  const grantRows = async () =>
    Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM social_grants'))[0].n as number | string);
  const start = (ip: string, provider = 'github') =>
    t
      .http()
      .post(`${API}/auth/social/${provider}/start`)
      .set('X-Forwarded-For', ip)
      .send({ redirect_uri: REDIRECT_URI });

  function expectRateLimited(res: Response): void {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  }

  it(`answers the start past ${START_MAX} a minute from one /64 with 429 and Retry-After, and writes no row`, async () => {
    for (let i = 1; i <= START_MAX; i += 1) {
      // Any address in the /64 counts for the network; any provider for the same budget.
      expect((await start(`2001:db8:51:1::${i.toString(16)}`, i % 2 === 0 ? 'github' : 'wechat')).status).toBe(200);
    }
    const rows = await grantRows();
    expectRateLimited(await start('2001:db8:51:1:ffff:ffff:ffff:ffff'));
    expect(await grantRows()).toBe(rows);
    // Another network is not affected; the same one may start again once the window has passed.
    expect((await start('2001:db8:51:2::1')).status).toBe(200);
    t.clock.advance(61_000);
    expect((await start('2001:db8:51:1::1')).status).toBe(200);
  });

  it(`shares one budget of ${FINISH_MAX} a minute between the callback and the WeChat app and mini-program sign-ins`, async () => {
    const ip = '2001:db8:52:1::1';
    const finish = (path: string, body: object) =>
      t.http().post(`${API}/auth/social/${path}`).set('X-Forwarded-For', ip).send(body);
    // Junk codes: each WeChat one is recorded as spent (a row) before the stand-in refuses it.
    for (let i = 0; i < FINISH_MAX; i += 1) {
      const res = await finish(i % 2 === 0 ? 'wechat/app' : 'wechat/mini', { code: `junk-${i}` });
      expect(res.status).toBe(400);
    }
    const rows = await grantRows();
    expectRateLimited(await finish('wechat/app', { code: 'junk-app' }));
    expectRateLimited(await finish('wechat/mini', { code: 'junk-mini' }));
    expectRateLimited(await finish('github/callback', { code: 'junk', state: 'junk' }));
    expect(await grantRows()).toBe(rows);
  });

  it(`answers a signed-in user's link starts and callbacks past ${LINK_MAX} a minute with 429, from any network`, async () => {
    const alice = bearer((await register(t)).access_token);
    const link = (auth: { Authorization: string }, ip: string, step: 'start' | 'callback') =>
      t
        .http()
        .post(`${API}/users/me/identities/github/${step}`)
        .set(auth)
        .set('X-Forwarded-For', ip)
        .send(step === 'start' ? { redirect_uri: REDIRECT_URI } : { code: 'junk', state: 'junk' });
    for (let i = 1; i <= LINK_MAX; i += 1) {
      // A new address each time: the budget follows the account, not the network.
      const res = await link(alice, `2001:db8:53:${i.toString(16)}::1`, i % 3 === 0 ? 'callback' : 'start');
      expect(res.status).toBe(i % 3 === 0 ? 400 : 200);
    }
    const rows = await grantRows();
    expectRateLimited(await link(alice, '2001:db8:53:ff::1', 'start'));
    expectRateLimited(await link(alice, '2001:db8:53:fe::1', 'callback'));
    expect(await grantRows()).toBe(rows);
    // Another account from the same network still links.
    const bob = bearer((await register(t)).access_token);
    expect((await link(bob, '2001:db8:53:ff::1', 'start')).status).toBe(200);
  });
});
