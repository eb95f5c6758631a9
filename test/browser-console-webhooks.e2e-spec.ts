import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { build } from 'vite';
import { CONSOLE_DIR } from '#src/console/console.module.js';
import { WebhookDispatcher } from '#src/webhooks/webhook-dispatcher.service.js';
import { API, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { launchChromium, listenLocally } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from './helpers/webhook-receiver.js';

const SCREENSHOTS = 'docs/screenshots';

/** The README's pictures: written when missing or with UPDATE_SCREENSHOTS=1 (`npm run screenshots`). */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(path)) {
    await page.screenshot({ path, fullPage: true });
  }
}

/** Newest modification time under `dir`, 0 when it does not exist. */
function newest(dir: string): number {
  if (!existsSync(dir)) {
    return 0;
  }
  return Math.max(
    0,
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
  );
}

/** Builds the console when its bundle is missing or older than its sources, so the walk tests these pages. */
async function ensureConsoleBuilt(): Promise<void> {
  const built = existsSync(join(CONSOLE_DIR, 'index.html')) ? newest(CONSOLE_DIR) : 0;
  if (built < Math.max(newest('console/src'), statSync('console/index.html').mtimeMs)) {
    await build({ configFile: 'console/vite.config.ts', logLevel: 'warn' });
  }
}

/** Clicks a destructive action, then Confirm in the console's dialog; waits for the inline result in `slot`. */
async function confirmAndWait(page: Page, button: Locator, slot: string, result: string): Promise<void> {
  await button.click();
  await page.locator('#confirm[open] #confirm-ok').click();
  await page.locator(slot).filter({ hasText: result }).waitFor();
}

const LOCALES = [
  {
    locale: 'zh-CN',
    text: {
      signIn: '登录',
      webhooks: 'Webhook',
      create: '添加接收端',
      created: '已添加接收端',
      secretWarning: '不会再次显示',
      stored: '我已保存',
      test: '发送测试',
      queued: '已排队',
      deliveries: '投递记录',
      refresh: '刷新',
      failed: '失败 (500)',
      delivered: '已送达 (200)',
      redeliver: '重新投递',
      redelivered: '已重新排队',
      edit: '编辑',
      save: '保存修改',
      saved: '已保存接收端',
      rotate: '轮换密钥',
      rotated: '密钥已轮换',
      remove: '删除',
      removed: '已删除接收端',
      invalid: '事件必须是已注册的审计事件类型',
    },
  },
  {
    locale: 'en',
    text: {
      signIn: 'Sign in',
      webhooks: 'Webhooks',
      create: 'Add endpoint',
      created: 'added',
      secretWarning: 'not shown again',
      stored: 'I have stored it',
      test: 'Send test',
      queued: 'queued',
      deliveries: 'Deliveries',
      refresh: 'Refresh',
      failed: 'Failed (500)',
      delivered: 'Delivered (200)',
      redeliver: 'Redeliver',
      redelivered: 'queued again',
      edit: 'Edit',
      save: 'Save changes',
      saved: 'saved',
      rotate: 'Rotate secret',
      rotated: 'Secret rotated',
      remove: 'Delete',
      removed: 'deleted',
      invalid: 'Events must be registered audit event types',
    },
  },
] as const;

