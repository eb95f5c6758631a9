import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { startWebhookSink, uniquePhone, webhookEnv, WEBHOOK_SECRET } from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * SPEC §10: `/users/me` may be answered from a per-instance cache, but never stale on the instance that wrote.
 * Every change below is followed at once by a read, well inside the cache's one-second TTL.
 */
describe('the profile cache on one instance (SPEC §10)', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let admin: Tokens;

  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));
  const lookups = async (outcome: 'hit' | 'miss') => {
    const text = (await t.http().get('/metrics')).text;
    return Number(
      text.match(new RegExp(`gatehouse_profile_cache_lookups_total\\{outcome="${outcome}"\\} (\\d+)`))?.[1] ?? 0,
    );
  };
  const login = async (username: string) =>
    (await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD })).body.data as Tokens;
  const adminPatch = (id: number, body: Record<string, unknown>) =>
    t.http().patch(`${API}/admin/users/${id}`).set(bearer(admin.access_token)).send(body);

  beforeAll(async () => {
    sink = await startWebhookSink(WEBHOOK_SECRET);
    t = await createTestApp({ ...webhookEnv(sink.url), CODE_IP_MAX: '100000', CODE_GLOBAL_MAX: '100000' });
    const user = await register(t);
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
    admin = await login(user.username);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('answers a repeated read from memory, counted as a hit, and a rename is seen by the next read', async () => {
    const user = await register(t);
    expect((await me(user.access_token)).body.data.name).toBe(user.username);
    const hits = await lookups('hit');
    expect((await me(user.access_token)).body.data.name).toBe(user.username);
    expect(await lookups('hit')).toBe(hits + 1);

    const patch = await t.http().patch(`${API}/users/me`).set(bearer(user.access_token)).send({ name: 'Renamed' });
    expect(patch.body.data.name).toBe('Renamed');
    const res = await me(user.access_token);
    expect(res.status).toBe(200);
    expect(res.body.data.name).toBe('Renamed');
  });

  it('shows a role an admin gave at the next login, not the cached one', async () => {
    const user = await register(t);
    expect((await me(user.access_token)).body.data.role).toBe('user');
    expect((await adminPatch(user.userInfo.id, { role: 'admin' })).status).toBe(200);
    const res = await me((await login(user.username)).access_token);
    expect(res.body.data.role).toBe('admin');
  });

  it('shows a phone proven by a code at the next read', async () => {
    const user = await register(t);
    expect((await me(user.access_token)).body.data).toMatchObject({ phone: null, phone_verified: false });
    const phone = uniquePhone('137');
    const before = sink.inbox.count(phone);
    await t
      .http()
      .post(`${API}/users/me/phone`)
      .set(bearer(user.access_token))
      .send({ phone, password: GOOD_PASSWORD });
    const { code } = await sink.inbox.next(phone, before);
    const verify = await t
      .http()
      .post(`${API}/users/me/phone/verify`)
      .set(bearer(user.access_token))
      .send({ phone, code });
    expect(verify.status).toBe(200);
    expect((await me(user.access_token)).body.data).toMatchObject({ phone, phone_verified: true });
  });

  it('refuses the next read of a user an admin disabled, and shows the account again once enabled', async () => {
    const user = await register(t);
    expect((await me(user.access_token)).status).toBe(200);
    expect((await adminPatch(user.userInfo.id, { disabled: true })).status).toBe(200);
    const refused = await me(user.access_token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('TOKEN_REVOKED');
    expect((await adminPatch(user.userInfo.id, { disabled: false })).status).toBe(200);
    expect((await me((await login(user.username)).access_token)).body.data.id).toBe(user.userInfo.id);
  });

  it('serves a change made behind its back (not through UsersService) within one second of the clock', async () => {
    const user = await register(t);
    expect((await me(user.access_token)).body.data.name).toBe(user.username);
    await t.dataSource.query('UPDATE users SET name = ? WHERE id = ?', ['Changed in SQL', user.userInfo.id]);
    t.clock.advance(1000);
    expect((await me(user.access_token)).body.data.name).toBe('Changed in SQL');
  });
});
