import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { PasswordService } from '#src/passwords/password.service.js';
import { DevicesService } from '#src/sessions/devices.service.js';
import { UsersService } from '#src/users/users.service.js';
import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const NEW_PASSWORD = 'Fresh-Lantern-93';

/**
 * SPEC §6: a login that verified the old password while the password was being changed can neither write its
 * rehash over the new hash nor open a session. HTTP timing cannot force the race, so the change is made to happen
 * inside the login, at the step where the race bites.
 */
describe('a login racing a password change', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ARGON2_MEMORY_KIB: '2048' });
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (username: string, password: string) => t.http().post(`${API}/auth/login`).send({ username, password });

  async function row(username: string): Promise<{ id: number; password_hash: string }> {
    const [found] = await t.dataSource.query('SELECT id, password_hash FROM users WHERE username = ?', [username]);
    return { id: Number(found.id), password_hash: found.password_hash as string };
  }

  async function liveSessions(userId: number): Promise<number> {
    const [count] = await t.dataSource.query(
      'SELECT COUNT(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NULL',
      [userId],
    );
    return Number(count.n);
  }

  /** An account imported with a bcrypt hash (the CLI's import writes the same row). */
  async function importBcrypt(): Promise<{ username: string; id: number }> {
    const username = uniqueName('legacy');
    const now = Date.now();
    await t.dataSource.query(
      'INSERT INTO users (username, username_normalized, phone, name, password_hash, role, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [username, username.toLowerCase(), null, username, bcrypt.hashSync(GOOD_PASSWORD, 8), 'user', 0, now, now],
    );
    return { username, id: (await row(username)).id };
  }

  it('does not write its rehash of the old password over a hash changed meanwhile, and opens no session', async () => {
    const { username, id } = await importBcrypt();
    const changed = await argon2Hash(NEW_PASSWORD, { memoryCost: 2048, timeCost: 1, parallelism: 1 });
    const passwords = t.app.get(PasswordService);
    const original = passwords.hash.bind(passwords);
    const spy = vi.spyOn(passwords, 'hash').mockImplementationOnce(async (password: string) => {
      // The password change commits while this login computes its rehash.
      await t.app.get(UsersService).setPasswordHash(id, changed);
      return original(password);
    });
    const racing = await login(username, GOOD_PASSWORD);
    spy.mockRestore();
    expect(racing.status).toBe(401);
    expect(racing.body).toMatchObject({ code: 401, error: 'INVALID_CREDENTIALS', data: null });
    expect((await row(username)).password_hash).toBe(changed);
    expect(await liveSessions(id)).toBe(0);
    expect((await login(username, NEW_PASSWORD)).status).toBe(200);
    expect((await login(username, GOOD_PASSWORD)).status).toBe(401);
  });

  it('lets a login whose rehash lost to a sibling login of the same password in (issue 22)', async () => {
    const { username, id } = await importBcrypt();
    const sibling = await argon2Hash(GOOD_PASSWORD, { memoryCost: 2048, timeCost: 1, parallelism: 1 });
    const passwords = t.app.get(PasswordService);
    const original = passwords.hash.bind(passwords);
    const spy = vi.spyOn(passwords, 'hash').mockImplementationOnce(async (password: string) => {
      // Another device's login of the same password rehashes first.
      await t.app.get(UsersService).replacePasswordHash(id, (await row(username)).password_hash, sibling);
      return original(password);
    });
    const racing = await login(username, GOOD_PASSWORD);
    spy.mockRestore();
    expect(racing.status).toBe(200);
    expect((await row(username)).password_hash).toBe(sibling);
    expect(await liveSessions(id)).toBe(1);
  });

  it('answers five concurrent correct logins of a freshly imported bcrypt account, all with a session', async () => {
    const { username, id } = await importBcrypt();
    const answers = await Promise.all(Array.from({ length: 5 }, () => login(username, GOOD_PASSWORD)));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await liveSessions(id)).toBe(5);
    expect((await row(username)).password_hash).toMatch(/^\$argon2id\$/);
    const me = await t
      .http()
      .get(`${API}/users/me`)
      .set(bearer(answers[4].body.data.access_token as string));
    expect(me.status).toBe(200);
  });

  it('refuses the session when the password changed after its check, keeping only the changer signed in', async () => {
    const user = await register(t);
    const devices = t.app.get(DevicesService);
    const spy = vi.spyOn(devices, 'noteLogin').mockImplementationOnce(async () => {
      const change = await t
        .http()
        .put(`${API}/users/me/password`)
        .set(bearer(user.access_token))
        .send({ current_password: GOOD_PASSWORD, new_password: NEW_PASSWORD });
      expect(change.status).toBe(200);
    });
    const racing = await login(user.username, GOOD_PASSWORD);
    spy.mockRestore();
    expect(racing.status).toBe(401);
    expect(racing.body).toMatchObject({ code: 401, error: 'INVALID_CREDENTIALS', data: null });
    expect(await liveSessions(user.userInfo.id)).toBe(1);
    const me = await t.http().get(`${API}/users/me`).set(bearer(user.access_token));
    expect(me.status).toBe(200);
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
  });
});
