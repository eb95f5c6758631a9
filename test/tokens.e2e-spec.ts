import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import { API, bearer, GOOD_PASSWORD, register, type Tokens, uniqueName } from './helpers/auth-client.js';
import { createTestApp, TEST_ENV, type TestApp } from './helpers/test-app.js';

const ACCESS_SECRET = TEST_ENV.JWT_ACCESS_SECRET;
const REFRESH_SECRET = TEST_ENV.JWT_REFRESH_SECRET;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token (RFC 7519 §6), built by hand: jsonwebtoken will not sign with `none`. */
function unsigned(alg: string, payload: object, signature = ''): string {
  return `${b64url({ alg, typ: 'JWT' })}.${b64url(payload)}.${signature}`;
}

type Claims = Record<string, unknown>;

function claimsOf(token: string): Claims {
  return jwt.decode(token) as Claims;
}

/** Signs like Gatehouse signs an access token (RFC 9068 header), so each forgery below fails for its own reason. */
function signAccess(claims: Claims, secret = ACCESS_SECRET, algorithm: jwt.Algorithm = 'HS256'): string {
  return jwt.sign(claims, secret, { algorithm, header: { alg: algorithm, typ: 'at+jwt' } });
}

function without(claims: Claims, key: string): Claims {
  const copy = { ...claims };
  delete copy[key];
  return copy;
}

