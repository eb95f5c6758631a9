import { ReportsModule } from '#src/examples/reports/reports.module.js';
import { buildOpenApiDocument } from '#src/app.setup.js';
import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const MESSAGES = {
  en: { unsupported: 'Send the body as application/json', json: 'the body is not valid JSON' },
  'zh-CN': { unsupported: '请以 application/json 格式发送请求体', json: '请求体不是有效的 JSON' },
} as const;
const LANGUAGES = Object.keys(MESSAGES) as Array<keyof typeof MESSAGES>;

/** Values for the path parameters of the documented routes: any value reaches the route, and so its body parser. */
const PATH_VALUES: Record<string, string> = { id: '1', provider: 'github' };

/** Issue 23 item 5 (SPEC §3): a body is `application/json` or answered 415; malformed JSON says where it goes wrong. */
describe('request format: JSON bodies only', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The reports example too, so that every documented operation with a body is sent one it cannot take.
    t = await createTestApp({}, { mount: [ReportsModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  const userCount = async () =>
    Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM users'))[0].n as number | string);

  function expectUnsupported(res: { status: number; body: unknown }, lang: keyof typeof MESSAGES): void {
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      code: 415,
      msg: MESSAGES[lang].unsupported,
      error: 'UNSUPPORTED_MEDIA_TYPE',
      data: null,
    });
  }

  it('answers 415 to a JSON body sent as text/plain on every operation that takes a body', async () => {
    const document = buildOpenApiDocument(t.app);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      (['post', 'put', 'patch'] as const)
        .filter((method) => item[method]?.requestBody !== undefined)
        .map((method) => [method, path.replace(/\{(\w+)\}/g, (_m, name: string) => PATH_VALUES[name])] as const),
    );
    // The auth, users, admin, social and reports routes, at least.
    expect(operations.length).toBeGreaterThan(25);
    for (const [method, path] of operations) {
      const res = await t
        .http()
        [method](path)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ username: uniqueName(), password: GOOD_PASSWORD }));
      expect({ route: `${method} ${path}`, status: res.status, error: res.body.error }).toEqual({
        route: `${method} ${path}`,
        status: 415,
        error: 'UNSUPPORTED_MEDIA_TYPE',
      });
    }
  });

  it('still answers 404 to a path no route matches, whatever the body', async () => {
    const res = await t.http().post(`${API}/no/such/route`).set('Content-Type', 'text/plain').send('hello');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 404, error: 'NOT_FOUND', data: null });
  });

  it.each(LANGUAGES)('refuses a text/plain registration with 415 in %s and creates no account', async (lang) => {
    const before = await userCount();
    const res = await t
      .http()
      .post(`${API}/auth/register`)
      .set('Accept-Language', lang)
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ username: uniqueName(), password: GOOD_PASSWORD }));
    expectUnsupported(res, lang);
    expect(await userCount()).toBe(before);
  });

  it.each(LANGUAGES)('refuses a form-encoded registration with 415 in %s and creates no account', async (lang) => {
    const before = await userCount();
    const res = await t
      .http()
      .post(`${API}/auth/register`)
      .set('Accept-Language', lang)
      .type('form')
      .send({ username: uniqueName(), password: GOOD_PASSWORD });
    expectUnsupported(res, lang);
    expect(await userCount()).toBe(before);
  });

  it.each(LANGUAGES)(
    'refuses a body sent without a content type with 415 in %s and creates no account',
    async (lang) => {
      const before = await userCount();
      const res = await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'POST',
          url: `${API}/auth/register`,
          headers: { 'accept-language': lang },
          // A string payload goes out as typed, with its Content-Length and no Content-Type.
          payload: JSON.stringify({ username: uniqueName(), password: GOOD_PASSWORD }),
        });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectUnsupported({ status: res.statusCode, body: res.json() }, lang);
      expect(await userCount()).toBe(before);
    },
  );

  it.each(LANGUAGES)('answers malformed JSON with 400 and a field error saying where, in %s', async (lang) => {
    const secret = 'Never-Echo-This-42';
    const text = `{"username":"${uniqueName()}","password":"${secret}" x}`;
    const before = await userCount();
    const res = await t
      .http()
      .post(`${API}/auth/register`)
      .set('Accept-Language', lang)
      .set('Content-Type', 'application/json')
      .send(text);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED', data: null });
    const position = text.indexOf(' x}') + 1; // the x
    expect(res.body.errors).toEqual([
      { field: 'body', rule: 'json', params: { position }, message: expect.stringContaining(String(position)) },
    ]);
    expect(res.body.errors[0].message).toContain(MESSAGES[lang].json);
    // V8's own message quotes the body: it never reaches the answer.
    expect(res.text).not.toContain(secret);
    expect(await userCount()).toBe(before);
  });

  it('names the end of the body when the JSON stops short, and position 0 for an empty one', async () => {
    const cut = '{"username":"someone","password":';
    const res = await t.http().post(`${API}/auth/login`).set('Content-Type', 'application/json').send(cut);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'body', rule: 'json', params: { position: cut.length } }),
    ]);
    const empty = await t.http().post(`${API}/auth/login`).set('Content-Type', 'application/json').send('');
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ rule: 'json', params: { position: 0 } })]);
  });

  it('still takes JSON with a charset, and requests that carry no body on routes that need none', async () => {
    const username = uniqueName();
    const registered = await t
      .http()
      .post(`${API}/auth/register`)
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ username, password: GOOD_PASSWORD }));
    expect(registered.status).toBe(201);
    const { access_token } = await register(t);
    // No body, no Content-Type: GET, DELETE and the POSTs that take no body.
    expect((await t.http().get(`${API}/users/me`).set(bearer(access_token))).status).toBe(200);
    expect((await t.http().get(`${API}/auth/sessions`).set(bearer(access_token))).status).toBe(200);
    expect((await t.http().post(`${API}/auth/mfa/totp/setup`).set(bearer(access_token))).status).toBe(200);
    expect((await t.http().post(`${API}/auth/logout`).set(bearer(access_token))).status).toBe(200);
    const other = await register(t);
    const sessions = await t.http().get(`${API}/auth/sessions`).set(bearer(other.access_token));
    const [mine] = sessions.body.data as Array<{ id: string }>;
    expect((await t.http().delete(`${API}/auth/sessions/${mine.id}`).set(bearer(other.access_token))).status).toBe(200);
    const third = await register(t);
    expect((await t.http().post(`${API}/auth/logout-all`).set(bearer(third.access_token))).status).toBe(200);
  });
});
