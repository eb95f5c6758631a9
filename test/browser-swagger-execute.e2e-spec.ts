import type { Locator, Page } from 'playwright-core';
import { SWAGGER_USER } from '#src/common/decorators/api-fields.js';
import { API, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { launchPersistentChromium, listenLocally, type PersistentChromium } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Operation {
  operationId: string;
  tags?: string[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
}
/** One operation of /docs-json, as the walk executes it. */
interface Step {
  method: string;
  path: string;
  op: Operation;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * The order a person tries the API in: register, log in (then Authorize), a code and a code login, every other
 * operation, then the ones that end sessions or change the password, the admin operations with an admin's token,
 * a password reset, and logout last. An operation added later lands among "every other operation" unless its path
 * says otherwise (`/admin/`), so it is executed without a change here.
 */
function rank({ method, path }: Step): number {
  const route = `${method} ${path.replace(API, '')}`;
  const fixed: Record<string, number> = {
    'POST /auth/register': 0,
    'POST /auth/login': 1,
    'POST /auth/codes': 2,
    'POST /auth/login/code': 3,
    'PUT /users/me/password': 20,
    'POST /auth/mfa/totp/disable': 20,
    'POST /auth/logout-all': 21,
    'POST /auth/password/reset': 40,
    'POST /auth/logout': 50,
  };
  return fixed[route] ?? (path.startsWith(`${API}/admin/`) ? 30 : 10);
}

/**
 * Issue 28 item 1: every operation of /docs-json executed through Swagger UI in Chromium, keeping the pre-filled
 * example: "Try it out", path parameters filled with real ids, Execute. Each must send its request and show a status
 * its operation documents; register, login, codes, code login and reset must succeed. The walk goes on past a broken
 * operation and fails once at the end with the list of every broken one.
 */
describe('Swagger UI: Execute on every operation', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let chromium: PersistentChromium;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(
      { NODE_ENV: 'development', LOG_LEVEL: 'warn', SMS_PROVIDER: 'console', EMAIL_PROVIDER: 'console' },
      { logStream: { write: (line) => void lines.push(line) } },
    );
    baseUrl = await listenLocally(t);
    chromium = await launchPersistentChromium({ viewport: { width: 1280, height: 1000 } });
    ({ page } = chromium);
    // A broken operation fails its step within seconds, and the walk goes on to the next one.
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  /**
   * The last code the console provider logged for `to` and `purpose` (SPEC §12: at warn, with a marker). Development
   * logs are lines for people, not JSON: the marker is looked for anywhere in a line.
   */
  async function loggedCode(to: string, purpose: string): Promise<string> {
    const marker = new RegExp(
      `\\[DEV ONLY: VERIFICATION CODE\\] \\w+ to ${to.replace('+', '\\+')} for ${purpose}: (\\d+)`,
    );
    let code = '';
    await vi.waitFor(
      () => {
        code = lines.map((line) => marker.exec(line)?.[1]).findLast(Boolean) ?? '';
        expect(code).toMatch(/^\d{6}$/);
      },
      { timeout: 10_000, interval: 50 },
    );
    return code;
  }

  /** Swagger UI's block of an operation: `operations-<first tag>-<operationId>`, spaces as `_`. */
  const block = (step: Step): Locator =>
    page.locator(`[id="operations-${(step.op.tags?.[0] ?? 'default').replace(/\s/g, '_')}-${step.op.operationId}"]`);

  async function tryItOut(op: Locator): Promise<void> {
    await op.scrollIntoViewIfNeeded();
    if (!(await op.locator('.opblock-body').isVisible())) {
      await op.locator('.opblock-summary').first().click();
    }
    const tryOut = op.locator('.try-out__btn');
    if ((await tryOut.textContent())?.trim() === 'Try it out') {
      await tryOut.click();
    }
    await op.locator('.execute').waitFor();
  }

  async function collapse(op: Locator): Promise<void> {
    if (await op.locator('.opblock-body').isVisible()) {
      await op
        .locator('.opblock-summary')
        .first()
        .click()
        .catch(() => undefined);
    }
  }

  async function selectExample(op: Locator, name: string): Promise<void> {
    await op.locator('.opblock-section-request-body .examples-select select').selectOption(name);
  }

  /** Replaces fields of the pre-filled body, as a person types the code they received. */
  async function editBody(op: Locator, changes: Record<string, unknown>): Promise<void> {
    const editor = op.locator('.body-param__text');
    const body = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(JSON.stringify({ ...body, ...changes }, null, 2));
  }

  async function fillPath(op: Locator, values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      await op.locator(`.parameters tr[data-param-name="${name}"] input`).fill(value);
    }
  }

  /**
   * Presses Execute; answers the status Swagger UI shows, the body, and whether the browser sent the request. An
   * earlier answer is cleared first, so what is read is this request's.
   */
  async function execute(step: Step): Promise<{ status: number; body: string; sent: boolean }> {
    const op = block(step);
    const clear = op.locator('.btn-clear');
    if (await clear.isVisible()) {
      await clear.click();
      await op.locator('.live-responses-table').waitFor({ state: 'detached' });
    }
    const pattern = new RegExp(`^${baseUrl}${step.path.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?.*)?$`);
    const sent = page
      .waitForRequest((r) => r.method() === step.method && pattern.test(r.url()), { timeout: 15_000 })
      .then(() => true)
      .catch(() => false);
    await op.locator('.execute').click();
    const answer = op.locator('.live-responses-table tr.response');
    await answer.waitFor({ timeout: 15_000 });
    const status = Number((await answer.locator('.response-col_status').textContent())?.trim());
    const body = (await answer.locator('.response-col_description pre').first().textContent()) ?? '';
    return { status, body, sent: await sent };
  }

  async function authorize(token: string): Promise<void> {
    const open = page.locator('.scheme-container .btn.authorize');
    await open.click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    const logout = dialog.locator('.auth-btn-wrapper button', { hasText: 'Logout' });
    if (await logout.isVisible()) {
      await logout.click();
    }
    await dialog.locator('.auth-container input').fill(token);
    await dialog.locator('.auth-btn-wrapper .btn.authorize').click();
    await dialog.locator('.auth-btn-wrapper .btn-done').click();
    await dialog.waitFor({ state: 'detached' });
  }

  const dataOf = (body: string) => (JSON.parse(body) as { data: Record<string, unknown> }).data;
  const claims = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string; sid: string };

  it('executes each operation as pre-filled; each shows a documented status', { timeout: 900_000 }, async () => {
    const doc = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, Operation>> };
    const steps: Step[] = Object.entries(doc.paths)
      .flatMap(([path, item]) =>
        METHODS.filter((m) => item[m] !== undefined).map((m) => ({ method: m.toUpperCase(), path, op: item[m] })),
      )
      .sort((a, b) => rank(a) - rank(b));
    // An admin, and a second user for the admin operations to act on (never the admin itself).
    const admin = await register(t, { username: uniqueName('admin') });
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE username = ?", [admin.username]);
    const adminLogin = await t
      .http()
      .post(`${API}/auth/login`)
      .send({ username: admin.username, password: GOOD_PASSWORD });
    const target = await register(t, { username: uniqueName('target') });

    // The first load compiles Swagger UI's bundle on a busy CI machine: give it time, once.
    await page.goto(`${baseUrl}/docs`, { timeout: 120_000 });
    await page.locator('.opblock').first().waitFor({ timeout: 120_000 });

    const broken: string[] = [];
    const mustSucceed = new Set(['register', 'login', 'codes', 'login/code', 'password/reset']);
    let userToken = '';
    let adminAuthorized = false;
    for (const step of steps) {
      const name = `${step.method} ${step.path}`;
      const before = broken.length;
      const route = step.path.replace(`${API}/auth/`, '');
      try {
        const op = block(step);
        if (rank(step) === 30 && !adminAuthorized) {
          await authorize(adminLogin.body.data.access_token as string);
          adminAuthorized = true;
        }
        if (rank(step) === 40) {
          // A reset: ask for its code through the codes operation's reset example, after the resend interval.
          t.clock.advance(120_000);
          const codes = steps.find((s) => s.path === `${API}/auth/codes`)!;
          await tryItOut(block(codes));
          await selectExample(block(codes), 'reset_phone');
          const asked = await execute(codes);
          if (asked.status !== 200) {
            broken.push(`POST ${API}/auth/codes (reset_phone): ${asked.status} ${asked.body}`);
          }
        }
        await tryItOut(op);
        if (route === 'login/code') {
          await editBody(op, { code: await loggedCode(SWAGGER_USER.phone, 'login') });
        } else if (route === 'password/reset') {
          await editBody(op, { code: await loggedCode(SWAGGER_USER.phone, 'reset_password') });
        }
        const pathIds: Record<string, string> = {};
        for (const p of step.op.parameters ?? []) {
          if (p.in === 'path') {
            pathIds[p.name] = await realId(step, p.name, userToken, target.username, adminLogin.body.data.access_token);
          }
        }
        await fillPath(op, pathIds);

        const shown = await execute(step);

        if (!shown.sent) {
          broken.push(`${name}: Swagger UI did not send the request (${shown.body.slice(0, 200)})`);
        } else if (step.op.responses[String(shown.status)] === undefined) {
          broken.push(`${name}: showed ${shown.status}, not a documented status`);
        } else if (mustSucceed.has(route) && shown.status >= 400) {
          broken.push(`${name}: the pre-filled example failed: ${shown.status} ${shown.body}`);
        }
        if ((route === 'login' || (route === 'password/reset' && shown.status === 200)) && shown.status < 300) {
          if (route === 'password/reset') {
            // The reset ended every session: log in again with the login example, as a person would.
            const login = steps.find((s) => s.path === `${API}/auth/login`)!;
            await tryItOut(block(login));
            const again = await execute(login);
            userToken = dataOf(again.body).access_token as string;
          } else {
            userToken = dataOf(shown.body).access_token as string;
          }
          await authorize(userToken);
          adminAuthorized = false;
        }
      } catch (e) {
        broken.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
      }
      // Folded again, so the page does not grow with every answer shown (a slow CI machine feels each one).
      await collapse(block(step));
      if (process.env.DEBUG_SWAGGER_WALK) {
        process.stdout.write(`${name} -> ${broken.slice(before).join('; ') || 'ok'}\n`);
      }
    }

    expect(broken).toEqual([]);
  });

  /**
   * A real id for a path parameter: another session of the user's (not the authorized one), the target user, a
   * sign-in provider name, or a webhook subscription (and a queued delivery) made for this one operation.
   */
  async function realId(
    step: Step,
    param: string,
    userToken: string,
    targetName: string,
    adminToken: string,
  ): Promise<string> {
    if (param === 'provider') {
      return 'github';
    }
    if (step.path.startsWith(`${API}/admin/webhooks/`)) {
      const created = await t
        .http()
        .post(`${API}/admin/webhooks`)
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ url: 'http://127.0.0.1:9/swagger-walk', events: ['*'] });
      if (param === 'delivery_id') {
        const queued = await t
          .http()
          .post(`${API}/admin/webhooks/${created.body.data.id}/test`)
          .set('Authorization', `Bearer ${adminToken}`);
        return String(queued.body.data.delivery_id);
      }
      return String(created.body.data.id);
    }
    if (step.path.startsWith(`${API}/users/me/identities/`)) {
      return '1';
    }
    if (step.path.startsWith(`${API}/admin/users/`)) {
      const [row] = await t.dataSource.query('SELECT id FROM users WHERE username = ?', [targetName]);
      return String(row.id);
    }
    if (step.path.startsWith(`${API}/auth/sessions/`)) {
      const { sub, sid } = claims(userToken);
      const rows = await t.dataSource.query<{ id: string }[]>('SELECT id FROM sessions WHERE user_id = ? AND id <> ?', [
        Number(sub),
        sid,
      ]);
      return rows[0]?.id ?? sid;
    }
    throw new Error(`no real id known for the path parameters of ${step.path}`);
  }
});
