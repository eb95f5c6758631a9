import jwt from 'jsonwebtoken';
import { API, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const PHONE = 'phone-device-0001';

describe('devices (SPEC §5)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function login(username: string, deviceId?: string): Promise<Tokens> {
    const req = t.http().post(`${API}/auth/login`);
    if (deviceId) {
      void req.set('X-Device-Id', deviceId);
    }
    const res = await req.send({ username, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    return res.body.data as Tokens;
  }
  function refresh(token: string, deviceId?: string) {
    const req = t.http().post(`${API}/auth/refresh`);
    if (deviceId) {
      void req.set('X-Device-Id', deviceId);
    }
    return req.send({ refresh_token: token });
  }
  async function currentJti(token: string): Promise<string> {
    const { sid } = jwt.decode(token) as { sid: string };
    const [row] = await t.dataSource.query('SELECT refresh_jti FROM sessions WHERE id = ?', [sid]);
    return row.refresh_jti as string;
  }

  it('refreshes a session bound to a device only from that device, and a refused refresh rotates nothing', async () => {
    const user = await register(t);
    const tokens = await login(user.username, PHONE);
    const before = await currentJti(tokens.refresh_token);
    for (const device of ['other-device-0002', undefined]) {
      const res = await refresh(tokens.refresh_token, device);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 401, error: 'TOKEN_INVALID', data: null });
    }
    expect(await currentJti(tokens.refresh_token)).toBe(before);
    const same = await refresh(tokens.refresh_token, PHONE);
    expect(same.status).toBe(200);
    expect(await currentJti(tokens.refresh_token)).not.toBe(before);
    expect((await refresh(same.body.data.refresh_token, PHONE)).status).toBe(200);
  });

  it('refreshes a session created without a device id with or without one', async () => {
    const user = await register(t);
    const first = await refresh(user.refresh_token);
    expect(first.status).toBe(200);
    expect((await refresh(first.body.data.refresh_token, PHONE)).status).toBe(200);
  });

  it('audits new_device on the first login from a device id, and only then', async () => {
    const user = await register(t);
    await login(user.username);
    await login(user.username, PHONE);
    await login(user.username, PHONE);
    await login(user.username, 'laptop-device-03');
    // A device the account registered from is already known.
    const res = await t
      .http()
      .post(`${API}/auth/register`)
      .set('X-Device-Id', 'tablet-device-04')
      .send({ username: `${user.username}_b`, password: GOOD_PASSWORD });
    expect(res.status).toBe(201);
    await login(`${user.username}_b`, 'tablet-device-04');
    await login(`${user.username}_b`, PHONE);
    const rows = await t.dataSource.query(
      "SELECT user_id, device_id FROM audit_events WHERE type = 'new_device' AND user_id IN (?, ?) ORDER BY id",
      [user.userInfo.id, res.body.data.userInfo.id],
    );
    expect(rows).toEqual([
      { user_id: user.userInfo.id, device_id: PHONE },
      { user_id: user.userInfo.id, device_id: 'laptop-device-03' },
      { user_id: res.body.data.userInfo.id, device_id: PHONE },
    ]);
  });

  it('refuses a malformed X-Device-Id with 400', async () => {
    const user = await register(t);
    const res = await t
      .http()
      .post(`${API}/auth/login`)
      .set('X-Device-Id', 'bad id!')
      .send({ username: user.username, password: GOOD_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'X-Device-Id', rule: 'pattern', params: {}, message: expect.any(String) },
    ]);
  });
});
