import type { Locator, Page } from 'playwright-core';
import { SWAGGER_USER } from '#src/common/decorators/api-fields.js';
import { API } from './helpers/auth-client.js';
import { launchPersistentChromium, listenLocally, type PersistentChromium } from './helpers/browser.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** What Swagger UI's live response panel shows after Execute. */
interface Shown {
  status: number;
  body: { code: number; msg: string; data: Record<string, unknown> | null; error?: string };
}

/**
 * Issue 14 items 2, 4 and 8: a developer's first minutes with Swagger UI on a fresh development server. Register and
 * log in with the pre-filled examples, Authorize with the token, reload, and call GET /users/me, reading every answer
 * from the page as a person would. One page walked through in order; its own database, so the fixed example user is new.
 */
describe('Swagger UI in headless Chromium', { shuffle: false }, () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  let chromium: PersistentChromium;
  let accessToken: string;

  beforeAll(async () => {
    // Docs are on by default outside production; development is what `npm run start:dev` gives a developer.
    t = await createTestApp({ NODE_ENV: 'development' });
    baseUrl = await listenLocally(t);
    chromium = await launchPersistentChromium({ viewport: { width: 1280, height: 1000 } });
    ({ page } = chromium);
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  /** The operation's block, by Swagger UI's `operations-<tag>-<operationId>` id. */
  const operation = (tag: string, operationId: string): Locator => page.locator(`#operations-${tag}-${operationId}`);

  /** Expands the operation and presses "Try it out", as a reader of the docs does. */
  async function tryItOut(op: Locator): Promise<void> {
    await op.locator('.opblock-summary').first().click();
    await op.locator('.try-out__btn').click();
    await op.locator('.execute').waitFor();
  }

  /**
   * Presses Execute and reads the status and the envelope from the live response panel. An earlier answer is
   * cleared first (Swagger UI's "Clear"), so what is read is this request's.
   */
  async function execute(op: Locator): Promise<Shown> {
    const clear = op.locator('.btn-clear');
    if (await clear.isVisible()) {
      await clear.click();
      await op.locator('.live-responses-table').waitFor({ state: 'detached' });
    }
    await op.locator('.execute').click();
    const answer = op.locator('.live-responses-table tr.response');
    const status = answer.locator('.response-col_status');
    const body = answer.locator('.response-col_description .highlight-code pre');
    await body.waitFor();
    return {
      status: Number((await status.textContent())?.trim()),
      body: JSON.parse((await body.textContent()) ?? '') as Shown['body'],
    };
  }

  /** The body Swagger UI pre-filled in the request editor, as JSON. */
  async function prefilledBody(op: Locator): Promise<Record<string, unknown>> {
    const text = await op.locator('.body-param__text').inputValue();
    return JSON.parse(text) as Record<string, unknown>;
  }

  it('serves Swagger UI at /docs with its own assets, nothing blocked by the CSP', async () => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(message.text());
      }
    });
    page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));

    await page.goto(`${baseUrl}/docs`);

    await operation('auth', 'AuthController_register').waitFor();
    expect(problems).toEqual([]);
  });

  it('registers with the pre-filled example: 201 and the envelope with tokens', async () => {
    const register = operation('auth', 'AuthController_register');
    await tryItOut(register);
    expect(await prefilledBody(register)).toMatchObject({ username: SWAGGER_USER.username, phone: SWAGGER_USER.phone });

    const shown = await execute(register);

    expect(shown.status).toBe(201);
    expect(shown.body).toMatchObject({ code: 201, data: { access_token: expect.any(String) } });
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM users WHERE username = ?', [
      SWAGGER_USER.username,
    ]);
    expect(Number(row.n)).toBe(1);
  });

  it('logs in with the pre-filled username example: 200 and an access token', async () => {
    const login = operation('auth', 'AuthController_login');
    await tryItOut(login);
    expect(await prefilledBody(login)).toMatchObject({ username: SWAGGER_USER.username, password: expect.any(String) });

    const shown = await execute(login);

    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ code: 200, data: { access_token: expect.any(String) } });
    accessToken = shown.body.data?.access_token as string;
  });

  it('logs in with the phone and the email examples from the examples list: the same user', async () => {
    const login = operation('auth', 'AuthController_login');
    const examples = login.locator('.opblock-section-request-body .examples-select select');
    for (const [example, field] of [
      ['phone', 'phone'],
      ['email', 'email'],
    ] as const) {
      await examples.selectOption(example);
      await expect.poll(async () => Object.keys(await prefilledBody(login)).sort()).toEqual(['password', field].sort());

      const shown = await execute(login);

      expect(shown.status).toBe(200);
      const claims = JSON.parse(
        Buffer.from((shown.body.data?.access_token as string).split('.')[1], 'base64url').toString(),
      ) as { sub: string };
      const [user] = await t.dataSource.query('SELECT id FROM users WHERE username = ?', [SWAGGER_USER.username]);
      expect(claims.sub).toBe(String(user.id));
    }
  });

  it('authorizes with the token, and stays authorized across a reload', async () => {
    const authorize = page.locator('.scheme-container .btn.authorize');
    // Swagger UI marks the button `unlocked` until a scheme has a value, then `locked`.
    const lockState = async () => ((await authorize.getAttribute('class')) ?? '').match(/\b(?:un)?locked\b/)?.[0];
    await expect.poll(lockState).toBe('unlocked');
    await authorize.click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('.auth-container input').fill(accessToken);
    await dialog.locator('.auth-btn-wrapper .btn.authorize').click();
    await dialog.locator('.auth-btn-wrapper .btn-done').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(lockState).toBe('locked');

    await page.reload();

    await operation('users', 'UsersController_me').waitFor();
    await expect.poll(lockState).toBe('locked');
  });

  it('GET /users/me answers 200 with the registered user, sent with the bearer token', async () => {
    const me = operation('users', 'UsersController_me');
    await tryItOut(me);
    const sent = page.waitForRequest((request) => request.url() === `${baseUrl}${API}/users/me`);

    const shown = await execute(me);

    expect((await sent).headers().authorization).toBe(`Bearer ${accessToken}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ code: 200, data: { username: SWAGGER_USER.username } });
    await expect(me.locator('.curl-command pre.curl').textContent()).resolves.toContain(
      `Authorization: Bearer ${accessToken}`,
    );
  });
});
