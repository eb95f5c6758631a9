import { generate } from 'otplib';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Registers a user and promotes them in the database, then logs in again so the token carries the role. */
async function createAdmin(t: TestApp): Promise<Tokens> {
  const user = await register(t);
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
  const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
  return login.body.data as Tokens;
}

async function login(t: TestApp, username: string, deviceId?: string) {
  const req = t.http().post(`${API}/auth/login`);
  if (deviceId) {
    req.set('X-Device-Id', deviceId).set('X-Device-Name', `Phone ${deviceId}`);
  }
  return req.send({ username, password: GOOD_PASSWORD });
}

describe('admin API for the console: user detail, one session, TOTP reset, contact search (SPEC §17)', () => {
  let t: TestApp;
  let admin: Tokens;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows a user with live sessions and every device they used, never a token or hash', async () => {
    const user = await register(t);
    await login(t, user.username, 'device-aaa-1');
    const ended = await login(t, user.username, 'device-bbb-2');
    await t.http().post(`${API}/auth/logout`).set(bearer(ended.body.data.access_token));

    const res = await t.http().get(`${API}/admin/users/${user.userInfo.id}`).set(bearer(admin.access_token));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: user.userInfo.id, username: user.username, disabled: false });
    // The registration's session and the first device's; the logged-out one is gone.
    expect(res.body.data.sessions).toHaveLength(2);
    expect(res.body.data.sessions.every((s: { current: boolean }) => !s.current)).toBe(true);
    expect(res.body.data.devices.map((d: { device_id: string }) => d.device_id).sort()).toEqual([
      'device-aaa-1',
      'device-bbb-2',
    ]);
    expect(res.body.data.devices[0]).toMatchObject({ device_name: expect.stringMatching(/^Phone /) });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|eyJ|password_hash|totp_secret/i);

    const missing = await t.http().get(`${API}/admin/users/999999`).set(bearer(admin.access_token));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 404, error: 'NOT_FOUND', data: null });
  });

  it('revokes one session of a user: its refresh is refused, the other session lives on, and it is audited', async () => {
    const user = await register(t);
    const phone = (await login(t, user.username, 'device-ccc-3')).body.data as Tokens;
    const detail = await t.http().get(`${API}/admin/users/${user.userInfo.id}`).set(bearer(admin.access_token));
    const target = detail.body.data.sessions.find((s: { device_id: string | null }) => s.device_id === 'device-ccc-3');

    const res = await t
      .http()
      .delete(`${API}/admin/users/${user.userInfo.id}/sessions/${target.id}`)
      .set(bearer(admin.access_token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: 200, msg: 'success', data: null });

    const refresh = await t
      .http()
      .post(`${API}/auth/refresh`)
      .set('X-Device-Id', 'device-ccc-3')
      .send({ refresh_token: phone.refresh_token });
    expect(refresh.status).toBe(401);
    const other = await t.http().get(`${API}/users/me`).set(bearer(user.access_token));
    expect(other.status).toBe(200);
    const audit = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'admin_action' AND identifier = ? ORDER BY id DESC",
      [user.username],
    );
    expect(audit[0].reason).toBe(`user ${user.userInfo.id} revoke-session ${target.id}`);
  });

  it('answers 404 for a session of another user and leaves it alive', async () => {
    const owner = await register(t);
    const someoneElse = await register(t);
    const sessions = await t.http().get(`${API}/auth/sessions`).set(bearer(owner.access_token));
    const sid = sessions.body.data[0].id as string;
    const res = await t
      .http()
      .delete(`${API}/admin/users/${someoneElse.userInfo.id}/sessions/${sid}`)
      .set(bearer(admin.access_token));
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('NOT_FOUND');
    expect((await t.http().get(`${API}/users/me`).set(bearer(owner.access_token))).status).toBe(200);
  });

  it('resets TOTP: the next login asks for the password alone, the old secret and recovery codes are gone', async () => {
    const user = await register(t);
    const setup = await t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(user.access_token));
    const code = await generate({ secret: setup.body.data.secret, epoch: Math.floor(t.clock.now() / 1000) });
    const enabled = await t
      .http()
      .post(`${API}/auth/mfa/totp/enable`)
      .set(bearer(user.access_token))
      .send({ password: GOOD_PASSWORD, code });
    expect(enabled.status).toBe(200);
    expect((await login(t, user.username)).body.data).toMatchObject({ mfa_required: true });

    const res = await t.http().post(`${API}/admin/users/${user.userInfo.id}/mfa/reset`).set(bearer(admin.access_token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: 200, msg: 'success', data: null });

    const after = await login(t, user.username);
    expect(after.status).toBe(200);
    expect(after.body.data).toMatchObject({ access_token: expect.any(String) });
    const me = await t.http().get(`${API}/users/me`).set(bearer(after.body.data.access_token));
    expect(me.body.data.mfa_enabled).toBe(false);
    const [row] = await t.dataSource.query('SELECT totp_secret FROM users WHERE id = ?', [user.userInfo.id]);
    expect(row.totp_secret).toBeNull();
    const codes = await t.dataSource.query('SELECT COUNT(*) AS n FROM mfa_recovery_codes WHERE user_id = ?', [
      user.userInfo.id,
    ]);
    expect(Number(codes[0].n)).toBe(0);
    const audit = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'admin_action' AND identifier = ? ORDER BY id DESC",
      [user.username],
    );
    expect(audit[0].reason).toBe(`user ${user.userInfo.id} mfa-reset`);
  });

  it('finds a user by a national or E.164 phone number and by part of the email, ignoring case', async () => {
    const phone = `139${String(Date.now()).slice(-8)}`;
    const user = await register(t, { phone, email: `Console.Finder.${phone}@Example.com` });
    for (const q of [phone, `+86${phone}`, `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`]) {
      const res = await t.http().get(`${API}/admin/users`).query({ q }).set(bearer(admin.access_token));
      expect(res.status).toBe(200);
      expect(res.body.data.items.map((u: { id: number }) => u.id)).toEqual([user.userInfo.id]);
    }
    const byEmail = await t
      .http()
      .get(`${API}/admin/users`)
      .query({ q: `CONSOLE.FINDER.${phone}@example` })
      .set(bearer(admin.access_token));
    expect(byEmail.body.data.items.map((u: { id: number }) => u.id)).toEqual([user.userInfo.id]);
  });

  it("lists the roles a user may be given and every audit event type, for the console's pickers", async () => {
    const roles = await t.http().get(`${API}/admin/roles`).set(bearer(admin.access_token));
    expect(roles.status).toBe(200);
    expect(roles.body.data.roles).toEqual(expect.arrayContaining(['user', 'admin']));
    const types = await t.http().get(`${API}/admin/audit-events/types`).set(bearer(admin.access_token));
    expect(types.status).toBe(200);
    expect(types.body.data.types.slice(0, 2)).toEqual(['login_success', 'login_failure']);
    expect(types.body.data.types).toContain('admin_action');
  });

  it('filters the audit trail by client IP', async () => {
    const user = await register(t);
    const other = await t
      .http()
      .post(`${API}/auth/login`)
      .send({ username: user.username, password: 'wrong-password-9' });
    expect(other.status).toBe(401);
    const [row] = await t.dataSource.query(
      "SELECT ip FROM audit_events WHERE type = 'login_failure' AND identifier = ?",
      [user.username],
    );
    const hit = await t
      .http()
      .get(`${API}/admin/audit-events`)
      .query({ ip: row.ip, type: 'login_failure', user_id: user.userInfo.id })
      .set(bearer(admin.access_token));
    expect(hit.body.data.items).toHaveLength(1);
    const miss = await t
      .http()
      .get(`${API}/admin/audit-events`)
      .query({ ip: '203.0.113.250', user_id: user.userInfo.id })
      .set(bearer(admin.access_token));
    expect(miss.status).toBe(200);
    expect(miss.body.data.total).toBe(0);
    const bad = await t
      .http()
      .get(`${API}/admin/audit-events`)
      .query({ ip: 'not-an-ip' })
      .set(bearer(admin.access_token));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('ip');
  });

  it('refuses the new routes to a non-admin with 403 FORBIDDEN', async () => {
    const user = await register(t);
    for (const [method, path] of [
      ['get', `/admin/users/${user.userInfo.id}`],
      ['delete', `/admin/users/${user.userInfo.id}/sessions/x`],
      ['post', `/admin/users/${user.userInfo.id}/mfa/reset`],
      ['get', '/admin/roles'],
      ['get', '/admin/audit-events/types'],
    ] as const) {
      const res = await t.http()[method](`${API}${path}`).set(bearer(user.access_token));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 403, error: 'FORBIDDEN', data: null });
    }
  });
});
