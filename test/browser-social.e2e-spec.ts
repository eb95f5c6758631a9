import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { ensureDemoPageBuilt, launchChromium } from './helpers/browser.js';
import { type SocialStandIns, startSocialStandIns } from './helpers/social-env.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** A port nobody holds now: the demo page is the redirect URI, which SOCIAL_REDIRECT_URIS must name before boot. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Issue 25: the demo page's WeChat QR flow in headless Chromium, against the WeChat stand-in. */
describe('demo page: WeChat QR sign-in and the link flow in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let social: SocialStandIns;

  beforeAll(async () => {
    await ensureDemoPageBuilt();
    social = await startSocialStandIns();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await createTestApp({ ...social.env, SOCIAL_REDIRECT_URIS: `${baseUrl}/` });
    await t.app.listen(port, '127.0.0.1');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await social?.close();
  });

  it('scans the QR code, links the new WeChat identity with a password, and lands signed in', async () => {
    const { username, userInfo } = await register(t);
    const unionid = `u_${process.pid}_browser`;
    social.wechat.scanAs({ appId: 'wx_web', openid: `o_${process.pid}_browser`, unionid, nickname: '扫码用户' });
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await page.goto(baseUrl);
      await page.getByRole('heading', { name: '或使用以下方式登录' }).waitFor();
      await expect(page.getByRole('button', { name: 'GitHub' }).isVisible()).resolves.toBe(true);
      await page.getByRole('button', { name: '微信登录' }).click();
      // The stand-in's qrconnect page; "scanning" sends the browser back with code and state.
      await page.locator('#scan').click();
      const link = page.locator('#social-link-form');
      await link.getByRole('heading', { name: '把这个登录方式绑定到你的账户' }).waitFor();
      expect(new URL(page.url()).search).toBe('');
      await link.getByLabel('用户名').fill(username);
      await link.getByLabel('密码').fill(GOOD_PASSWORD);
      await link.getByRole('button', { name: '绑定并登录' }).click();
      await page.locator('#signed-in').waitFor();
      await expect(page.locator('#profile').textContent()).resolves.toContain(username);
      const rows = await t.dataSource.query('SELECT user_id FROM user_identities WHERE subject = ?', [unionid]);
      expect(rows).toEqual([{ user_id: userInfo.id }]);
    } finally {
      await context.close();
    }
  });
});
