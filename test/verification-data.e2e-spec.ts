import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('email and verified contacts on users (SPEC §3, §4)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (body: Record<string, unknown>) => t.http().post(`${API}/auth/login`).send(body);
  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));

  it('registers with an email, shows both contacts unverified and logs in by email in any case', async () => {
    const email = `${uniqueName('Ann')}@Example.COM`;
    const user = await register(t, { email: `  ${email} `, phone: '13800138001' });

    const profile = await me(user.access_token);
    expect(profile.body.data).toMatchObject({
      phone: '+8613800138001',
      phone_verified: false,
      email,
      email_verified: false,
    });
    const byEmail = await login({ email: email.toLowerCase(), password: GOOD_PASSWORD });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.data.userInfo.id).toBe(user.userInfo.id);
    const [row] = await t.dataSource.query('SELECT email, email_normalized FROM users WHERE id = ?', [
      user.userInfo.id,
    ]);
    expect(row).toEqual({ email, email_normalized: email.toLowerCase() });
  });

  it('refuses a second account with the same email in another case with 409 EMAIL_TAKEN', async () => {
    const email = `${uniqueName('bo')}@example.com`;
    await register(t, { email });
    const res = await t
      .http()
      .post(`${API}/auth/register`)
      .send({ username: uniqueName(), password: GOOD_PASSWORD, email: email.toUpperCase() });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 409, data: null, error: 'EMAIL_TAKEN' });
  });

  it('answers a wrong password by email exactly like an unknown email', async () => {
    const email = `${uniqueName('cy')}@example.com`;
    await register(t, { email });
    const wrong = await login({ email, password: 'not-the-password' });
    const unknown = await login({ email: `nobody-${email}`, password: GOOD_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a malformed or over-long email with 400 on email, and creates nothing', async () => {
    const username = uniqueName();
    for (const email of ['not-an-email', `${'a'.repeat(250)}@x.io`, 42, null]) {
      const res = await t.http().post(`${API}/auth/register`).send({ username, password: GOOD_PASSWORD, email });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['email']);
    }
    const rows = await t.dataSource.query('SELECT id FROM users WHERE username = ?', [username]);
    expect(rows).toEqual([]);
    expect((await login({ email: 'nope', password: GOOD_PASSWORD })).status).toBe(400);
  });
});
