import { API, bearer, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** The JWT payload, read without verifying: the test compares it with what the server answers. */
function claims(token: string): { sub: string; sid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sub: string; sid: string };
}

describe('GET /auth/check', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the user and session ids of a valid access token', async () => {
    const tokens = await register(t);
    const res = await t.http().get(`${API}/auth/check`).set(bearer(tokens.access_token));
    expect(res.status).toBe(200);
    const { sub, sid } = claims(tokens.access_token);
    expect(res.body).toEqual({ code: 200, msg: 'success', data: { user_id: Number(sub), session_id: sid } });
    expect(res.body.data.user_id).toBe(tokens.userInfo.id);
    const [row] = await t.dataSource.query('SELECT user_id FROM sessions WHERE id = ?', [sid]);
    expect(Number(row.user_id)).toBe(tokens.userInfo.id);
  });

  it('refuses a request without a bearer token with UNAUTHORIZED', async () => {
    const res = await t.http().get(`${API}/auth/check`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 401, error: 'UNAUTHORIZED', data: null });
  });

  it('refuses the token of a logged-out session with TOKEN_REVOKED', async () => {
    const tokens = await register(t);
    expect((await t.http().get(`${API}/auth/check`).set(bearer(tokens.access_token))).status).toBe(200);
    const logout = await t.http().post(`${API}/auth/logout`).set(bearer(tokens.access_token));
    expect(logout.status).toBe(200);
    const res = await t.http().get(`${API}/auth/check`).set(bearer(tokens.access_token));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 401, error: 'TOKEN_REVOKED', data: null });
  });

  it('refuses a tampered token with TOKEN_INVALID', async () => {
    const tokens = await register(t);
    const [head, body, sig] = tokens.access_token.split('.');
    const forged = `${head}.${body}.${sig.slice(0, -4)}AAAA`;
    const res = await t.http().get(`${API}/auth/check`).set(bearer(forged));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('TOKEN_INVALID');
  });
});
