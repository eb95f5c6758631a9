import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { CONSOLE_DIR } from '#src/console/console.module.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { launchChromium, listenLocally } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const SCREENSHOTS = 'docs/screenshots';
const TOTP_PERIOD_MS = 30_000;

/** The README's pictures: written when missing or with UPDATE_SCREENSHOTS=1 (`npm run screenshots`). */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(path)) {
    await page.screenshot({ path, fullPage: true });
  }
}

/** The next TOTP code for `secret`, one step after any code used before (the server refuses a replayed step). */
async function nextCode(t: TestApp, secret: string): Promise<string> {
  t.clock.advance(TOTP_PERIOD_MS);
  return generate({ secret, epoch: Math.floor(t.clock.now() / 1000) });
}

/** An admin with TOTP on, enabled through the API as a person would in the demo page. */
async function createAdminWithTotp(t: TestApp): Promise<{ username: string; secret: string; id: number }> {
  const user = await register(t);
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
  const setup = await t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(user.access_token));
  const secret = setup.body.data.secret as string;
  const enabled = await t
    .http()
    .post(`${API}/auth/mfa/totp/enable`)
    .set(bearer(user.access_token))
    .send({ password: GOOD_PASSWORD, code: await nextCode(t, secret) });
  expect(enabled.status).toBe(200);
  return { username: user.username, secret, id: user.userInfo.id };
}

function loginApi(t: TestApp, username: string) {
  return t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
}

/** Clicks a destructive action, then Confirm in the console's dialog; waits for the inline result. */
async function confirmAndWait(page: Page, button: ReturnType<Page['getByRole']>, result: string): Promise<void> {
  await button.click();
  await page.locator('#confirm[open] #confirm-ok').click();
  await page.locator('#user-result').filter({ hasText: result }).waitFor();
}

const LOCALES = [
  {
    locale: 'zh-CN',
    text: {
      signIn: '登录',
      verify: '验证',
      search: '搜索',
      revoke: '注销',
      revoked: '会话已结束。',
      disable: '停用账号',
      disabled: '已停用',
      unlock: '解除登录限制',
      unlocked: '登录限制',
      audit: '审计日志',
      filter: '筛选',
      adminAction: '管理员操作',
      notAdmin: '该账号不是管理员',
      wrongPassword: '错误',
      next: '下一页',
      previous: '上一页',
    },
  },
  {
    locale: 'en',
    text: {
      signIn: 'Sign in',
      verify: 'Verify',
      search: 'Search',
      revoke: 'Revoke',
      revoked: 'The session ended.',
      disable: 'Disable account',
      disabled: 'is disabled',
      unlock: 'Unlock login throttling',
      unlocked: 'is lifted',
      audit: 'Audit trail',
      filter: 'Filter',
      adminAction: 'Administrator action',
      notAdmin: 'not an administrator',
      wrongPassword: 'Wrong',
      next: 'Next page',
      previous: 'Previous page',
    },
  },
] as const;