describe('tokens (SPEC §5)', () => {
  let t: TestApp;
  let victim: Tokens & { username: string };

  beforeAll(async () => {
    t = await createTestApp();
    victim = await register(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));
  const refresh = (token: unknown) => t.http().post(`${API}/auth/refresh`).send({ refresh_token: token });

  function expectError(res: Response, status: number, error: string): void {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ code: status, msg: expect.any(String), error, data: null });
  }

  describe('forged access tokens answer 401 TOKEN_INVALID', () => {
    const forgeries: Array<[string, () => string]> = [
      ['alg "none"', () => unsigned('none', claimsOf(victim.access_token))],
      ['alg "None"', () => unsigned('None', claimsOf(victim.access_token))],
      ['alg "NONE"', () => unsigned('NONE', claimsOf(victim.access_token))],
      ['alg "nOnE"', () => unsigned('nOnE', claimsOf(victim.access_token))],
      [
        'alg "none" with the original signature',
        () => unsigned('none', claimsOf(victim.access_token), victim.access_token.split('.')[2]),
      ],
      ['HS384 with the right secret', () => signAccess(claimsOf(victim.access_token), ACCESS_SECRET, 'HS384')],
      ['HS512 with the right secret', () => signAccess(claimsOf(victim.access_token), ACCESS_SECRET, 'HS512')],
      [
        'HS256 with a wrong secret',
        () => signAccess(claimsOf(victim.access_token), 'another-secret-0123456789abcdef0123456789'),
      ],
      [
        'an access token signed with the refresh secret',
        () => signAccess(claimsOf(victim.access_token), REFRESH_SECRET),
      ],
      ['a refresh token used as bearer', () => victim.refresh_token],
      [
        'a payload changed to role admin, signature kept',
        () => {
          const [header, , signature] = victim.access_token.split('.');
          return `${header}.${b64url({ ...claimsOf(victim.access_token), role: 'admin' })}.${signature}`;
        },
      ],
      ['no type claim', () => signAccess(without(claimsOf(victim.access_token), 'type'))],
      ['type "refresh"', () => signAccess({ ...claimsOf(victim.access_token), type: 'refresh' })],
      ['no exp claim', () => signAccess(without(claimsOf(victim.access_token), 'exp'))],
      ['no iss claim', () => signAccess(without(claimsOf(victim.access_token), 'iss'))],
      ['no aud claim', () => signAccess(without(claimsOf(victim.access_token), 'aud'))],
      ['a wrong iss', () => signAccess({ ...claimsOf(victim.access_token), iss: 'evil' })],
      ['a wrong aud', () => signAccess({ ...claimsOf(victim.access_token), aud: 'evil' })],
      ['a non-numeric sub', () => signAccess({ ...claimsOf(victim.access_token), sub: 'admin' })],
      [
        'a typ other than at+jwt (RFC 9068 §4)',
        () => jwt.sign(claimsOf(victim.access_token), ACCESS_SECRET, { header: { alg: 'HS256', typ: 'JWT' } }),
      ],
      ['no typ header', () => jwt.sign(claimsOf(victim.access_token), ACCESS_SECRET, { noTimestamp: true })],
      ['garbage', () => 'not.a.jwt'],
      ['a truncated token', () => victim.access_token.slice(0, -10)],
    ];

    it.each(forgeries)('refuses %s', async (_label, forge) => {
      expectError(await me(forge()), 401, 'TOKEN_INVALID');
    });

    it('still accepts the genuine token the forgeries were made from, and a re-signed copy of it', async () => {
      expect((await me(signAccess(claimsOf(victim.access_token)))).status).toBe(200);
      const res = await me(victim.access_token);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ username: victim.username, role: 'user' });
    });
  });

  it('answers UNAUTHORIZED without an Authorization header', async () => {
    expectError(await t.http().get(`${API}/users/me`), 401, 'UNAUTHORIZED');
  });

  describe('forged refresh tokens answer 401 TOKEN_INVALID', () => {
    const forgeries: Array<[string, () => string]> = [
      ['an access token', () => victim.access_token],
      ['alg "none"', () => unsigned('none', claimsOf(victim.refresh_token))],
      ['alg "NONE"', () => unsigned('NONE', claimsOf(victim.refresh_token))],
      [
        'HS512 with the right secret',
        () => jwt.sign(claimsOf(victim.refresh_token), REFRESH_SECRET, { algorithm: 'HS512' }),
      ],
      ['a refresh token signed with the access secret', () => jwt.sign(claimsOf(victim.refresh_token), ACCESS_SECRET)],
      ['no type claim', () => jwt.sign(without(claimsOf(victim.refresh_token), 'type'), REFRESH_SECRET)],
      ['no exp claim', () => jwt.sign(without(claimsOf(victim.refresh_token), 'exp'), REFRESH_SECRET)],
      ['a wrong aud', () => jwt.sign({ ...claimsOf(victim.refresh_token), aud: 'evil' }, REFRESH_SECRET)],
      [
        'an unknown jti',
        () =>
          jwt.sign({ ...claimsOf(victim.refresh_token), jti: '00000000-0000-4000-8000-000000000000' }, REFRESH_SECRET),
      ],
    ];

    it.each(forgeries)('refuses %s', async (_label, forge) => {
      expectError(await refresh(forge()), 401, 'TOKEN_INVALID');
    });

    it('answers TOKEN_EXPIRED for an expired refresh token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { ...claimsOf(victim.refresh_token), iat: now - 120, exp: now - 60 };
      expectError(await refresh(jwt.sign(claims, REFRESH_SECRET)), 401, 'TOKEN_EXPIRED');
    });
  });

  describe('one answer for an unknown account and a wrong password', () => {
    it('by username', async () => {
      const { username } = await register(t);
      const wrong = await t.http().post(`${API}/auth/login`).send({ username, password: 'Wrong-Password-1' });
      const unknown = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ username: uniqueName('ghost'), password: 'Wrong-Password-1' });
      expectError(wrong, 401, 'INVALID_CREDENTIALS');
      expect(unknown.status).toBe(wrong.status);
      expect(unknown.body).toEqual(wrong.body);
    });

    it('by phone', async () => {
      await register(t, { phone: '13600136000' });
      const wrong = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ phone: '13600136000', password: 'Wrong-Password-1' });
      const unknown = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ phone: '13600136001', password: 'Wrong-Password-1' });
      expectError(wrong, 401, 'INVALID_CREDENTIALS');
      expect(unknown.status).toBe(wrong.status);
      expect(unknown.body).toEqual(wrong.body);
    });
  });

  describe('logout', () => {
    it('revokes the access token, also after a restart', async () => {
      const tokens = await register(t);
      const logout = await t.http().post(`${API}/auth/logout`).set(bearer(tokens.access_token));
      expect(logout.body).toEqual({ code: 200, msg: 'success', data: null });
      expectError(await me(tokens.access_token), 401, 'TOKEN_REVOKED');
      expectError(await refresh(tokens.refresh_token), 401, 'TOKEN_REVOKED');
      await t.restart();
      expectError(await me(tokens.access_token), 401, 'TOKEN_REVOKED');
      expectError(await refresh(tokens.refresh_token), 401, 'TOKEN_REVOKED');
      const login = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ username: tokens.username, password: GOOD_PASSWORD });
      expect(login.status).toBe(200);
      expect((await me(login.body.data.access_token)).status).toBe(200);
    });

    it('logs out with the refresh token in the body and no bearer', async () => {
      const tokens = await register(t);
      const res = await t.http().post(`${API}/auth/logout`).send({ refresh_token: tokens.refresh_token });
      expect(res.body).toEqual({ code: 200, msg: 'success', data: null });
      expectError(await me(tokens.access_token), 401, 'TOKEN_REVOKED');
      expectError(await refresh(tokens.refresh_token), 401, 'TOKEN_REVOKED');
      const [row] = await t.dataSource.query('SELECT revoked_at FROM sessions WHERE id = ?', [
        claimsOf(tokens.access_token).sid,
      ]);
      expect(Number(row.revoked_at)).toBeGreaterThan(0);
    });

    it('answers 401 UNAUTHORIZED with neither bearer nor refresh token', async () => {
      expectError(await t.http().post(`${API}/auth/logout`).send({}), 401, 'UNAUTHORIZED');
      expectError(await t.http().post(`${API}/auth/logout`), 401, 'UNAUTHORIZED');
    });

    it('refuses a forged refresh token in the body', async () => {
      const forged = unsigned('none', claimsOf(victim.refresh_token));
      expectError(await t.http().post(`${API}/auth/logout`).send({ refresh_token: forged }), 401, 'TOKEN_INVALID');
      expect((await me(victim.access_token)).status).toBe(200);
    });

    it('verifies a body refresh_token exactly as /auth/refresh does', async () => {
      const tokens = await register(t);
      const logout = (token: string) => t.http().post(`${API}/auth/logout`).send({ refresh_token: token });
      expectError(await logout(tokens.access_token), 401, 'TOKEN_INVALID');
      const now = Math.floor(t.clock.now() / 1000);
      const expired = jwt.sign({ ...claimsOf(tokens.refresh_token), iat: now - 120, exp: now - 60 }, REFRESH_SECRET);
      expectError(await logout(expired), 401, 'TOKEN_EXPIRED');
      expectError(await refresh(expired), 401, 'TOKEN_EXPIRED');
      const [row] = await t.dataSource.query('SELECT revoked_at FROM sessions WHERE id = ?', [
        claimsOf(tokens.access_token).sid,
      ]);
      expect(row.revoked_at).toBeNull();
    });

    it('refuses a refresh_token that is not a string', async () => {
      for (const value of [null, 42, ['x'], { a: 1 }]) {
        const res = await t.http().post(`${API}/auth/logout`).send({ refresh_token: value });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED' });
      }
    });
  });
});

describe('access token expiry follows the injected clock', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ JWT_ACCESS_TTL: '60s' });
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http().get(`${API}/users/me`).set(bearer(token));

  it('answers TOKEN_EXPIRED once the clock passes JWT_ACCESS_TTL, and TOKEN_INVALID if the token is also forged', async () => {
    const user = await register(t);
    const claims = claimsOf(user.access_token);
    expect(claims.exp).toBe((claims.iat as number) + 60);
    expect((await me(user.access_token)).status).toBe(200);
    t.clock.advance(61_000);
    for (const [token, error] of [
      [user.access_token, 'TOKEN_EXPIRED'],
      [signAccess({ ...claims, aud: 'evil' }), 'TOKEN_INVALID'],
      [signAccess(claims, 'another-secret-0123456789abcdef0123456789'), 'TOKEN_INVALID'],
    ] as const) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 401, msg: expect.any(String), error, data: null });
    }
    const fresh = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token });
    expect(fresh.status).toBe(200);
    expect((await me(fresh.body.data.access_token as string)).status).toBe(200);
  });
});
