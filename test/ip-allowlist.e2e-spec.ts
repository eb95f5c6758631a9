import { TokenService } from '#src/auth/tokens/token.service.js';
import { API, bearer, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('IP allow-lists per role', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Supertest connects from loopback, which is outside this admin network.
    t = await createTestApp({ IP_ALLOWLIST_ADMIN: '10.0.0.0/8, 192.168.1.7' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an admin login from outside the list exactly like wrong credentials, and audits it', async () => {
    const admin = await register(t);
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [admin.userInfo.id]);
    const login = await t.http().post(`${API}/auth/login`).send({ username: admin.username, password: GOOD_PASSWORD });
    const wrong = await t
      .http()
      .post(`${API}/auth/login`)
      .send({ username: admin.username, password: 'wrong-pass-77' });
    expect(login.status).toBe(401);
    expect(login.body).toEqual(wrong.body);
    const rows = await t.dataSource.query(
      "SELECT identifier, reason FROM audit_events WHERE type = 'ip_not_allowed' AND user_id = ?",
      [admin.userInfo.id],
    );
    expect(rows).toEqual([{ identifier: admin.username, reason: 'ip_not_allowed' }]);
  });

  it('refuses requests of an admin token from outside the list with 403 IP_NOT_ALLOWED', async () => {
    const admin = await register(t);
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [admin.userInfo.id]);
    const [session] = await t.dataSource.query('SELECT id FROM sessions WHERE user_id = ?', [admin.userInfo.id]);
    // A correctly signed admin token, as if issued while the admin was inside the network.
    const token = t.app.get(TokenService).signAccess({ id: admin.userInfo.id, role: 'admin' }, session.id).token;
    const res = await t.http().get(`${API}/users/me`).set(bearer(token));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 403, error: 'IP_NOT_ALLOWED', data: null });
  });

  it('refuses a refresh of an admin from outside the list with 403 IP_NOT_ALLOWED, rotating nothing', async () => {
    const admin = await register(t);
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [admin.userInfo.id]);
    const [before] = await t.dataSource.query('SELECT id, refresh_jti FROM sessions WHERE user_id = ?', [
      admin.userInfo.id,
    ]);
    const res = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: admin.refresh_token });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, msg: expect.any(String), error: 'IP_NOT_ALLOWED', data: null });
    const [after] = await t.dataSource.query('SELECT refresh_jti, revoked_at FROM sessions WHERE id = ?', [before.id]);
    expect(after).toEqual({ refresh_jti: before.refresh_jti, revoked_at: null });
    const rows = await t.dataSource.query(
      "SELECT session_id, reason FROM audit_events WHERE type = 'ip_not_allowed' AND user_id = ?",
      [admin.userInfo.id],
    );
    expect(rows).toEqual([{ session_id: before.id, reason: 'request POST /auth/refresh' }]);
  });

  it('refuses /auth/mfa/verify for an admin from outside the list with 403 IP_NOT_ALLOWED, opening no session', async () => {
    // The password step happened while the account was still a user; it became an admin before the second step.
    const user = await register(t);
    await t.dataSource.query('UPDATE users SET totp_enabled = 1 WHERE id = ?', [user.userInfo.id]);
    const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.data.mfa_required).toBe(true);
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
    const res = await t
      .http()
      .post(`${API}/auth/mfa/verify`)
      .send({ mfa_token: login.body.data.mfa_token, code: '123456' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, msg: expect.any(String), error: 'IP_NOT_ALLOWED', data: null });
    const [sessions] = await t.dataSource.query('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [
      user.userInfo.id,
    ]);
    expect(Number(sessions.n)).toBe(1);
    const rows = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'ip_not_allowed' AND user_id = ?",
      [user.userInfo.id],
    );
    expect(rows).toEqual([{ reason: 'request POST /auth/mfa/verify' }]);
  });

  it('leaves roles without a list alone', async () => {
    const user = await register(t);
    expect((await t.http().get(`${API}/users/me`).set(bearer(user.access_token))).status).toBe(200);
    const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
  });
});
