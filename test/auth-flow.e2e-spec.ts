import { API, bearer, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('register, login, refresh and logout', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers and answers 201 with the seed login format', async () => {
    const res = await t
      .http()
      .post(`${API}/auth/register`)
      .send({ username: 'Alice_1', password: GOOD_PASSWORD, name: 'Alice' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 201,
      msg: 'success',
      data: {
        token_type: 'bearer',
        expires_in: 86400,
        refresh_expires_in: 604800,
        userInfo: { name: 'Alice', role: 'user' },
      },
    });
    expect(typeof res.body.data.access_token).toBe('string');
    expect(typeof res.body.data.refresh_token).toBe('string');
    const [row] = await t.dataSource.query('SELECT password_hash FROM users WHERE username_normalized = ?', [
      'alice_1',
    ]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('logs in by username in any case and reads the profile', async () => {
    const res = await t.http().post(`${API}/auth/login`).send({ username: 'ALICE_1', password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    const me = await t.http().get(`${API}/users/me`).set(bearer(res.body.data.access_token));
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({
      username: 'Alice_1',
      name: 'Alice',
      phone: null,
      role: 'user',
      mfa_enabled: false,
    });
    expect(me.body.data).not.toHaveProperty('password_hash');
  });

  it('logs in by phone, national or E.164', async () => {
    await register(t, { phone: '13800138000' });
    const res = await t.http().post(`${API}/auth/login`).send({ phone: '+86 138 0013 8000', password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    const me = await t.http().get(`${API}/users/me`).set(bearer(res.body.data.access_token));
    expect(me.body.data.phone).toBe('+8613800138000');
  });

  it('refreshes, then refuses the access token of a logged-out session with TOKEN_REVOKED', async () => {
    const tokens = await register(t);
    const refreshed = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.data.refresh_token).not.toBe(tokens.refresh_token);
    const logout = await t.http().post(`${API}/auth/logout`).set(bearer(refreshed.body.data.access_token));
    expect(logout.body).toEqual({ code: 200, msg: 'success', data: null });
    for (const token of [tokens.access_token, refreshed.body.data.access_token]) {
      const me = await t.http().get(`${API}/users/me`).set(bearer(token));
      expect(me.status).toBe(401);
      expect(me.body.error).toBe('TOKEN_REVOKED');
    }
  });
});
