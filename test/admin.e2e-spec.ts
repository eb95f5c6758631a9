import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Registers a user and promotes them in the database, then logs in again so the token carries the role. */
async function createAdmin(t: TestApp): Promise<Tokens & { username: string }> {
  const user = await register(t);
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
  const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
  return { ...(login.body.data as Tokens), username: user.username };
}

describe('admin API', () => {
  let t: TestApp;
  let admin: Tokens & { username: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a non-admin with 403 FORBIDDEN on every admin route', async () => {
    const user = await register(t);
    for (const [method, path] of [
      ['get', '/admin/users'],
      ['patch', `/admin/users/${admin.userInfo.id}`],
      ['post', `/admin/users/${admin.userInfo.id}/revoke-sessions`],
      ['get', '/admin/audit-events'],
    ] as const) {
      const res = await t.http()[method](`${API}${path}`).set(bearer(user.access_token)).send({});
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 403, error: 'FORBIDDEN', data: null });
    }
  });

  it('searches and paginates users without ever showing a hash', async () => {
    for (let i = 0; i < 3; i++) {
      await register(t, { username: `Searchable_${i}`, name: `Finder ${i}` });
    }
    const first = await t
      .http()
      .get(`${API}/admin/users?q=searchable&page=1&page_size=2`)
      .set(bearer(admin.access_token));
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ page: 1, page_size: 2, total: 3 });
    expect(first.body.data.items.map((u: { username: string }) => u.username)).toEqual([
      'Searchable_0',
      'Searchable_1',
    ]);
    const second = await t.http().get(`${API}/admin/users?q=SEARCH&page=2&page_size=2`).set(bearer(admin.access_token));
    expect(second.body.data.items.map((u: { username: string }) => u.username)).toEqual(['Searchable_2']);
    const text = JSON.stringify(first.body) + JSON.stringify(second.body);
    expect(text).not.toMatch(/argon2|\$2[aby]\$|password_hash/i);
    const literal = await t.http().get(`${API}/admin/users?q=%25`).set(bearer(admin.access_token));
    expect(literal.body.data.total).toBe(0);
  });

  it('refuses bad query parameters with 400 and the field', async () => {
    const res = await t.http().get(`${API}/admin/users?page_size=1000`).set(bearer(admin.access_token));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('page_size');
  });

  it('disables a user: their tokens die at once and their login answers like wrong credentials', async () => {
    const victim = await register(t);
    const res = await t
      .http()
      .patch(`${API}/admin/users/${victim.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: victim.userInfo.id, disabled: true });
    const me = await t.http().get(`${API}/users/me`).set(bearer(victim.access_token));
    expect(me.body.error).toBe('TOKEN_REVOKED');
    const refresh = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: victim.refresh_token });
    expect(refresh.status).toBe(401);
    const login = await t.http().post(`${API}/auth/login`).send({ username: victim.username, password: GOOD_PASSWORD });
    const wrong = await t
      .http()
      .post(`${API}/auth/login`)
      .send({ username: victim.username, password: 'not-the-pass-1' });
    expect(login.status).toBe(401);
    expect(login.body).toEqual(wrong.body);
    await t
      .http()
      .patch(`${API}/admin/users/${victim.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ disabled: false });
    const again = await t.http().post(`${API}/auth/login`).send({ username: victim.username, password: GOOD_PASSWORD });
    expect(again.status).toBe(200);
  });

  it('promotes a user, ending their sessions so the new role comes with a new login', async () => {
    const user = await register(t);
    const res = await t
      .http()
      .patch(`${API}/admin/users/${user.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ role: 'admin' });
    expect(res.body.data.role).toBe('admin');
    expect((await t.http().get(`${API}/users/me`).set(bearer(user.access_token))).body.error).toBe('TOKEN_REVOKED');
    const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.body.data.userInfo.role).toBe('admin');
  });

  it('refuses an unknown role or user, and an admin disabling themself', async () => {
    const badRole = await t
      .http()
      .patch(`${API}/admin/users/${admin.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ role: 'root' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.errors[0].field).toBe('role');
    const missing = await t
      .http()
      .patch(`${API}/admin/users/999999`)
      .set(bearer(admin.access_token))
      .send({ disabled: true });
    expect(missing.status).toBe(404);
    const self = await t
      .http()
      .patch(`${API}/admin/users/${admin.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ disabled: true });
    expect(self.status).toBe(403);
    const [row] = await t.dataSource.query('SELECT disabled FROM users WHERE id = ?', [admin.userInfo.id]);
    expect(Boolean(Number(row.disabled))).toBe(false);
  });

  it('revokes all sessions of a user', async () => {
    const user = await register(t);
    await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    const res = await t
      .http()
      .post(`${API}/admin/users/${user.userInfo.id}/revoke-sessions`)
      .set(bearer(admin.access_token));
    expect(res.body.data).toEqual({ revoked: 2 });
    expect((await t.http().get(`${API}/users/me`).set(bearer(user.access_token))).body.error).toBe('TOKEN_REVOKED');
  });

  it('lists audit events filtered by user and type, with admin actions audited and no secrets', async () => {
    const user = await register(t);
    await t.http().post(`${API}/auth/login`).send({ username: user.username, password: 'wrong-password-9' });
    await t.http().post(`${API}/admin/users/${user.userInfo.id}/revoke-sessions`).set(bearer(admin.access_token));
    const failures = await t
      .http()
      .get(`${API}/admin/audit-events?user_id=${user.userInfo.id}&type=login_failure`)
      .set(bearer(admin.access_token));
    expect(failures.status).toBe(200);
    expect(failures.body.data.total).toBe(1);
    expect(failures.body.data.items[0]).toMatchObject({
      type: 'login_failure',
      user_id: user.userInfo.id,
      reason: 'wrong_password',
    });
    const actions = await t
      .http()
      .get(`${API}/admin/audit-events?user_id=${admin.userInfo.id}&type=admin_action`)
      .set(bearer(admin.access_token));
    expect(actions.body.data.items[0]).toMatchObject({
      identifier: user.username,
      reason: `user ${user.userInfo.id} revoke-sessions: 1`,
    });
    const future = await t
      .http()
      .get(`${API}/admin/audit-events?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
      .set(bearer(admin.access_token));
    expect(future.body.data.total).toBe(0);
    const all = JSON.stringify(failures.body) + JSON.stringify(actions.body);
    for (const secret of ['wrong-password-9', GOOD_PASSWORD, user.access_token, user.refresh_token]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('admin unlock', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LOGIN_ACCOUNT_IP_MAX: '5' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lifts a lockout at once, and is audited', async () => {
    const admin = await createAdmin(t);
    const user = await register(t);
    const attempt = (password: string) =>
      t.http().post(`${API}/auth/login`).send({ username: user.username, password });
    for (let i = 0; i < 5; i++) {
      expect((await attempt('wrong-password-1')).status).toBe(401);
    }
    const locked = await attempt(GOOD_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('RATE_LIMITED');
    const nonAdmin = await t
      .http()
      .post(`${API}/admin/users/${user.userInfo.id}/unlock`)
      .set(bearer(user.access_token));
    expect(nonAdmin.status).toBe(403);
    const unlock = await t.http().post(`${API}/admin/users/${user.userInfo.id}/unlock`).set(bearer(admin.access_token));
    expect(unlock.body).toEqual({ code: 200, msg: 'success', data: null });
    expect((await attempt(GOOD_PASSWORD)).status).toBe(200);
    const rows = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'admin_action' AND user_id = ?",
      [admin.userInfo.id],
    );
    expect(rows).toEqual([{ reason: `user ${user.userInfo.id} unlock` }]);
  });
});
