import jwt from 'jsonwebtoken';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('sessions, logout-all and login history', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function login(username: string, headers: Record<string, string> = {}): Promise<Tokens> {
    const res = await t.http().post(`${API}/auth/login`).set(headers).send({ username, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    return res.body.data as Tokens;
  }
  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));
  const sessions = (token: string) => t.http().get(`${API}/auth/sessions`).set(bearer(token));

  it('lists the active sessions with their device and ISO times, marking the current one', async () => {
    const user = await register(t);
    const phone = await login(user.username, { 'X-Device-Id': 'phone-0001', 'X-Device-Name': 'Pixel 9' });
    const res = await sessions(phone.access_token);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(200);
    const list = res.body.data as Record<string, unknown>[];
    expect(list).toHaveLength(2);
    const current = list.find((s) => s.current === true)!;
    expect(current).toMatchObject({
      id: sidOf(phone.access_token),
      device_id: 'phone-0001',
      device_name: 'Pixel 9',
      ip: expect.any(String),
    });
    for (const key of ['created_at', 'last_used_at', 'expires_at']) {
      expect(current[key]).toMatch(ISO);
    }
    const other = list.find((s) => s.current === false)!;
    expect(other).toMatchObject({ id: sidOf(user.access_token), device_id: null });
    expect(Object.keys(current).sort()).toEqual([
      'created_at',
      'current',
      'device_id',
      'device_name',
      'expires_at',
      'id',
      'ip',
      'last_used_at',
      'user_agent',
    ]);
  });

  it('revokes one of my sessions at once, and it leaves the list', async () => {
    const user = await register(t);
    const second = await login(user.username);
    const target = sidOf(second.access_token);
    const res = await t.http().delete(`${API}/auth/sessions/${target}`).set(bearer(user.access_token));
    expect(res.body).toEqual({ code: 200, msg: 'success', data: null });
    expect((await me(second.access_token)).body.error).toBe('TOKEN_REVOKED');
    expect((await me(user.access_token)).status).toBe(200);
    const ids = (await sessions(user.access_token)).body.data.map((s: { id: string }) => s.id);
    expect(ids).toEqual([sidOf(user.access_token)]);
    const [row] = await t.dataSource.query("SELECT session_id FROM audit_events WHERE type = 'session_revoke'");
    expect(row.session_id).toBe(target);
  });

  it("answers 404 for someone else's session and for an unknown id, and leaves theirs alive", async () => {
    const mine = await register(t);
    const theirs = await register(t);
    for (const id of [sidOf(theirs.access_token), '00000000-0000-4000-8000-000000000000', 'x'.repeat(60)]) {
      const res = await t.http().delete(`${API}/auth/sessions/${id}`).set(bearer(mine.access_token));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 404, error: 'NOT_FOUND', data: null });
    }
    expect((await me(theirs.access_token)).status).toBe(200);
  });

  it('logs out everywhere, this session included', async () => {
    const user = await register(t);
    const other = await login(user.username);
    const stranger = await register(t);
    const res = await t.http().post(`${API}/auth/logout-all`).set(bearer(user.access_token));
    expect(res.body).toEqual({ code: 200, msg: 'success', data: null });
    for (const token of [user.access_token, other.access_token]) {
      expect((await me(token)).body.error).toBe('TOKEN_REVOKED');
    }
    const refresh = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: other.refresh_token });
    expect(refresh.body.error).toBe('TOKEN_REVOKED');
    expect((await me(stranger.access_token)).status).toBe(200);
    const rows = await t.dataSource.query("SELECT user_id FROM audit_events WHERE type = 'logout_all'");
    expect(rows.map((r: { user_id: number }) => r.user_id)).toEqual([user.userInfo.id]);
  });

  it('needs a bearer token', async () => {
    expect((await t.http().get(`${API}/auth/sessions`)).body.error).toBe('UNAUTHORIZED');
    expect((await t.http().post(`${API}/auth/logout-all`)).body.error).toBe('UNAUTHORIZED');
    expect((await t.http().get(`${API}/auth/events`)).body.error).toBe('UNAUTHORIZED');
  });

  it('shows my own login history newest first, paginated, with no password or token in it', async () => {
    const user = await register(t);
    const wrong = 'not-my-password-1';
    await t.http().post(`${API}/auth/login`).send({ username: user.username, password: wrong });
    const issued = [user.access_token, user.refresh_token];
    for (let i = 0; i < 3; i++) {
      const tokens = await login(user.username, { 'X-Device-Id': 'laptop-0001', 'User-Agent': 'history-test' });
      issued.push(tokens.access_token, tokens.refresh_token);
    }
    const stranger = await register(t);
    await login(stranger.username);

    const all = await t.http().get(`${API}/auth/events?page_size=100`).set(bearer(user.access_token));
    expect(all.status).toBe(200);
    const types = all.body.data.items.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'login_success',
      'login_success',
      'login_success',
      'new_device',
      'login_failure',
      'register',
    ]);
    expect(all.body.data).toMatchObject({ page: 1, page_size: 100, total: 6 });
    expect(all.body.data.items[0]).toEqual({
      type: 'login_success',
      ip: expect.any(String),
      user_agent: 'history-test',
      device_id: 'laptop-0001',
      reason: 'password',
      created_at: expect.stringMatching(ISO),
    });
    expect(all.body.data.items[4]).toMatchObject({ type: 'login_failure', reason: 'wrong_password' });

    const page2 = await t.http().get(`${API}/auth/events?page=2&page_size=4`).set(bearer(user.access_token));
    expect(page2.body.data).toMatchObject({ page: 2, page_size: 4, total: 6 });
    expect(page2.body.data.items.map((e: { type: string }) => e.type)).toEqual(['login_failure', 'register']);

    const text = JSON.stringify([all.body, page2.body]);
    for (const secret of [GOOD_PASSWORD, wrong, ...issued]) {
      expect(text).not.toContain(secret);
    }
  });

  it('refuses a page size over 100 with 400', async () => {
    const user = await register(t);
    const res = await t.http().get(`${API}/auth/events?page_size=101`).set(bearer(user.access_token));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'page_size', rule: 'max_value', params: { max: 100 }, message: expect.any(String) },
    ]);
  });
});
