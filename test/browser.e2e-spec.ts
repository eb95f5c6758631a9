import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { API, GOOD_PASSWORD, uniqueName } from './helpers/auth-client.js';
import {
  ensureDemoPageBuilt,
  launchChromium,
  launchPersistentChromium,
  listenLocally,
  type PersistentChromium,
} from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const SCREENSHOTS = 'docs/screenshots';
const KEY = 'gatehouse.refresh_token';
// Long enough that a slow CI machine does not see a fresh token expire mid-step; expiry is a clock move.
const ACCESS_TTL_MS = 60_000;

/**
 * The README's pictures: written when missing or with UPDATE_SCREENSHOTS=1 (`npm run screenshots`),
 * so an ordinary test run does not rewrite committed files with new usernames and dates.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(path)) {
    await page.screenshot({ path, fullPage: true });
  }
}

/**
 * Lets every access token issued so far expire (JWT `exp` has one-second resolution) by moving the server's
 * clock: the page only reacts to the server's TOKEN_EXPIRED, so its own time need not move.
 */
const outliveAccessTokens = (t: TestApp) => t.clock.advance(ACCESS_TTL_MS + 1_000);

/**
 * Starts listening in `page` for another tab's rotated pair; the returned wait ends once the page's client has
 * it. The client trusts a peer's token by the page's own clock, which the test does not move: a tab must hold
 * the pair before the server's time jumps, as it would after waiting out the TTL.
 */
async function listenForPeerTokens(page: Page): Promise<() => Promise<void>> {
  await page.evaluate(() => {
    (window as unknown as { peerTokens: Promise<void> }).peerTokens = new Promise((resolve) => {
      // Created after the client's channel, so it hears a message after the client has: the HTML Standard's
      // BroadcastChannel postMessage delivers to its destinations in creation order.
      const channel = new BroadcastChannel('gatehouse-auth');
      channel.onmessage = (event: MessageEvent<{ type?: string }>) => {
        if (event.data?.type === 'tokens') {
          channel.close();
          resolve();
        }
      };
    });
  });
  return () => page.evaluate(() => (window as unknown as { peerTokens: Promise<void> }).peerTokens);
}

