import fc from 'fast-check';
import type { Response } from 'supertest';
import { API, bearer, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** `FUZZ_RUNS=1000` for a deeper search; the default keeps the file fast. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const FIELDS = ['username', 'password', 'phone', 'name', 'refresh_token'];

/** Any JSON text fast-check can think of; values JSON cannot hold become `null`. */
const anyJson = fc.anything({ maxDepth: 4, maxKeys: 6 }).map((value) => JSON.stringify(value) ?? 'null');

/** Bodies shaped like the real ones, with each field junk or missing. */
const fieldJunk = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '🐱'.repeat(200), 'a'.repeat(2049), '+86', '1e999'),
  fc.double(),
  fc.bigInt().map(String),
);
const shapedBody = fc
  .dictionary(fc.constantFrom(...FIELDS), fieldJunk, { maxKeys: FIELDS.length })
  .map((value) => JSON.stringify(value));

/** JSON text no `JSON.stringify` of a JS value produces: own `__proto__` keys, huge numbers, deep nesting. */
const rawJson = fc.oneof(
  fc
    .tuple(fc.constantFrom(...POLLUTION_KEYS), fc.constantFrom(...FIELDS, 'polluted', 'role', 'isAdmin'), anyJson)
    .map(
      ([key, inner, value]) =>
        `{"${key}": {"${inner}": ${value}}, "username": "fuzz_user", "password": "Blue-Kettle-42"}`,
    ),
  fc.constantFrom(...POLLUTION_KEYS).map((key) => `{"${key}": {"prototype": {"polluted": true}}}`),
  fc
    .constantFrom('1e999', '-1e999', '123456789012345678901234567890', '-0', '0.1e-400')
    .map((n) => `{"username": ${n}, "password": ${n}, "name": ${n}, "refresh_token": ${n}}`),
  fc.integer({ min: 1, max: 3000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 1, max: 1500 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.constantFrom('', 'null', 'true', '"string"', '[]', '{}', '{"username":', '\uFEFF{}', '{"a":1,"a":2}'),
);

const bodies = fc.oneof(anyJson, shapedBody, rawJson);

/** Property-based junk never produces a 5xx and always answers the SPEC §3 envelope. */
describe('junk bodies never produce a 5xx', () => {
  let t: TestApp;
  let accessToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    accessToken = (await register(t)).access_token;
  });
  afterAll(async () => {
    await t.close();
  });

  function expectEnvelope(res: Response): void {
    expect(res.status).toBeLessThan(500);
    expect(res.body.code).toBe(res.status);
    expect(typeof res.body.msg).toBe('string');
    if (res.status >= 400) {
      expect(res.body.data).toBeNull();
      expect(typeof res.body.error).toBe('string');
      expect(JSON.stringify(res.body)).not.toMatch(/at .+\.(ts|js):\d+|SELECT|INSERT/);
    }
  }

  const endpoints: Array<[string, 'post' | 'patch', string, boolean]> = [
    ['POST /auth/register', 'post', '/auth/register', false],
    ['POST /auth/login', 'post', '/auth/login', false],
    ['POST /auth/refresh', 'post', '/auth/refresh', false],
    ['POST /auth/logout', 'post', '/auth/logout', false],
    ['PATCH /users/me', 'patch', '/users/me', true],
  ];

  it.each(endpoints)('%s answers the envelope for any body', async (_label, method, path, authed) => {
    await fc.assert(
      fc.asyncProperty(bodies, async (text) => {
        let req = t.http()[method](`${API}${path}`).set('Content-Type', 'application/json');
        if (authed) {
          req = req.set(bearer(accessToken));
        }
        expectEnvelope(await req.send(text));
      }),
      { numRuns: RUNS },
    );
  });

  it.each(endpoints)(
    '%s refuses a body nested thousands deep with 400, not a stack overflow',
    async (_l, method, path, authed) => {
      for (const text of [`${'['.repeat(3000)}${']'.repeat(3000)}`, `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`]) {
        let req = t.http()[method](`${API}${path}`).set('Content-Type', 'application/json');
        if (authed) {
          req = req.set(bearer(accessToken));
        }
        const res = await req.send(text);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED', data: null });
      }
    },
  );

  it('leaves Object.prototype unpolluted and the fuzzed account usable', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const me = await t.http().get(`${API}/users/me`).set(bearer(accessToken));
    expect(me.status).toBe(200);
    expect(me.body.data.role).toBe('user');
  });
});
