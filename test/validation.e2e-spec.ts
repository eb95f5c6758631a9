import type { Response } from 'supertest';
import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** SPEC §4 input rules, each refused with 400 VALIDATION_FAILED naming its field, and nothing written. */
describe('input rules (SPEC §4)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function userCount(): Promise<number> {
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM users');
    return Number(row.n);
  }

  function expectRefused(res: Response, field: string): void {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED', data: null });
    expect(typeof res.body.msg).toBe('string');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]),
    );
  }

  const post = (path: string, body: unknown) =>
    t
      .http()
      .post(`${API}${path}`)
      .send(body as object);

  /** Registers `body` expecting a refusal on `field`, and checks no user row appeared. */
  async function expectRegisterRefused(body: Record<string, unknown>, field: string): Promise<Response> {
    const before = await userCount();
    const res = await post('/auth/register', body);
    expectRefused(res, field);
    expect(await userCount()).toBe(before);
    return res;
  }

  async function expectRegistered(body: Record<string, unknown>): Promise<Response> {
    const res = await post('/auth/register', body);
    expect(res.status).toBe(201);
    expect(res.body.code).toBe(201);
    return res;
  }

  describe('username', () => {
    it.each([
      ['too short', 'ab'],
      ['with @', 'admin@domain'],
      ['51 characters', 'a'.repeat(51)],
      ['with a space inside', 'ab cd'],
      ['with a dot', 'john.doe'],
      ['non-ASCII letters', 'jürgen'],
      ['only spaces', '     '],
      ['empty', ''],
    ])('refuses a username %s', async (_label, username) => {
      await expectRegisterRefused({ username, password: GOOD_PASSWORD }, 'username');
    });

    it('refuses a missing username', async () => {
      await expectRegisterRefused({ password: GOOD_PASSWORD }, 'username');
    });

    it('accepts 3 and 50 characters of letters, digits, _ and -', async () => {
      await expectRegistered({ username: 'a-_', password: GOOD_PASSWORD });
      await expectRegistered({ username: `Z9_-${'x'.repeat(46)}`, password: GOOD_PASSWORD });
    });

    it('trims the username before checking and storing it', async () => {
      const res = await expectRegistered({ username: `  ${'t'.repeat(50)}  `, password: GOOD_PASSWORD });
      const me = await t.http().get(`${API}/users/me`).set(bearer(res.body.data.access_token));
      expect(me.body.data.username).toBe('t'.repeat(50));
      const login = await post('/auth/login', { username: 't'.repeat(50), password: GOOD_PASSWORD });
      expect(login.status).toBe(200);
    });

    it('treats Admin and admin as one account: 409 USERNAME_TAKEN', async () => {
      const name = uniqueName('Admin');
      await expectRegistered({ username: name, password: GOOD_PASSWORD });
      const before = await userCount();
      const res = await post('/auth/register', { username: name.toLowerCase(), password: GOOD_PASSWORD });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ code: 409, msg: expect.any(String), error: 'USERNAME_TAKEN', data: null });
      expect(await userCount()).toBe(before);
    });
  });

  describe('password', () => {
    it('refuses 5 characters and 129 characters', async () => {
      await expectRegisterRefused({ username: uniqueName(), password: 'Xy-12' }, 'password');
      await expectRegisterRefused({ username: uniqueName(), password: 'Xy-1'.repeat(32) + 'z' }, 'password');
    });

    it('accepts exactly 6 and exactly 128 characters', async () => {
      await expectRegistered({ username: uniqueName(), password: 'Xy-12z' });
      await expectRegistered({ username: uniqueName(), password: 'Xy-1'.repeat(32) });
    });

    it('counts an emoji or a CJK character as one: six of them are accepted and log in', async () => {
      for (const password of ['🐱🐶🦊🐻🐼🐨', '长城故宫天坛']) {
        const username = uniqueName();
        await expectRegistered({ username, password });
        expect((await post('/auth/login', { username, password })).status).toBe(200);
      }
    });

    it('accepts 128 emoji although they are far more than 128 bytes, and refuses 129', async () => {
      const username = uniqueName();
      const password = '🔑'.repeat(127) + '🚪';
      expect(Buffer.byteLength(password)).toBeGreaterThan(128);
      await expectRegistered({ username, password });
      expect((await post('/auth/login', { username, password })).status).toBe(200);
      await expectRegisterRefused({ username: uniqueName(), password: '🔑'.repeat(129) }, 'password');
    });

    it('counts code points after NFKC: three ﬀ ligatures are six characters', async () => {
      await expectRegistered({ username: uniqueName(), password: 'ﬀﬃﬀ' });
    });

    it('never trims: the spaces are part of the password', async () => {
      const username = uniqueName();
      await expectRegistered({ username, password: '  pass-word-x  ' });
      expect((await post('/auth/login', { username, password: '  pass-word-x  ' })).status).toBe(200);
      const trimmed = await post('/auth/login', { username, password: 'pass-word-x' });
      expect(trimmed.status).toBe(401);
      expect(trimmed.body.error).toBe('INVALID_CREDENTIALS');
    });

    it('refuses a password of only whitespace', async () => {
      await expectRegisterRefused({ username: uniqueName(), password: '        ' }, 'password');
      await expectRegisterRefused({ username: uniqueName(), password: '\u3000\u3000\t\t\n\n' }, 'password');
    });

    it.each(['password123', 'QWERTY123', 'Password1!', 'P@ssw0rd1', 'qwerty1234', 'welcome1!', 'abc123!'])(
      'refuses the common password %s at register',
      async (password) => {
        await expectRegisterRefused({ username: uniqueName(), password }, 'password');
      },
    );

    it('never applies the common-password rule at login', async () => {
      // A user imported with a common password (SPEC §2 users:import) must still be able to log in.
      const username = uniqueName();
      await expectRegistered({ username, password: GOOD_PASSWORD });
      const res = await post('/auth/login', { username, password: 'password123' });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('INVALID_CREDENTIALS');
    });

    it('refuses a password equal to the username in any case', async () => {
      const username = uniqueName('Same');
      await expectRegisterRefused({ username, password: username }, 'password');
      await expectRegisterRefused({ username, password: username.toUpperCase() }, 'password');
      await expectRegisterRefused({ username: `  ${username}  `, password: username.toLowerCase() }, 'password');
    });

    it('does not apply the username rule at login', async () => {
      const username = uniqueName('Same');
      await expectRegistered({ username, password: GOOD_PASSWORD });
      const res = await post('/auth/login', { username, password: username });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('INVALID_CREDENTIALS');
    });

    it('checks only presence and the maximum at login: short and blank passwords are just wrong', async () => {
      expectRefused(await post('/auth/login', { username: 'someone', password: '' }), 'password');
      expectRefused(await post('/auth/login', { username: 'someone', password: 'x'.repeat(129) }), 'password');
      expectRefused(await post('/auth/login', { username: 'someone' }), 'password');
      for (const password of ['short', '       ']) {
        const res = await post('/auth/login', { username: uniqueName('nobody'), password });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('INVALID_CREDENTIALS');
      }
    });
  });

  describe('phone', () => {
    it('stores a national number as E.164 read in CN', async () => {
      const res = await expectRegistered({ username: uniqueName(), password: GOOD_PASSWORD, phone: '139 0013 9000' });
      const me = await t.http().get(`${API}/users/me`).set(bearer(res.body.data.access_token));
      expect(me.body.data.phone).toBe('+8613900139000');
    });

    it('keeps an international number in its own country', async () => {
      const res = await expectRegistered({
        username: uniqueName(),
        password: GOOD_PASSWORD,
        phone: '+44 20 7946 0958',
      });
      const me = await t.http().get(`${API}/users/me`).set(bearer(res.body.data.access_token));
      expect(me.body.data.phone).toBe('+442079460958');
    });

    it.each(['12345', 'not-a-phone', '+86 999', '1'.repeat(40)])('refuses the invalid phone %s', async (phone) => {
      await expectRegisterRefused({ username: uniqueName(), password: GOOD_PASSWORD, phone }, 'phone');
    });

    it('answers 409 PHONE_TAKEN for a number already registered, written either way', async () => {
      await expectRegistered({ username: uniqueName(), password: GOOD_PASSWORD, phone: '13700137000' });
      const before = await userCount();
      const res = await post('/auth/register', {
        username: uniqueName(),
        password: GOOD_PASSWORD,
        phone: '+8613700137000',
      });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ code: 409, msg: expect.any(String), error: 'PHONE_TAKEN', data: null });
      expect(await userCount()).toBe(before);
    });
  });

  describe('name', () => {
    it('trims the name and defaults it to the username', async () => {
      const withName = await expectRegistered({
        username: uniqueName(),
        password: GOOD_PASSWORD,
        name: '  Zhang San  ',
      });
      expect(withName.body.data.userInfo.name).toBe('Zhang San');
      const username = uniqueName();
      const withoutName = await expectRegistered({ username, password: GOOD_PASSWORD });
      expect(withoutName.body.data.userInfo.name).toBe(username);
    });

    it('accepts 50 characters, CJK included', async () => {
      const res = await expectRegistered({ username: uniqueName(), password: GOOD_PASSWORD, name: '张'.repeat(50) });
      expect(res.body.data.userInfo.name).toBe('张'.repeat(50));
    });

    it.each([
      ['empty', ''],
      ['only spaces', '    '],
      ['51 characters', 'n'.repeat(51)],
    ])('refuses a name %s', async (_label, name) => {
      await expectRegisterRefused({ username: uniqueName(), password: GOOD_PASSWORD, name }, 'name');
    });
  });

  describe('shape of the body', () => {
    it('refuses an unknown field', async () => {
      await expectRegisterRefused({ username: uniqueName(), password: GOOD_PASSWORD, role: 'admin' }, 'role');
      expectRefused(await post('/auth/login', { username: 'someone', password: GOOD_PASSWORD, extra: 1 }), 'extra');
    });

    const wrongTypes: Array<[string, unknown]> = [
      ['a number', 12345678],
      ['an array', ['abcdef']],
      ['an object', { value: 'abcdef' }],
      ['null', null],
      ['a boolean', true],
    ];

    it.each(wrongTypes)('refuses %s in place of each register string', async (_label, value) => {
      for (const field of ['username', 'password', 'phone', 'name']) {
        const body = { username: uniqueName(), password: GOOD_PASSWORD, [field]: value };
        await expectRegisterRefused(body, field);
      }
    });

    it.each(wrongTypes)('refuses %s in place of each login string', async (_label, value) => {
      expectRefused(await post('/auth/login', { username: value, password: GOOD_PASSWORD }), 'username');
      expectRefused(await post('/auth/login', { username: 'someone', password: value }), 'password');
      expectRefused(await post('/auth/login', { phone: value, password: GOOD_PASSWORD }), 'phone');
    });

    it.each(wrongTypes)('refuses %s as refresh_token', async (_label, value) => {
      expectRefused(await post('/auth/refresh', { refresh_token: value }), 'refresh_token');
    });

    it('refuses a login with neither username nor phone', async () => {
      expectRefused(await post('/auth/login', { password: GOOD_PASSWORD }), 'username');
    });

    it.each([
      ['an array', [{ username: 'someone', password: GOOD_PASSWORD }]],
      ['a string', 'hello'],
      ['a number', 42],
    ])('refuses %s as the whole body', async (_label, body) => {
      const before = await userCount();
      const res = await t
        .http()
        .post(`${API}/auth/register`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED', data: null });
      expect(await userCount()).toBe(before);
    });
  });

  describe('PATCH /users/me', () => {
    let token: string;
    let username: string;

    beforeAll(async () => {
      const tokens = await register(t, { name: 'Original' });
      token = tokens.access_token;
      username = tokens.username;
    });

    async function storedName(): Promise<string> {
      const [row] = await t.dataSource.query('SELECT name FROM users WHERE username = ?', [username]);
      return row.name as string;
    }

    it('trims and stores a new name', async () => {
      const res = await t.http().patch(`${API}/users/me`).set(bearer(token)).send({ name: '  Li Si  ' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ code: 200, msg: 'success', data: { name: 'Li Si', username } });
      expect(await storedName()).toBe('Li Si');
    });

    it.each<[string, unknown]>([
      ['empty', ''],
      ['only spaces', '   '],
      ['51 characters', 'n'.repeat(51)],
      ['a number', 5],
      ['null', null],
      ['an array', ['Wang']],
    ])('refuses a name that is %s and keeps the old one', async (_label, name) => {
      const before = await storedName();
      const res = await t.http().patch(`${API}/users/me`).set(bearer(token)).send({ name });
      expectRefused(res, 'name');
      expect(await storedName()).toBe(before);
    });

    it('refuses a missing name and an unknown field', async () => {
      expectRefused(await t.http().patch(`${API}/users/me`).set(bearer(token)).send({}), 'name');
      const res = await t.http().patch(`${API}/users/me`).set(bearer(token)).send({ name: 'Ok', role: 'admin' });
      expectRefused(res, 'role');
      const [row] = await t.dataSource.query('SELECT role FROM users WHERE username = ?', [username]);
      expect(row.role).toBe('user');
    });

    it('answers 401 UNAUTHORIZED without a bearer token', async () => {
      const res = await t.http().patch(`${API}/users/me`).send({ name: 'Nobody' });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 401, error: 'UNAUTHORIZED', data: null });
    });
  });
});

describe('raising PASSWORD_MIN_LENGTH (SPEC §4)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ PASSWORD_MIN_LENGTH: '6' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('still lets an account with a shorter existing password log in, while new passwords meet the new minimum', async () => {
    const username = uniqueName('short');
    const password = 'Kx9#qZ';
    expect((await t.http().post(`${API}/auth/register`).send({ username, password })).status).toBe(201);
    await t.restart({ PASSWORD_MIN_LENGTH: '12' });
    const login = await t.http().post(`${API}/auth/login`).send({ username, password });
    expect(login.status).toBe(200);
    expect(login.body.data.userInfo).toMatchObject({ name: username });
    const short = await t.http().post(`${API}/auth/register`).send({ username: uniqueName(), password });
    expect(short.status).toBe(400);
    expect(short.body.error).toBe('VALIDATION_FAILED');
  });
});
