import type { Browser, Page } from 'playwright-core';
import { API, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { ensureDemoPageBuilt, launchChromium, listenLocally } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
const NEW_PASSWORD = 'Green-Teapot-73';

let phoneCounter = 0;
/** A mainland mobile number (SMS_ALLOWED_REGIONS defaults to CN), unique per run and worker. */
function uniquePhone(): string {
  phoneCounter += 1;
  return `+86137${String((process.pid * 1000 + phoneCounter) % 1e8).padStart(8, '0')}`;
}

/**
 * Issue 12 item 8: the demo page's code flows with the `console` provider, the way a developer uses them, reading
 * each code from the app's log (SPEC §12: written at warn with a marker). Each test has its own user and its own
 * browser context, so they run in any order.
 */
describe('demo page code flows in headless Chromium (console provider)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  const lines: string[] = [];

  beforeAll(async () => {
    await ensureDemoPageBuilt();
    t = await createTestApp(
      { LOG_LEVEL: 'warn', SMS_PROVIDER: 'console', EMAIL_PROVIDER: 'console' },
      { logStream: { write: (line) => void lines.push(line) } },
    );
    baseUrl = await listenLocally(t);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The code the console provider logged for `to` and `purpose`: sending runs after the answer, so wait for it. */
  async function loggedCode(to: string, purpose: string): Promise<string> {
    const marker = new RegExp(
      `^\\[DEV ONLY: VERIFICATION CODE\\] \\w+ to ${to.replace('+', '\\+')} for ${purpose}: (\\d+)$`,
    );
    let code = '';
    await vi.waitFor(
      () => {
        const msgs = lines.map((line) => (JSON.parse(line) as { msg?: string }).msg ?? '');
        code = msgs.map((msg) => marker.exec(msg)?.[1]).findLast(Boolean) ?? '';
        expect(code).toMatch(/^\d{6}$/);
      },
      { timeout: 10_000, interval: 50 },
    );
    return code;
  }

  /** A page in `locale` whose clock the test can move (`page.clock.fastForward`) instead of waiting. */
  async function open(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(baseUrl);
    return page;
  }

  it('counts the send-code button down resend_after seconds, and a 429 shows the seconds to wait', async () => {
    const phone = uniquePhone();
    await register(t, { phone });
    const page = await open('en-US');
    try {
      const form = page.locator('#code-login-form');
      const send = form.locator('#code-login-send');
      await form.getByLabel('Phone').fill(phone);
      await send.click();
      await page.getByText('If an account uses it, a code is on its way.').waitFor();
      // CODE_RESEND_INTERVAL defaults to 60 s (SPEC §12).
      await expect(send.textContent()).resolves.toMatch(/^Resend in (60|59) s$/);
      await expect(send.isDisabled()).resolves.toBe(true);
      await page.clock.fastForward(30_000);
      await expect(send.textContent()).resolves.toMatch(/^Resend in (30|29) s$/);
      await page.clock.fastForward(31_000);
      await expect(send.textContent()).resolves.toBe('Send code');
      await expect(send.isEnabled()).resolves.toBe(true);

      // The server's clock has not moved: a second code to that phone is refused with Retry-After.
      await send.click();
      const error = form.locator('.form-error');
      await error.filter({ hasText: /Too many attempts: try again in \d+ s\./ }).waitFor();
      await expect(error.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      // The button waits as long as the message says (a second or two less once the page's clock has moved on).
      const told = Number(/in (\d+) s/.exec((await error.textContent()) ?? '')?.[1]);
      const shown = Number(/^Resend in (\d+) s$/.exec((await send.textContent()) ?? '')?.[1]);
      expect(told).toBeGreaterThan(0);
      expect(told - shown).toBeGreaterThanOrEqual(0);
      expect(told - shown).toBeLessThanOrEqual(3);
      await expect(send.isDisabled()).resolves.toBe(true);
    } finally {
      await page.context().close();
    }
  });

  it('words the countdown and a 429 in Chinese in a Chinese browser', async () => {
    const email = `${uniqueName('cd')}@example.com`;
    await register(t, { email });
    await t.http().post(`${API}/auth/codes`).send({ purpose: 'reset_password', email });
    const page = await open('zh-CN');
    try {
      const form = page.locator('#reset-form');
      await form.getByLabel('手机号或邮箱').fill(email);
      await form.getByRole('button', { name: '获取验证码' }).click();
      await form
        .locator('.form-error')
        .filter({ hasText: /^尝试次数过多，请 \d+ 秒后重试。$/ })
        .waitFor();
      await expect(form.locator('#reset-send').textContent()).resolves.toMatch(/^\d+ 秒后重新发送$/);
    } finally {
      await page.context().close();
    }
  });

  it('logs in with an SMS code: request it, read it from the log, type it, land signed in', async () => {
    const phone = uniquePhone();
    const { username } = await register(t, { phone });
    const page = await open('en-US');
    try {
      const form = page.locator('#code-login-form');
      await form.getByRole('heading', { name: 'Log in with an SMS code' }).waitFor();
      await form.getByLabel('Phone').fill(phone);
      await form.getByRole('button', { name: 'Send code' }).click();
      await page.getByText('If an account uses it, a code is on its way.').waitFor();
      // It counts down the server's resend_after on its label.
      await expect(form.locator('#code-login-send').isDisabled()).resolves.toBe(true);
      await expect(form.locator('#code-login-send').textContent()).resolves.toMatch(/^Resend in \d+ s$/);

      const code = await loggedCode(phone, 'login');
      // A wrong code: the server's answer shows beside this form, focused.
      await form.getByLabel('Code from the SMS').fill(code === '000000' ? '111111' : '000000');
      await form.getByRole('button', { name: 'Log in' }).click();
      const error = form.locator('.form-error');
      await error.filter({ hasText: 'The code is wrong or no longer valid; request a new one' }).waitFor();
      await expect(error.evaluate((el) => el === document.activeElement)).resolves.toBe(true);

      await form.getByLabel('Code from the SMS').fill(code);
      await form.getByRole('button', { name: 'Log in' }).click();

      await page.getByRole('heading', { name: 'Profile' }).waitFor();
      await expect(page.locator('#profile').textContent()).resolves.toContain(username);
      // SPEC §12: a code login proves the phone it went to.
      await expect(page.locator('#profile').textContent()).resolves.toContain(`${phone} (verified)`);
      const [row] = await t.dataSource.query('SELECT phone_verified FROM users WHERE username = ?', [username]);
      expect(Boolean(Number(row.phone_verified))).toBe(true);
    } finally {
      await page.context().close();
    }
  });

  it('resets a forgotten password in a Chinese browser, then logs in with the new one', async () => {
    const email = `${uniqueName('reset')}@example.com`;
    const { username } = await register(t, { email });
    const page = await open('zh-CN');
    try {
      // SPEC §14: the code flows are Chinese in a Chinese browser.
      await page.getByRole('heading', { name: '短信验证码登录' }).waitFor();
      await expect(page.locator('#contact-form h2').textContent()).resolves.toBe('验证手机号 / 邮箱');
      const form = page.locator('#reset-form');
      await form.getByRole('heading', { name: '忘记密码' }).waitFor();

      // Checked on the page first, worded from the same rule codes as the server's.
      await form.getByRole('button', { name: '设置新密码' }).click();
      await expect(page.locator('#reset-destination-error').textContent()).resolves.toBe('请输入手机号或邮箱');
      await expect(page.locator('#reset-code-error').textContent()).resolves.toBe('请输入收到的数字验证码');

      await form.getByLabel('手机号或邮箱').fill(email);
      await form.getByRole('button', { name: '获取验证码' }).click();
      await page.getByText('如果有账号使用它，验证码已发出。').waitFor();
      const code = await loggedCode(email, 'reset_password');
      await form.getByLabel('收到的验证码').fill(code === '000000' ? '111111' : '000000');
      await form.getByLabel('新密码').fill(NEW_PASSWORD);
      await form.getByRole('button', { name: '设置新密码' }).click();
      await form.locator('.form-error', { hasText: '验证码错误或已失效，请重新获取' }).waitFor();
      await form.getByLabel('收到的验证码').fill(code);
      await form.getByLabel('新密码').fill('abc');
      await form.getByRole('button', { name: '设置新密码' }).click();
      await expect(page.locator('#reset-new-password-error').textContent()).resolves.toBe('新密码至少需要 6 个字符');
      await form.getByLabel('新密码').fill(NEW_PASSWORD);
      await form.getByRole('button', { name: '设置新密码' }).click();
      await page.getByText('密码已修改，所有会话均已结束：请用新密码登录。').waitFor();

      const old = await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
      expect(old.status).toBe(401);

      const login = page.locator('#login-form');
      await login.getByRole('textbox', { name: '用户名', exact: true }).fill(username);
      await login.getByLabel('密码', { exact: true }).fill(NEW_PASSWORD);
      await login.getByRole('button', { name: '登录' }).click();
      await page.getByRole('heading', { name: '个人资料' }).waitFor();
      await expect(page.locator('#profile').textContent()).resolves.toContain(username);
      // SPEC §12: a code reset proves the email it went to.
      await expect(page.locator('#profile').textContent()).resolves.toContain(`${email} (已验证)`);
    } finally {
      await page.context().close();
    }
  });

  it('changes the phone with the password asked again, and says the old contact was told (SPEC §3)', async () => {
    const oldPhone = uniquePhone();
    const newPhone = uniquePhone();
    const { username } = await register(t, { phone: oldPhone });
    await t.dataSource.query('UPDATE users SET phone_verified = ? WHERE username = ?', [true, username]);
    const page = await open('en-US');
    try {
      const login = page.locator('#login-form');
      await login.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
      await login.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
      await login.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Profile' }).waitFor();

      const form = page.locator('#contact-form');
      await form.getByLabel('Phone or email').fill(newPhone);
      await form.getByLabel('Your password').fill('not-my-password-1');
      await form.getByRole('button', { name: 'Send code' }).click();
      // A wrong password is refused by the server and shown beside it, focused; nothing is sent.
      await page.locator('#contact-password-error', { hasText: 'Wrong password' }).waitFor();
      await expect(page.locator('#contact-password').evaluate((el) => el === document.activeElement)).resolves.toBe(
        true,
      );
      await form.getByLabel('Your password').fill(GOOD_PASSWORD);
      await form.getByRole('button', { name: 'Send code' }).click();
      await page.getByText('If an account uses it, a code is on its way.').waitFor();
      await form.getByLabel('Code you received').fill(await loggedCode(newPhone, 'verify_phone'));
      await form.getByRole('button', { name: 'Verify' }).click();
      await page.getByText('the contact it replaced, if it was verified, has been told of the change').waitFor();
      await expect(page.locator('#profile').textContent()).resolves.toContain(`${newPhone} (verified)`);
      // SPEC §3: the replaced, verified phone is told by SMS (the console provider logs the notice).
      await vi.waitFor(() => expect(lines.join('\n')).toContain(`sms to ${oldPhone} for contact_changed`), {
        timeout: 10_000,
      });
    } finally {
      await page.context().close();
    }
  });
});