// One browser page walked through a user's story (register, profile, TOTP, log out and back in): its steps run in order.
describe('demo page in headless Chromium', { shuffle: false }, () => {
  let t: TestApp;
  let baseUrl: string;
  let context: BrowserContext;
  let page: Page;
  let chromium: PersistentChromium;
  let username: string;
  let recoveryCode: string;
  const refreshCalls: string[] = [];
  const meStatuses: number[] = [];

  beforeAll(async () => {
    await ensureDemoPageBuilt();
    t = await createTestApp({ JWT_ACCESS_TTL: `${ACCESS_TTL_MS / 1000}s` });
    baseUrl = await listenLocally(t);
    mkdirSync(SCREENSHOTS, { recursive: true });
    chromium = await launchPersistentChromium({ viewport: { width: 1100, height: 900 } });
    ({ context, page } = chromium);
    context.on('request', (request) => {
      if (request.url().endsWith('/auth/refresh')) {
        refreshCalls.push(request.url());
      }
    });
    context.on('response', (response) => {
      if (response.url().endsWith('/users/me')) {
        meStatuses.push(response.status());
      }
    });
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  const loggedIn = (p: Page) => p.getByRole('heading', { name: 'Profile' });
  const loginForm = (p: Page) => p.getByRole('heading', { name: 'Log in', exact: true });

  it('serves the page at / without shadowing the API, the docs or the health check', async () => {
    const home = await fetch(`${baseUrl}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    const missing = await fetch(`${baseUrl}${API}/no-such-route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 404, error: 'NOT_FOUND', data: null });
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/docs-json`)).status).toBe(200);
  });

  it('checks the register form with the server rules before sending anything', async () => {
    await page.goto(baseUrl);
    await expect(loginForm(page).isVisible()).resolves.toBe(true);
    await page.getByLabel('Choose a username').fill('x!');
    await page.getByLabel('Choose a password').fill('abc');
    await page.getByRole('button', { name: 'Create account' }).click();

    await expect(page.locator('#register-username-error').textContent()).resolves.toBe(
      'username must be at least 3 characters',
    );
    await expect(page.locator('#register-password-error').textContent()).resolves.toBe(
      'password must be at least 6 characters',
    );
    await expect(page.getByLabel('Choose a username').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Choose a username').evaluate((el) => el === document.activeElement)).resolves.toBe(
      true,
    );
    await screenshot(page, 'register-validation');
  });

  it('speaks Chinese in a Chinese browser, client and server messages alike, and remembers a switch to English', async () => {
    const browser = await launchChromium();
    try {
      const zh = await browser.newContext({ locale: 'zh-CN' });
      const zhPage = await zh.newPage();
      await zhPage.goto(baseUrl);
      await zhPage.getByRole('heading', { name: '登录', exact: true }).waitFor();
      await expect(zhPage.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');

      // Client-side checks: the shared rules, worded from the same rule codes as the server's.
      await zhPage.getByLabel('设置用户名').fill('x!');
      await zhPage.getByLabel('设置密码').fill('abc');
      await zhPage.getByRole('button', { name: '创建账号' }).click();
      await expect(zhPage.locator('#register-username-error').textContent()).resolves.toBe('用户名至少需要 3 个字符');
      await expect(zhPage.locator('#register-password-error').textContent()).resolves.toBe('密码至少需要 6 个字符');

      // A rule only the server checks (the common-password list) comes back in Chinese too.
      await zhPage.getByLabel('设置用户名').fill(uniqueName('zh'));
      await zhPage.getByLabel('设置密码').fill('password');
      await zhPage.getByRole('button', { name: '创建账号' }).click();
      await zhPage.locator('#register-password-error', { hasText: '过于常见' }).waitFor();

      await zhPage.getByRole('button', { name: 'English' }).click();
      await zhPage.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
      await zhPage.reload();
      await zhPage.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
      await expect(zhPage.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await zh.close();
    } finally {
      await browser.close();
    }
  });

  it('registers with the keyboard and shows the profile', async () => {
    username = uniqueName('web');
    await page.getByLabel('Choose a username').fill(username);
    await page.getByLabel('Display name (optional)').fill('Web Tester');
    await page.getByLabel('Choose a password').fill(GOOD_PASSWORD);
    await page.getByLabel('Choose a password').press('Enter');

    await loggedIn(page).waitFor();
    await expect(page.locator('#profile').textContent()).resolves.toContain(username);
    await expect(page.locator('#profile').textContent()).resolves.toContain('Web Tester');
    expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await screenshot(page, 'profile');
  });

  it('refreshes transparently when a click comes after the access token expired', async () => {
    outliveAccessTokens(t);
    refreshCalls.length = 0;
    meStatuses.length = 0;

    await page.getByRole('button', { name: 'Reload profile' }).click();

    await page.getByText('Profile reloaded.').waitFor();
    expect(meStatuses).toEqual([401, 200]);
    expect(refreshCalls).toHaveLength(1);
  });

  it('makes one refresh for two tabs clicking after expiry', async () => {
    const second = await context.newPage();
    const peerTokens = await listenForPeerTokens(page);
    await second.goto(baseUrl);
    await loggedIn(second).waitFor();
    await peerTokens();
    outliveAccessTokens(t);
    refreshCalls.length = 0;
    const [{ n: rowsBefore }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM refresh_tokens');

    await Promise.all([
      page.getByRole('button', { name: 'Reload profile' }).click(),
      second.getByRole('button', { name: 'Reload profile' }).click(),
    ]);

    await page.getByText('Profile reloaded.').waitFor();
    await second.getByText('Profile reloaded.').waitFor();
    expect(refreshCalls).toHaveLength(1);
    const [{ n: rowsAfter }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM refresh_tokens');
    expect(Number(rowsAfter)).toBe(Number(rowsBefore) + 1);
    await second.close();
  });

  it('revokes another session from the sessions list', async () => {
    const login = await fetch(`${baseUrl}${API}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Name': 'Test phone' },
      body: JSON.stringify({ username, password: GOOD_PASSWORD }),
    });
    const { refresh_token } = ((await login.json()) as { data: { refresh_token: string } }).data;
    await page.getByRole('button', { name: 'Reload sessions' }).click();
    const revoke = page.getByRole('button', { name: /Revoke session on Test phone/ });
    await revoke.waitFor();
    await screenshot(page, 'sessions');

    await revoke.click();

    await page.getByText('Session on Test phone revoked.').waitFor();
    await expect(revoke.count()).resolves.toBe(0);
    // The refresh token outlives the short access TTL, so it tells "revoked" from "expired" on a slow machine too.
    const refresh = await fetch(`${baseUrl}${API}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token }),
    });
    expect(refresh.status).toBe(401);
    expect(((await refresh.json()) as { error: string }).error).toBe('TOKEN_REVOKED');
  });

  it('sets up TOTP: shows the QR code, then turns it on with a code', async () => {
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'totp-setup');

    const secret = (await page.locator('#totp-secret').textContent()) ?? '';
    await page.locator('#totp-enable-form').getByLabel('Your password').fill(GOOD_PASSWORD);
    await page
      .getByLabel('Code from the app')
      .fill(await generate({ secret, epoch: Math.floor(t.clock.now() / 1000) }));
    await page.getByLabel('Code from the app').press('Enter');

    await page.getByText('Two-factor authentication is on.', { exact: true }).first().waitFor();
    const codes = await page.locator('#recovery-codes li').allTextContents();
    expect(codes).toHaveLength(10);
    recoveryCode = codes[0];
  });

  it('logs out, in every tab, and logs back in through the TOTP step', async () => {
    const other = await context.newPage();
    await other.goto(baseUrl);
    await loggedIn(other).waitFor();

    await page.getByRole('button', { name: 'Log out', exact: true }).click();

    await loginForm(page).waitFor();
    await loginForm(other).waitFor();
    expect(await page.evaluate((key) => localStorage.getItem(key), KEY)).toBeNull();
    await other.close();

    await page.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
    await page.locator('#login-form').getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await page.locator('#login-form').getByLabel('Password', { exact: true }).press('Enter');
    await page.getByLabel('6-digit code or a recovery code').fill(recoveryCode);
    await page.getByRole('button', { name: 'Verify' }).click();

    await loggedIn(page).waitFor();
    await expect(page.locator('#profile').textContent()).resolves.toContain('Two-factoron');
  });
});
