import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const NEW_PASSWORD = 'Green-Teapot-73';

describe('PUT /users/me/password', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '', THROTTLE_LOGIN_ACCOUNT_IP_MAX: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  const change = (token: string, body: Record<string, unknown>) =>
    t.http().put(`${API}/users/me/password`).set(bearer(token)).send(body);
  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));
  const login = (username: string, password: string) => t.http().post(`${API}/auth/login`).send({ username, password });

  it('stores the new password and ends every other session, keeping the caller signed in', async () => {
    const user = await register(t);
    const other = (await login(user.username, GOOD_PASSWORD)).body.data as Tokens;
    const [before] = await t.dataSource.query('SELECT password_hash FROM users WHERE id = ?', [user.userInfo.id]);

    const res = await change(user.access_token, { current_password: GOOD_PASSWORD, new_password: NEW_PASSWORD });
    expect(res.body).toEqual({ code: 200, msg: 'success', data: null });

    expect((await me(other.access_token)).body.error).toBe('TOKEN_REVOKED');
    expect((await me(user.access_token)).status).toBe(200);
    expect((await login(user.username, GOOD_PASSWORD)).body.error).toBe('INVALID_CREDENTIALS');
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
    const [after] = await t.dataSource.query('SELECT password_hash FROM users WHERE id = ?', [user.userInfo.id]);
    expect(after.password_hash).toMatch(/^\$argon2id\$/);
    expect(after.password_hash).not.toBe(before.password_hash);
    const audit = await t.dataSource.query("SELECT user_id, reason FROM audit_events WHERE type = 'password_change'");
    expect(audit).toEqual([{ user_id: user.userInfo.id, reason: '1 other sessions ended' }]);
  });

  it('refuses a wrong current password with 401, and counts it as a failed login for that account', async () => {
    const user = await register(t);
    for (let i = 0; i < 3; i++) {
      const res = await change(user.access_token, { current_password: 'wrong-pass-77', new_password: NEW_PASSWORD });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('INVALID_CREDENTIALS');
    }
    const throttled = await change(user.access_token, { current_password: GOOD_PASSWORD, new_password: NEW_PASSWORD });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error).toBe('RATE_LIMITED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(user.username, GOOD_PASSWORD)).status).toBe(429);
    const [row] = await t.dataSource.query('SELECT password_hash FROM users WHERE id = ?', [user.userInfo.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect((await me(user.access_token)).status).toBe(200);
  });

  it('refuses a new password equal to the username, or a common one, with 400 on new_password', async () => {
    const user = await register(t);
    const common = ['password123', 'Password1!', 'P@ssw0rd1', 'qwerty1234', 'welcome1!', 'abc123!'];
    for (const newPassword of [user.username.toUpperCase(), ...common]) {
      const res = await change(user.access_token, { current_password: GOOD_PASSWORD, new_password: newPassword });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', errors: [{ field: 'new_password' }] });
    }
    expect((await login(user.username, GOOD_PASSWORD)).status).toBe(200);
  });

  it('refuses missing fields and unknown ones with 400, and no token with 401', async () => {
    const user = await register(t);
    const missing = await change(user.access_token, { new_password: NEW_PASSWORD });
    expect(missing.body.errors).toEqual([
      { field: 'current_password', rule: 'required', params: {}, message: expect.any(String) },
    ]);
    const extra = await change(user.access_token, {
      current_password: GOOD_PASSWORD,
      new_password: NEW_PASSWORD,
      username: 'someone',
    });
    expect(extra.status).toBe(400);
    const anonymous = await t
      .http()
      .put(`${API}/users/me/password`)
      .send({ current_password: GOOD_PASSWORD, new_password: NEW_PASSWORD });
    expect(anonymous.body.error).toBe('UNAUTHORIZED');
  });
});
