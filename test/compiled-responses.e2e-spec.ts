import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, bearer, GOOD_PASSWORD, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** The JSON text with every token, id and time replaced by its kind: what stays is key order, types and layout. */
function shapeOf(text: string): string {
  return text
    .replace(/"(access_token|refresh_token|session_id|created_at)":"[^"]*"/g, '"$1":"…"')
    .replace(/"(id|user_id)":\d+/g, '"$1":0');
}

/**
 * Issue 29: the hot routes' success answers are written by a serializer compiled from their OpenAPI schema. Two
 * instances on one database, one of them built without it (BENCH_DISABLE=compiled-responses, JSON.stringify as
 * before), must answer the same bytes: same keys in the same order, nothing dropped, errors untouched.
 */
describe('compiled response schemas', () => {
  let compiled: TestApp;
  let plain: TestApp;
  let username: string;
  let access: string;

  beforeAll(async () => {
    compiled = await createTestApp();
    plain = await createTestApp({ BENCH_DISABLE: 'compiled-responses' }, { database: compiled.db });
    ({ username, access_token: access } = await register(compiled, { name: 'Compiled Writer' }));
  });

  afterAll(async () => {
    await plain.close();
    await compiled.close();
  });

  const both = async (
    send: (t: TestApp) => Promise<{ status: number; text: string; headers: Record<string, string> }>,
  ) => {
    const a = await send(compiled);
    const b = await send(plain);
    return { a, b };
  };

  it('answers /auth/check and /users/me with the very bytes JSON.stringify wrote', async () => {
    for (const path of ['/auth/check', '/users/me']) {
      const { a, b } = await both((t) => t.http().get(`${API}${path}`).set(bearer(access)));
      expect(a.status).toBe(200);
      expect(a.text).toBe(b.text);
      expect(a.headers['content-type']).toBe(b.headers['content-type']);
      expect(a.headers['content-length']).toBe(b.headers['content-length']);
    }
    const me = await compiled.http().get(`${API}/users/me`).set(bearer(access));
    expect(me.text.startsWith('{"code":200,"msg":"success","data":{')).toBe(true);
    expect(me.body.data).toMatchObject({ username, name: 'Compiled Writer', phone: null, email: null });
  });

  it('answers login and refresh in the same shape, key for key', async () => {
    const login = await both((t) => t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD }));
    expect(login.a.status).toBe(200);
    expect(shapeOf(login.a.text)).toBe(shapeOf(login.b.text));
    const refresh = await both(async (t) => {
      const { refresh_token } = (await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD }))
        .body.data as { refresh_token: string };
      return t.http().post(`${API}/auth/refresh`).send({ refresh_token });
    });
    expect(refresh.a.status).toBe(200);
    expect(shapeOf(refresh.a.text)).toBe(shapeOf(refresh.b.text));
  });

  it('leaves error answers of those routes whole: a 401, a 400 with its field errors, in Chinese too', async () => {
    const cases: Array<(t: TestApp) => Promise<{ status: number; text: string; headers: Record<string, string> }>> = [
      (t) => t.http().get(`${API}/auth/check`),
      (t) => t.http().get(`${API}/users/me`).set(bearer('not-a-token')).set('Accept-Language', 'zh-CN'),
      (t) => t.http().post(`${API}/auth/login`).send({ username, password: 'Wrong-Password-1' }),
      (t) => t.http().post(`${API}/auth/refresh`).send({ refresh_token: 42 }).set('Accept-Language', 'zh-CN'),
    ];
    for (const send of cases) {
      const { a, b } = await both(send);
      expect(a.status).toBeGreaterThanOrEqual(400);
      expect(a.status).toBe(b.status);
      expect(a.text).toBe(b.text);
      expect(JSON.parse(a.text)).toMatchObject({ code: a.status, data: null, error: expect.any(String) as string });
    }
  });
});
