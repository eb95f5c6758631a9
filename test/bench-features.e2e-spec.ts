import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, bearer, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Issue 29: the feature table prices the app's plumbing too. `BENCH_DISABLE=guard-steps,validation-pipe` must leave
 * out exactly what the table's row says — the guard's steps after authentication and the global pipe — in that app
 * alone: authentication and public routes stay as they are, and an app with everything on, in the same process and on
 * the same database, still refuses.
 */
describe('BENCH_DISABLE plumbing variants', () => {
  let full: TestApp;
  let plumbingOut: TestApp;
  let access: string;
  let username: string;

  beforeAll(async () => {
    full = await createTestApp();
    plumbingOut = await createTestApp({ BENCH_DISABLE: 'guard-steps,validation-pipe' }, { database: full.db });
    ({ access_token: access, username } = await register(full));
  });

  afterAll(async () => {
    await plumbingOut.close();
    await full.close();
  });

  it('guard-steps leaves the role check out of that app only; the token is still required', async () => {
    const refused = await full.http().get(`${API}/admin/roles`).set(bearer(access));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 403, error: 'FORBIDDEN' });

    const letThrough = await plumbingOut.http().get(`${API}/admin/roles`).set(bearer(access));
    expect(letThrough.status).toBe(200);

    const noToken = await plumbingOut.http().get(`${API}/auth/check`);
    expect(noToken.status).toBe(401);
    expect(noToken.body).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
    expect((await plumbingOut.http().get('/health/live')).status).toBe(200);
  });

  it('validation-pipe leaves body validation out of that app only', async () => {
    const body = { username, password: GOOD_PASSWORD, surplus: 1 };
    const refused = await full.http().post(`${API}/auth/login`).send(body);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      errors: [{ field: 'surplus', rule: 'unknown_field' }],
    });

    const accepted = await plumbingOut.http().post(`${API}/auth/login`).send(body);
    expect(accepted.status).toBe(200);
  });
});
