import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { API, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
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
const NEW_PASSWORD = 'Green-Teapot-73';

/** Whether focus is on the element `selector` names: where a keyboard or screen-reader user now is. */
const focused = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => el === document.activeElement);

/** A TOTP code for the server's current time; a step later than the last one, so it is not a replay. */
async function nextTotp(t: TestApp, secret: string): Promise<string> {
  t.clock.advance(30_000);
  return generate({ secret, epoch: Math.floor(t.clock.now() / 1000) });
}

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
  let secret: string;
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
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.locator('#register-username-error').textContent()).resolves.toBe('Enter your username');
    await expect(page.locator('#register-password-error').textContent()).resolves.toBe('Enter your password');

    // The pattern before the length: a short name of other characters is told which characters are allowed.
    await page.getByLabel('Choose a username').fill('x!');
    await page.getByLabel('Choose a password').fill('abc');
    await page.getByRole('button', { name: 'Create account' }).click();

    await expect(page.locator('#register-username-error').textContent()).resolves.toBe(
      'username may contain only letters, digits, _ and -',
    );
    await expect(page.locator('#register-password-error').textContent()).resolves.toBe(
      'password must be at least 6 characters',
    );
    await expect(page.getByLabel('Choose a username').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(focused(page, '#register-username')).resolves.toBe(true);
    await screenshot(page, 'register-validation');
  });

  it('shows a taken username beside its field, focused, and clears it when another form is used', async () => {
    const taken = await register(t);
    await page.getByLabel('Choose a username').fill(taken.username);
    await page.getByLabel('Choose a password').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.locator('#register-username-error', { hasText: 'That username is taken' }).waitFor();
    await expect(focused(page, '#register-username')).resolves.toBe(true);

    // Another form is used: the stale error goes, and that form's own error shows next to it.
    await page.getByRole('textbox', { name: 'Username', exact: true }).fill(taken.username);
    await page.locator('#login-form').getByLabel('Password', { exact: true }).fill('Wrong-Password-1');
    await page.locator('#login-form').getByRole('button', { name: 'Log in', exact: true }).click();
    const loginError = page.locator('#login-form .form-error');
    await loginError.filter({ hasText: /./ }).waitFor();
    await expect(page.locator('#register-username-error').textContent()).resolves.toBe('');
    await expect(loginError.getAttribute('role')).resolves.toBe('alert');
    await expect(focused(page, '#login-form .form-error')).resolves.toBe(true);
    await page.locator('#login-form').getByLabel('Password', { exact: true }).fill('');
    await page.getByRole('textbox', { name: 'Username', exact: true }).fill('');
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
      await zhPage.getByRole('button', { name: '创建账号' }).click();
      await expect(zhPage.locator('#register-username-error').textContent()).resolves.toBe('请输入用户名');
      await expect(zhPage.locator('#register-password-error').textContent()).resolves.toBe('请输入密码');
      // The pattern before the length: 小明 is told which characters are allowed, not that it is too short.
      await zhPage.getByLabel('设置用户名').fill('小明');
      await zhPage.getByLabel('设置密码').fill('abc');
      await zhPage.getByRole('button', { name: '创建账号' }).click();
      await expect(zhPage.locator('#register-username-error').textContent()).resolves.toBe(
        '用户名只能包含字母、数字、_ 和 -',
      );
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

  it('walks the signed-in panels in Chinese: focus on the profile, the role translated, "密码错误"', async () => {
    const user = await register(t);
    const browser = await launchChromium();
    try {
      const zh = await browser.newContext({ locale: 'zh-CN' });
      const zhPage = await zh.newPage();
      await zhPage.goto(baseUrl);
      const login = zhPage.locator('#login-form');
      await login.getByRole('button', { name: '登录' }).click();
      await expect(zhPage.locator('#login-identifier-error').textContent()).resolves.toBe('请输入用户名');
      await expect(zhPage.locator('#login-password-error').textContent()).resolves.toBe('请输入密码');
      await login.getByRole('textbox', { name: '用户名', exact: true }).fill(user.username);
      await login.getByLabel('密码', { exact: true }).fill(GOOD_PASSWORD);
      await login.getByRole('button', { name: '登录' }).click();

      await zhPage.getByRole('heading', { name: '个人资料' }).waitFor();
      await expect(focused(zhPage, '#profile-title')).resolves.toBe(true);
      await expect(zhPage.locator('#profile').textContent()).resolves.toContain('角色用户');
      await zhPage.locator('#history-rows td', { hasText: '登录成功' }).first().waitFor();

      const form = zhPage.locator('#password-form');
      await form.getByLabel('当前密码').fill('Not-My-Password-9');
      await form.getByLabel('新密码').fill(NEW_PASSWORD);
      await form.getByRole('button', { name: '修改密码' }).click();
      await zhPage.locator('#password-current-error', { hasText: '密码错误' }).waitFor();
      await expect(zhPage.locator('#password-current-error').textContent()).resolves.toBe('密码错误');
      await expect(focused(zhPage, '#password-current')).resolves.toBe(true);
      await form.getByLabel('当前密码').fill(GOOD_PASSWORD);
      await form.getByRole('button', { name: '修改密码' }).click();
      await zhPage.getByText('密码已修改，其他设备上的会话已结束。').waitFor();
      await expect(zhPage.locator('#password-current-error').textContent()).resolves.toBe('');
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
    await expect(focused(page, '#profile-title')).resolves.toBe(true);
    await expect(page.locator('#profile').textContent()).resolves.toContain(username);
    await expect(page.locator('#profile').textContent()).resolves.toContain('Web Tester');
    await expect(page.locator('#profile').textContent()).resolves.toContain('RoleUser');
    await expect(page.locator('#login-form .form-error').textContent()).resolves.toBe('');
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

  it('changes the password: a wrong current one reads "Wrong password" beside it, then the new one works', async () => {
    const form = page.locator('#password-form');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(page.locator('#password-current-error').textContent()).resolves.toBe('Enter your current password');
    await expect(page.locator('#password-new-error').textContent()).resolves.toBe('Enter your new password');

    await form.getByLabel('Current password').fill('Not-My-Password-9');
    await form.getByLabel('New password').fill(NEW_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#password-current-error', { hasText: 'Wrong password' }).waitFor();
    await expect(focused(page, '#password-current')).resolves.toBe(true);
    await screenshot(page, 'password-change');

    await form.getByLabel('Current password').fill(GOOD_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Your other sessions have ended.').waitFor();
    await expect(page.locator('#password-current-error').textContent()).resolves.toBe('');
    const old = await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
    expect(old.status).toBe(401);
    const fresh = await t.http().post(`${API}/auth/login`).send({ username, password: NEW_PASSWORD });
    expect(fresh.status).toBe(200);
  });

  it('sets up TOTP: shows the QR code, then turns it on with a code', async () => {
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, 'totp-setup');

    secret = (await page.locator('#totp-secret').textContent()) ?? '';
    const enable = page.locator('#totp-enable-form');
    await enable.getByLabel('Your password').fill(NEW_PASSWORD);
    // A wrong code: the server's refusal shows beside this form, focused.
    const wrong = (await nextTotp(t, secret)) === '000000' ? '000001' : '000000';
    await enable.getByLabel('Code from the app').fill(wrong);
    await enable.getByLabel('Code from the app').press('Enter');
    await enable.locator('.form-error').filter({ hasText: /./ }).waitFor();
    await expect(focused(page, '#totp-enable-form .form-error')).resolves.toBe(true);

    await enable.getByLabel('Code from the app').fill(await nextTotp(t, secret));
    await enable.getByLabel('Code from the app').press('Enter');

    await page.getByText('Two-factor authentication is on.', { exact: true }).first().waitFor();
    await expect(enable.locator('.form-error').textContent()).resolves.toBe('');
    const codes = await page.locator('#recovery-codes li').allTextContents();
    expect(codes).toHaveLength(10);
  });

  it('regenerates the recovery codes with the password and a code, shown once; the old ones stop working', async () => {
    const oldCodes = await page.locator('#recovery-codes li').allTextContents();
    const form = page.locator('#totp-manage-form');
    await form.getByLabel('Your password').fill('Not-My-Password-9');
    await form.getByLabel('Code from the app, or a recovery code').fill(await nextTotp(t, secret));
    await form.getByRole('button', { name: 'New recovery codes' }).click();
    await page.locator('#totp-manage-password-error', { hasText: 'Wrong password' }).waitFor();
    await expect(focused(page, '#totp-manage-password')).resolves.toBe(true);

    await form.getByLabel('Your password').fill(NEW_PASSWORD);
    await form.getByLabel('Code from the app, or a recovery code').fill(await nextTotp(t, secret));
    await form.getByRole('button', { name: 'New recovery codes' }).click();
    await page.getByText('New recovery codes: the old ones no longer work. They are shown only now.').first().waitFor();
    const codes = await page.locator('#recovery-codes li').allTextContents();
    expect(codes).toHaveLength(10);
    expect(codes.filter((code) => oldCodes.includes(code))).toEqual([]);
    recoveryCode = codes[0];
    await screenshot(page, 'recovery-codes');
    await page.getByRole('button', { name: 'Reload profile' }).click();
    await page.getByText('Profile reloaded.').waitFor();
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
    await page.locator('#login-form').getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.locator('#login-form').getByLabel('Password', { exact: true }).press('Enter');
    // The MFA step's refusal shows beside it, focused.
    const mfa = page.locator('#mfa-form');
    await page.getByLabel('6-digit code or a recovery code').fill('AAAA-BBBB-CCCC-DDDD');
    await page.getByRole('button', { name: 'Verify' }).click();
    await mfa.locator('.form-error').filter({ hasText: /./ }).waitFor();
    await expect(focused(page, '#mfa-form .form-error')).resolves.toBe(true);
    await page.getByLabel('6-digit code or a recovery code').fill(recoveryCode);
    await page.getByRole('button', { name: 'Verify' }).click();

    await loggedIn(page).waitFor();
    await expect(focused(page, '#profile-title')).resolves.toBe(true);
    await expect(page.locator('#profile').textContent()).resolves.toContain('Two-factoron');
  });

  it('lists the login history, newest first, in words', async () => {
    await page.getByRole('button', { name: 'Reload history' }).click();
    await page.locator('#history-rows td', { hasText: 'Two-factor code accepted' }).first().waitFor();
    const events = await page.locator('#history-rows tr td:nth-child(2)').allTextContents();
    expect(events).toEqual(
      expect.arrayContaining(['Two-factor code refused', 'Logged out', 'New recovery codes', 'Two-factor turned on']),
    );
    await screenshot(page, 'login-history');
  });

  it('turns TOTP off with the password and a code', async () => {
    const form = page.locator('#totp-manage-form');
    await form.getByLabel('Your password').fill(NEW_PASSWORD);
    await form.getByLabel('Code from the app, or a recovery code').fill(await nextTotp(t, secret));
    await form.getByRole('button', { name: 'Turn off two-factor' }).click();

    await page.getByText('Two-factor authentication is off.', { exact: true }).first().waitFor();
    await expect(page.locator('#profile').textContent()).resolves.toContain('Two-factoroff');
    await expect(form.isHidden()).resolves.toBe(true);
    const [row] = await t.dataSource.query('SELECT totp_enabled FROM users WHERE username = ?', [username]);
    expect(Boolean(Number(row.totp_enabled))).toBe(false);
  });
});
