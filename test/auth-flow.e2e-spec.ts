import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Well inside the access token's 24 h, so the tokens issued before the move stay valid. */
const HOUR_MS = 3_600_000;

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
    // Its own user, so the test passes alone and in any order.
    const { username } = await register(t, { username: uniqueName('Carol'), name: 'Carol' });
    const res = await t
      .http()
      .post(`${API}/auth/login`)
      .send({ username: username.toUpperCase(), password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    const me = await t.http().get(`${API}/users/me`).set(bearer(res.body.data.access_token));
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({
      username,
      name: 'Carol',
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

  it('stamps users and audit rows with the app clock, not the wall clock', async () => {
    const user = await register(t);
    t.clock.advance(HOUR_MS);
    const from = t.clock.now();
    const patched = await t.http().patch(`${API}/users/me`).set(bearer(user.access_token)).send({ name: 'Later' });
    const other = await register(t);
    const to = t.clock.now();
    expect(patched.status).toBe(200);
    const [row] = await t.dataSource.query('SELECT created_at, updated_at FROM users WHERE id = ?', [user.userInfo.id]);
    expect(Number(row.created_at)).toBeLessThan(from - HOUR_MS + 1);
    expect(Number(row.updated_at)).toBeGreaterThanOrEqual(from);
    expect(Number(row.updated_at)).toBeLessThanOrEqual(to);
    const profile = await t.http().get(`${API}/users/me`).set(bearer(other.access_token));
    const createdAt = Date.parse(profile.body.data.created_at);
    expect(createdAt).toBeGreaterThanOrEqual(from);
    expect(createdAt).toBeLessThanOrEqual(to);
    const events = await t.dataSource.query('SELECT created_at FROM audit_events WHERE user_id = ?', [
      other.userInfo.id,
    ]);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events as Array<{ created_at: unknown }>) {
      expect(Number(event.created_at)).toBeGreaterThanOrEqual(from);
      expect(Number(event.created_at)).toBeLessThanOrEqual(to);
    }
  });
});
