import jwt from 'jsonwebtoken';
import { API, bearer, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const claimsOf = (token: string) => jwt.decode(token) as { sid: string; exp: number };

/** SPEC §5: a revocation lasts until the session's last access token expires, whatever JWT_ACCESS_TTL is later. */
describe('revocation across a restart with a shorter access-token lifetime', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ JWT_ACCESS_TTL: '1h' });
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));

  it('still refuses a logged-out access token after a restart with JWT_ACCESS_TTL shorter than its age', async () => {
    const user = await register(t);
    const other = await register(t);
    expect((await t.http().post(`${API}/auth/logout`).set(bearer(user.access_token))).status).toBe(200);

    const { sid, exp } = claimsOf(user.access_token);
    const [row] = await t.dataSource.query<{ keep_until: string | number }[]>(
      'SELECT keep_until FROM revocations WHERE session_id = ?',
      [sid],
    );
    // Kept at least until the token's own expiry.
    expect(Number(row.keep_until)).toBeGreaterThanOrEqual(exp * 1000);

    // Ten minutes on, a restart with a one-minute lifetime: the logout is older than any token the new
    // settings would issue, but the old token (one hour) is still alive and must stay refused.
    t.clock.advance(10 * 60_000);
    await t.restart({ JWT_ACCESS_TTL: '60s' });

    const res = await me(user.access_token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 401, error: 'TOKEN_REVOKED', data: null });
    // A session nobody revoked is untouched.
    expect((await me(other.access_token)).status).toBe(200);
  });
});