// One operator's walk through the webhook pages per locale (SPEC §16, §17): its steps run in order.
for (const { locale, text } of LOCALES) {
  describe(`admin console webhook pages in headless Chromium (${locale})`, { shuffle: false }, () => {
    let t: TestApp;
    let base: string;
    let browser: Browser;
    let page: Page;
    let receiver: WebhookReceiver;
    let secret: string;
    let failedEventId: string;
    const poll = () => t.app.get(WebhookDispatcher).poll();
    const endpointRow = () => page.locator('#webhooks-table tbody tr', { hasText: receiver.url });

    beforeAll(async () => {
      await ensureConsoleBuilt();
      // No poller: the walk delivers by calling poll(), and one retry, so a delivery fails after two 500s. Outside
      // production a loopback receiver is allowed (SPEC §16).
      t = await createTestApp({ WEBHOOK_POLL_INTERVAL: '0', WEBHOOK_RETRY_SCHEDULE: '1s' });
      base = await listenLocally(t);
      receiver = await startWebhookReceiver(200);
      browser = await launchChromium();
      const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
      page = await context.newPage();
      const admin = await register(t);
      await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [admin.userInfo.id]);
      await page.goto(`${base}/admin/`);
      await page.locator('#signin-identifier').fill(admin.username);
      await page.locator('#signin-password').fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: text.signIn, exact: true }).click();
      await page.locator('#users:not([hidden])').waitFor();
    });
    afterAll(async () => {
      await browser?.close();
      await receiver?.close();
      await t?.close();
    });

    it('refuses an unknown event type next to the form, in the browser language, and adds nothing', async () => {
      await page.getByRole('link', { name: text.webhooks, exact: true }).click();
      await page.locator('#webhooks:not([hidden])').waitFor();
      await page.locator('#webhook-url').fill(receiver.url);
      await page.locator('#webhook-events').fill('no_such_event');
      await page.getByRole('button', { name: text.create, exact: true }).click();
      await page.locator('#webhook-form-error').filter({ hasText: text.invalid }).waitFor();
      expect(await t.dataSource.query('SELECT id FROM webhook_endpoints')).toEqual([]);
    });

    it('adds an endpoint by keyboard and shows its secret once, with a warning and a copy button', async () => {
      await page.locator('#webhook-events').fill('login_success');
      await page.locator('#webhook-description').fill('On-call bot');
      await page.locator('#webhook-description').press('Enter');
      await page.locator('#webhooks-result').filter({ hasText: text.created }).waitFor();
      await page.locator('#secret-box:not([hidden])').filter({ hasText: text.secretWarning }).waitFor();
      secret = await page.locator('#secret-value').inputValue();
      expect(secret).toMatch(/^whsec_/);
      expect(await page.locator('#secret-copy').isVisible()).toBe(true);
      await endpointRow().waitFor();
      // Dismissed, it is gone from the page; a reload of the list never brings it back.
      await page.getByRole('button', { name: text.stored, exact: true }).click();
      expect(await page.locator('#secret-box').isHidden()).toBe(true);
      expect(await page.content()).not.toContain(secret);
    });

    it('test-sends from the page, and the receiver verifies it with the secret shown', async () => {
      await endpointRow()
        .getByRole('button', { name: new RegExp(`^${text.test}`) })
        .click();
      await page.locator('#webhooks-result').filter({ hasText: text.queued }).waitFor();
      await poll();
      await receiver.waitFor(1);
      const [message] = receiver.received;
      expect(message.json.type).toBe('webhook.test');
      expect(() => verifyWebhook(secret, message, Number(message.headers['webhook-timestamp']) * 1000)).not.toThrow();
    });

    it('shows a failed delivery with each attempt, and redelivers it from the page with the same webhook-id', async () => {
      receiver.answer(500);
      const user = await register(t);
      await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
      await poll();
      t.clock.advance(2_000); // past the one retry (1 s, jitter at most 20 %)
      await poll();
      const failures = receiver.received.filter((m) => m.json.type === 'login_success');
      expect(failures).toHaveLength(2);
      failedEventId = String(failures[0].headers['webhook-id']);

      // Its own nav link shows the list afresh.
      await page.getByRole('link', { name: text.webhooks, exact: true }).click();
      await endpointRow().filter({ hasText: text.failed }).waitFor();
      await endpointRow()
        .getByRole('link', { name: new RegExp(`^${text.deliveries}`) })
        .click();
      await page.locator('#webhook:not([hidden])').waitFor();
      const failedRows = page.locator('#deliveries-table tbody tr', { hasText: failedEventId });
      await failedRows.first().waitFor();
      expect(await failedRows.count()).toBe(2);
      expect(await failedRows.first().textContent()).toContain(text.failed);

      receiver.answer(200);
      await confirmAndWait(
        page,
        failedRows.first().getByRole('button', { name: new RegExp(`^${text.redeliver}`) }),
        '#webhook-result',
        text.redelivered,
      );
      await poll();
      const again = receiver.received.filter((m) => m.headers['webhook-id'] === failedEventId);
      expect(again).toHaveLength(3);
      expect(verifyWebhook(secret, again[2], Number(again[2].headers['webhook-timestamp']) * 1000)).toMatchObject({
        type: 'login_success',
      });
      await page.getByRole('button', { name: text.refresh, exact: true }).click();
      // The redelivery's own row: other events' delivered rows are on screen before the refreshed list arrives.
      await failedRows.filter({ hasText: text.delivered }).first().waitFor();
      expect(await failedRows.count()).toBe(3);
    });

    it('edits the event types and description, and the list shows the change', async () => {
      await page.getByRole('link', { name: text.webhooks, exact: true }).click();
      await endpointRow().filter({ hasText: text.delivered }).waitFor();
      // The picture starts at the table's first column (a click may have scrolled it sideways on a phone).
      await page.locator('#webhooks-table').evaluate((table) => table.parentElement?.scrollTo(0, 0));
      await screenshot(page, `console-webhooks-${locale}`);
      await endpointRow()
        .getByRole('button', { name: new RegExp(`^${text.edit}`) })
        .click();
      await page.locator('#webhook-events').fill('login_success, refresh_reuse');
      await page.locator('#webhook-description').fill('Security alerts');
      await page.getByRole('button', { name: text.save, exact: true }).click();
      await page.locator('#webhooks-result').filter({ hasText: text.saved }).waitFor();
      await endpointRow().filter({ hasText: 'refresh_reuse' }).filter({ hasText: 'Security alerts' }).waitFor();
      const [row] = await t.dataSource.query('SELECT events, description FROM webhook_endpoints');
      expect(row).toEqual({ events: '["login_success","refresh_reuse"]', description: 'Security alerts' });
    });

    it('rotates the secret after a confirmation and shows the new one once; both verify meanwhile', async () => {
      await confirmAndWait(
        page,
        endpointRow().getByRole('button', { name: new RegExp(`^${text.rotate}`) }),
        '#webhooks-result',
        text.rotated,
      );
      const fresh = await page.locator('#secret-value').inputValue();
      expect(fresh).toMatch(/^whsec_/);
      expect(fresh).not.toBe(secret);
      await endpointRow()
        .getByRole('button', { name: new RegExp(`^${text.test}`) })
        .click();
      await page.locator('#webhooks-result').filter({ hasText: text.queued }).waitFor();
      await poll();
      const message = receiver.received.at(-1)!;
      const at = Number(message.headers['webhook-timestamp']) * 1000;
      expect(() => verifyWebhook(fresh, message, at)).not.toThrow();
      expect(() => verifyWebhook(secret, message, at)).not.toThrow();
    });

    it('deletes the endpoint after a confirmation, and nothing is left of it', async () => {
      await confirmAndWait(
        page,
        endpointRow().getByRole('button', { name: new RegExp(`^${text.remove}`) }),
        '#webhooks-result',
        text.removed,
      );
      await endpointRow().waitFor({ state: 'detached' });
      expect(await t.dataSource.query('SELECT id FROM webhook_endpoints')).toEqual([]);
      expect(await t.dataSource.query('SELECT id FROM webhook_deliveries')).toEqual([]);
    });
  });
}
