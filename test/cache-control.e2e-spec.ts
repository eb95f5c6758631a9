import { generate } from 'otplib';
import type { Response } from 'supertest';
import { API, bearer, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const PERIOD = 30;

/** A TOTP code `steps` periods from now: the server accepts ±1 step, and each step only once. */
const code = (secret: string, steps: number) =>
  generate({ secret, epoch: (Math.floor(Date.now() / 1000 / PERIOD) + steps) * PERIOD });

function expectNoStore(res: Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['cache-control']).toBe('no-store');
}

describe('answers that carry secrets are never cached (RFC 6749 §5.1)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('marks a login reached through a percent-encoded path no-store too', async () => {
    const user = await register(t);
    const res = await t.http().post('/%61pi/v1/auth/login').send({ username: user.username, password: GOOD_PASSWORD });
    expectNoStore(res, 200);
    expect(res.body.data.access_token).toEqual(expect.any(String));
  });

  it('marks register, login and refresh answers no-store', async () => {
    const username = `cache_${process.pid}`;
    const registered = await t.http().post(`${API}/auth/register`).send({ username, password: GOOD_PASSWORD });
    expectNoStore(registered, 201);
    expect(registered.body.data.access_token).toEqual(expect.any(String));

    const login = await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
    expectNoStore(login, 200);

    const refresh = await t
      .http()
      .post(`${API}/auth/refresh`)
      .send({ refresh_token: login.body.data.refresh_token as string });
    expectNoStore(refresh, 200);
    expect(refresh.body.data.refresh_token).toEqual(expect.any(String));
  });

  it('marks the TOTP setup, enable and MFA verify answers no-store', async () => {
    const user = await register(t);
    const setup = await t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(user.access_token));
    expectNoStore(setup, 200);
    const secret = setup.body.data.secret as string;

    const enable = await t
      .http()
      .post(`${API}/auth/mfa/totp/enable`)
      .set(bearer(user.access_token))
      .send({ password: GOOD_PASSWORD, code: await code(secret, 0) });
    expectNoStore(enable, 200);
    expect(enable.body.data.recovery_codes).toEqual(expect.any(Array));

    const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.body.data.mfa_required).toBe(true);
    const verify = await t
      .http()
      .post(`${API}/auth/mfa/verify`)
      .send({ mfa_token: login.body.data.mfa_token as string, code: await code(secret, 1) });
    expectNoStore(verify, 200);
    expect(verify.body.data.access_token).toEqual(expect.any(String));
  });

  it('marks error answers no-store as well', async () => {
    const bad = await t.http().post(`${API}/auth/login`).send({ username: 'nobody_here', password: 'wrong-pass' });
    expectNoStore(bad, 401);
  });
});
