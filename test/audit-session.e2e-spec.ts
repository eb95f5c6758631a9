import jwt from 'jsonwebtoken';
import { API, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** SPEC §8: every event that creates a session carries its id. */
describe('audit events that open a session', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;

  async function sessionOf(type: string, userId: number): Promise<string[]> {
    const rows: { session_id: string | null }[] = await t.dataSource.query(
      'SELECT session_id FROM audit_events WHERE type = ? AND user_id = ? ORDER BY id',
      [type, userId],
    );
    return rows.map((row) => row.session_id ?? 'null');
  }

  it('records the new session on register and on login_success', async () => {
    const user = await register(t);
    expect(await sessionOf('register', user.userInfo.id)).toEqual([sidOf(user.access_token)]);
    const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    expect(await sessionOf('login_success', user.userInfo.id)).toEqual([sidOf(login.body.data.access_token)]);
  });
});