// Each locale is one operator's walk through the console (SPEC §17): its steps run in order.
for (const { locale, text } of LOCALES) {
  describe(`admin console in headless Chromium (${locale})`, { shuffle: false }, () => {
    let t: TestApp;
    let base: string;
    let browser: Browser;
    let page: Page;
    let admin: { username: string; secret: string; id: number };
    let target: Tokens & { username: string; phone: string; deviceRefresh: string };

    beforeAll(async () => {
      if (!existsSync(join(CONSOLE_DIR, 'index.html'))) {
        await build({ configFile: 'console/vite.config.ts', logLevel: 'warn' });
      }
      // The default lockout, so an account can be locked and then unlocked from the console.
      t = await createTestApp({ THROTTLE_LOGIN_ACCOUNT_IP_MAX: '5' });
      base = await listenLocally(t);
      browser = await launchChromium();
      const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
      page = await context.newPage();
      admin = await createAdminWithTotp(t);
      const phone = `137${String(Date.now()).slice(-8)}`;
      const user = await register(t, { phone });
      const device = await t
        .http()
        .post(`${API}/auth/login`)
        .set('X-Device-Id', 'pixel-9-abc')
        .set('X-Device-Name', 'Pixel 9')
        .send({ username: user.username, password: GOOD_PASSWORD });
      target = { ...user, phone, deviceRefresh: device.body.data.refresh_token as string };
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('refuses a non-admin with a clear message in the browser language', async () => {
      const someone = await register(t);
      await page.goto(`${base}/admin/`);
      await page.locator('#signin-identifier').fill(someone.username);
      await page.locator('#signin-password').fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: text.signIn, exact: true }).click();
      await page.locator('#signin-error').filter({ hasText: text.notAdmin }).waitFor();
      expect(await page.locator('#nav').isHidden()).toBe(true);
    });

    it('shows a wrong password next to the form, in the browser language', async () => {
      await page.locator('#signin-identifier').fill(admin.username);
      await page.locator('#signin-password').fill('not-the-password-1');
      await page.getByRole('button', { name: text.signIn, exact: true }).click();
      await page.locator('#signin-error').filter({ hasText: text.wrongPassword }).waitFor();
    });

    it('signs an admin in with the password and then TOTP, and lands on the users', async () => {
      await page.locator('#signin-identifier').fill(admin.username);
      await page.locator('#signin-password').fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: text.signIn, exact: true }).click();
      await page.locator('#totp-code').fill(await nextCode(t, admin.secret));
      await page.getByRole('button', { name: text.verify, exact: true }).click();
      await page.locator('#users:not([hidden])').waitFor();
      expect(await page.locator('#whoami').textContent()).toContain(admin.username);
    });

    it('pages the users by cursor: Next follows next_after, Previous goes back, a newcomer shows once', async () => {
      for (let i = 0; i < 21; i++) {
        await register(t, { username: `pager_${String(i).padStart(2, '0')}` });
      }
      await page.locator('#search').fill('pager_');
      await page.getByRole('button', { name: text.search, exact: true }).click();
      const rows = page.locator('#users-table tbody tr');
      await page.locator('#users-table tbody a', { hasText: 'pager_19' }).waitFor();
      expect(await rows.count()).toBe(20);
      // Registered while page 1 is on screen: its id is past the cursor, so it lands on page 2 and shifts nothing.
      await register(t, { username: 'pager_21' });
      await page.getByRole('button', { name: text.next, exact: true }).click();
      await page.locator('#users-table tbody a', { hasText: 'pager_21' }).waitFor();
      expect(await rows.allTextContents()).toEqual([
        expect.stringContaining('pager_20'),
        expect.stringContaining('pager_21'),
      ]);
      expect(page.url()).toMatch(/[?&]after=\d+/);
      expect(await page.getByRole('button', { name: text.next, exact: true }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: text.previous, exact: true }).click();
      await page.locator('#users-table tbody a', { hasText: 'pager_00' }).waitFor();
      expect(await rows.count()).toBe(20);
    });

    it('keeps the newest search on screen when an earlier one answers after it', async () => {
      // The first search's answer is held back until the second search has been answered and drawn.
      const first = /\/api\/v1\/admin\/users\?q=pager_0&/;
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(first, async (route) => {
        await held;
        await route.continue();
      });
      const search = page.getByRole('button', { name: text.search, exact: true });
      await page.locator('#search').fill('pager_0');
      await search.click();
      await page.locator('#search').fill('pager_21');
      await search.click();
      await page.locator('#users-table tbody a', { hasText: 'pager_21' }).waitFor();
      const late = page.waitForResponse(first);
      release();
      await (await late).finished();
      // The late answer has arrived; give the page a few frames to (wrongly) draw it.
      await page.waitForTimeout(200);
      await page.unroute(first);
      expect(await page.locator('#users-table tbody tr').allTextContents()).toEqual([
        expect.stringContaining('pager_21'),
      ]);
      expect(await page.locator('#search').inputValue()).toBe('pager_21');
    });

    it('finds a user by their national phone number and opens them', async () => {
      await page.locator('#search').fill(target.phone);
      await page.getByRole('button', { name: text.search, exact: true }).click();
      await page.locator('#users-table tbody a', { hasText: target.username }).waitFor();
      expect(await page.locator('#users-table tbody tr').count()).toBe(1);
      await screenshot(page, `console-users-${locale}`);
      await page.locator('#users-table tbody a', { hasText: target.username }).click();
      await page.locator('#user-title').filter({ hasText: target.username }).waitFor();
    });

    it("revokes one of the user's sessions, after which that session's refresh is refused", async () => {
      const row = page.locator('#sessions-table tbody tr', { hasText: 'Pixel 9' });
      await confirmAndWait(page, row.getByRole('button', { name: new RegExp(text.revoke) }), text.revoked);
      await page.locator('#sessions-table tbody tr', { hasText: 'Pixel 9' }).waitFor({ state: 'detached' });
      const refresh = await t
        .http()
        .post(`${API}/auth/refresh`)
        .set('X-Device-Id', 'pixel-9-abc')
        .send({ refresh_token: target.deviceRefresh });
      expect(refresh.status).toBe(401);
      // The registration's session was not touched.
      expect((await t.http().get(`${API}/users/me`).set(bearer(target.access_token))).status).toBe(200);
    });

    it('disables the user after a confirmation, after which their login is refused', async () => {
      await confirmAndWait(page, page.getByRole('button', { name: text.disable, exact: true }), text.disabled);
      await screenshot(page, `console-user-${locale}`);
      const login = await loginApi(t, target.username);
      expect(login.status).toBe(401);
      expect(login.body.error).toBe('INVALID_CREDENTIALS');
    });

    it('unlocks an account locked by wrong passwords, after which its owner logs in at once', async () => {
      const locked = await register(t);
      for (let i = 0; i < 6; i++) {
        await t
          .http()
          .post(`${API}/auth/login`)
          .send({ username: locked.username, password: `wrong-guess-${i}` });
      }
      expect((await loginApi(t, locked.username)).status).toBe(429);
      await page.goto(`${base}/admin/#/users/${locked.userInfo.id}`);
      await page.locator('#user-title').filter({ hasText: locked.username }).waitFor();
      await confirmAndWait(page, page.getByRole('button', { name: text.unlock, exact: true }), text.unlocked);
      expect((await loginApi(t, locked.username)).status).toBe(200);
    });

    it('filters the audit trail to the actions just taken, with readable event names', async () => {
      await page.getByRole('link', { name: text.audit, exact: true }).click();
      await page.locator('#audit:not([hidden])').waitFor();
      await page.locator('#audit-type').selectOption('admin_action');
      await page.locator('#audit-user').fill(String(admin.id));
      await page.getByRole('button', { name: text.filter, exact: true }).click();
      // The unfiltered list the section's link loaded stays on screen until the filtered answer replaces it.
      await page
        .locator('#audit-table tbody tr', { hasNotText: text.adminAction })
        .first()
        .waitFor({ state: 'detached' });
      await page.locator('#audit-table tbody tr', { hasText: 'revoke-session' }).waitFor();
      const rows = await page.locator('#audit-table tbody tr').allTextContents();
      expect(rows.length).toBe(3);
      expect(rows.every((r) => r.includes(text.adminAction))).toBe(true);
      expect(rows.join('\n')).toMatch(/update: disabled/);
      expect(rows.join('\n')).toMatch(/unlock/);
      expect(page.url()).toContain('type=admin_action');
      await screenshot(page, `console-audit-${locale}`);
    });
  });
}
