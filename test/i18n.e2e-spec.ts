import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** SPEC §3, §14: messages in the language Accept-Language asks for; codes, fields, rules and params never change. */
describe('languages (SPEC §14)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const HAN = /\p{Script=Han}/u;
  const badRegistration = () => ({ username: 'ab', password: '123', phone: 'not-a-phone', extra: 1 });

  async function userCount(): Promise<number> {
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM users');
    return Number(row.n);
  }

  const registerAs = (language: string | undefined, body: object) => {
    const req = t.http().post(`${API}/auth/register`);
    return (language === undefined ? req : req.set('Accept-Language', language)).send(body);
  };

  const codesOf = (errors: Array<{ field: string; rule: string; params: unknown }>) =>
    errors.map(({ field, rule, params }) => ({ field, rule, params })).sort((a, b) => a.field.localeCompare(b.field));

  it('answers a bad registration in Chinese with a rule on every field error, and writes nothing', async () => {
    const before = await userCount();
    const res = await registerAs('zh-CN', badRegistration());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED', msg: '请求参数不合法', data: null });
    expect(codesOf(res.body.errors)).toEqual([
      { field: 'extra', rule: 'unknown_field', params: {} },
      { field: 'password', rule: 'min_length', params: { min: 6 } },
      { field: 'phone', rule: 'phone', params: { region: 'CN' } },
      { field: 'username', rule: 'min_length', params: { min: 3 } },
    ]);
    for (const error of res.body.errors) {
      expect(error.message).toMatch(HAN);
    }
    expect(res.body.errors).toContainEqual({
      field: 'password',
      rule: 'min_length',
      params: { min: 6 },
      message: '密码至少需要 6 个字符',
    });
    expect(await userCount()).toBe(before);
  });

  it('answers the same request in English with identical codes, fields, rules and params', async () => {
    const zh = await registerAs('zh-CN', badRegistration());
    const en = await registerAs('en', badRegistration());
    expect(en.status).toBe(400);
    expect(en.body.error).toBe(zh.body.error);
    expect(en.body.msg).toBe('The request is not valid');
    expect(codesOf(en.body.errors)).toEqual(codesOf(zh.body.errors));
    expect(en.body.errors).toContainEqual({
      field: 'password',
      rule: 'min_length',
      params: { min: 6 },
      message: 'password must be at least 6 characters',
    });
    for (const error of en.body.errors) {
      expect(error.message).not.toMatch(HAN);
    }
  });

  it.each([
    ['fr;q=0.9,zh;q=0.5', 'the best language on offer, by q-value'],
    ['zh', 'plain zh'],
    ['zh-Hans', 'zh-Hans'],
    ['en;q=0.3, zh-CN;q=0.8', 'q-values over order'],
  ])('answers %s in Chinese (%s)', async (language) => {
    const res = await registerAs(language, { username: 'ab', password: GOOD_PASSWORD });
    expect(res.body.msg).toBe('请求参数不合法');
    expect(res.body.errors[0]).toMatchObject({ rule: 'min_length', message: '用户名至少需要 3 个字符' });
  });

  it.each([['de'], ['*'], [undefined], ['zh;q=0, en;q=0.1'], [';;q=x,,']])(
    'falls back to English (DEFAULT_LOCALE) for %s',
    async (language) => {
      const res = await registerAs(language, { username: 'ab', password: GOOD_PASSWORD });
      expect(res.status).toBe(400);
      expect(res.body.msg).toBe('The request is not valid');
      expect(res.body.errors[0].message).toBe('username must be at least 3 characters');
    },
  );

  it('translates errors that are not validation: wrong credentials, a forged token, an unknown route', async () => {
    const user = await register(t);
    const wrong = await t
      .http()
      .post(`${API}/auth/login`)
      .set('Accept-Language', 'zh-CN')
      .send({ username: user.username, password: 'Wrong-Password-1' });
    expect(wrong.body).toEqual({
      code: 401,
      msg: '用户名、手机号或密码错误',
      error: 'INVALID_CREDENTIALS',
      data: null,
    });

    const forged = await t
      .http()
      .get(`${API}/users/me`)
      .set('Accept-Language', 'zh-CN')
      .set(bearer(`${user.access_token.slice(0, -4)}AAAA`));
    expect(forged.body).toEqual({ code: 401, msg: '令牌无效', error: 'TOKEN_INVALID', data: null });

    const missing = await t.http().get(`${API}/no-such-route`).set('Accept-Language', 'zh-CN');
    expect(missing.body).toEqual({ code: 404, msg: '未找到', error: 'NOT_FOUND', data: null });
    const missingEn = await t.http().get(`${API}/no-such-route`).set('Accept-Language', 'en');
    expect(missingEn.body).toEqual({ code: 404, msg: 'Not found', error: 'NOT_FOUND', data: null });
  });

  it('words a rule for the field when the field has its own wording, in both languages', async () => {
    const zh = await registerAs('zh-CN', { username: 'ab cd', password: GOOD_PASSWORD });
    expect(zh.body.errors).toEqual([
      { field: 'username', rule: 'pattern', params: {}, message: '用户名只能包含字母、数字、_ 和 -' },
    ]);
    const en = await registerAs('en', { username: 'ab cd', password: GOOD_PASSWORD });
    expect(en.body.errors[0].message).toBe('username may contain only letters, digits, _ and -');
  });

  it('tells a short username of other characters which characters are allowed, not that it is too short', async () => {
    const zh = await registerAs('zh-CN', { username: '小明', password: GOOD_PASSWORD });
    expect(zh.status).toBe(400);
    expect(zh.body.errors).toEqual([
      { field: 'username', rule: 'pattern', params: {}, message: '用户名只能包含字母、数字、_ 和 -' },
    ]);
    const blank = await registerAs('en', { username: '   ', password: GOOD_PASSWORD });
    expect(blank.body.errors).toEqual([expect.objectContaining({ field: 'username', rule: 'required' })]);
  });

  it('reports a wrong type before a length, and a blank name as required', async () => {
    const res = await registerAs('en', { username: ['abc'], password: GOOD_PASSWORD, name: '   ' });
    expect(codesOf(res.body.errors)).toEqual([
      { field: 'name', rule: 'required', params: {} },
      { field: 'username', rule: 'type', params: { type: 'string' } },
    ]);
  });

  it('keeps "success" on a success, whatever the language', async () => {
    const res = await registerAs('zh-CN', { username: uniqueName(), password: GOOD_PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 201, msg: 'success' });
  });

  it('lists every validation rule and its params in the Swagger description', async () => {
    const res = await t.http().get('/docs-json');
    const description: string = res.body.info.description;
    for (const rule of ['required', 'type', 'min_length', 'pattern', 'common_password', 'same_as_username']) {
      expect(description).toContain(`| \`${rule}\` |`);
    }
    expect(description).toContain('| `min_length` | `min` |');
    expect(description).toContain('| `phone` | `region` |');
    expect(description).toContain('| `unknown_field` | — |');
    // Swagger sees the username's bounds and pattern, the rules the pipe names.
    expect(res.body.components.schemas.RegisterDto.properties.username).toMatchObject({
      minLength: 3,
      maxLength: 50,
      pattern: '^[a-zA-Z0-9_-]+$',
    });
  });

  it('answers in DEFAULT_LOCALE when it is set and the request names no language we speak', async () => {
    await t.restart({ DEFAULT_LOCALE: 'zh-CN' });
    try {
      const none = await registerAs(undefined, { username: 'ab', password: GOOD_PASSWORD });
      expect(none.body.msg).toBe('请求参数不合法');
      const french = await registerAs('fr', { username: 'ab', password: GOOD_PASSWORD });
      expect(french.body.errors[0].message).toBe('用户名至少需要 3 个字符');
      const english = await registerAs('en', { username: 'ab', password: GOOD_PASSWORD });
      expect(english.body.msg).toBe('The request is not valid');
    } finally {
      await t.restart({ DEFAULT_LOCALE: 'en' });
    }
  });

  it('refuses to start with a DEFAULT_LOCALE it does not speak', async () => {
    await expect(t.restart({ DEFAULT_LOCALE: 'fr' })).rejects.toThrow(/DEFAULT_LOCALE/);
    await t.restart({ DEFAULT_LOCALE: 'en' });
  });
});
