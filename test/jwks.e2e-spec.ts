import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { API, bearer, register } from './helpers/auth-client.js';
import { createTestApp, TEST_ENV, type TestApp } from './helpers/test-app.js';

type KeyKind = 'rsa' | 'ec';

function writeKey(dir: string, kid: string, kind: KeyKind, publicOnly = false): KeyObject {
  const { privateKey, publicKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicOnly
    ? publicKey.export({ type: 'spki', format: 'pem' })
    : privateKey.export({ type: 'pkcs8', format: 'pem' });
  writeFileSync(join(dir, `${kid}.pem`), pem);
  return publicKey;
}

async function jwksOf(t: TestApp): Promise<JSONWebKeySet> {
  const res = await t.http().get('/.well-known/jwks.json');
  expect(res.status).toBe(200);
  return res.body as JSONWebKeySet;
}

/** What another service does: verify an access token from the published key set alone. */
async function verifyElsewhere(jwks: JSONWebKeySet, token: string, alg: string) {
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    algorithms: [alg],
    issuer: 'gatehouse',
    audience: 'gatehouse',
  });
  return payload;
}

describe('asymmetric signing and the JWKS endpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  let t: TestApp;

  beforeAll(async () => {
    writeKey(dir, 'key-a', 'rsa');
    t = await createTestApp({ JWT_ALGORITHM: 'RS256', JWT_KEYS_DIR: dir, JWT_ACTIVE_KID: 'key-a' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs access tokens with RS256, a kid and typ at+jwt, and publishes only the public key', async () => {
    const user = await register(t);
    expect(decodeProtectedHeader(user.access_token)).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'key-a' });
    const jwks = await jwksOf(t);
    expect(jwks.keys).toEqual([
      { kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: 'key-a', alg: 'RS256', use: 'sig' },
    ]);
    const payload = await verifyElsewhere(jwks, user.access_token, 'RS256');
    expect(payload).toMatchObject({ type: 'access', sub: String(user.userInfo.id), role: 'user' });
    const me = await t.http().get(`${API}/users/me`).set(bearer(user.access_token));
    expect(me.status).toBe(200);
  });

  it('signs refresh tokens HS256 with the refresh secret, so neither Gatehouse nor a JWKS verifier takes one as an access token', async () => {
    const user = await register(t);
    const header = decodeProtectedHeader(user.refresh_token);
    expect(header.alg).toBe('HS256');
    expect(header).not.toHaveProperty('kid');
    expect(jwt.verify(user.refresh_token, TEST_ENV.JWT_REFRESH_SECRET, { algorithms: ['HS256'] })).toMatchObject({
      type: 'refresh',
      sub: String(user.userInfo.id),
    });
    const jwks = await jwksOf(t);
    await expect(verifyElsewhere(jwks, user.refresh_token, 'RS256')).rejects.toThrow();
    // Even a verifier that accepts any algorithm the key set names finds no key for it.
    await expect(
      jwtVerify(user.refresh_token, createLocalJWKSet(jwks), { issuer: 'gatehouse', audience: 'gatehouse' }),
    ).rejects.toThrow();
    const res = await t.http().get(`${API}/users/me`).set(bearer(user.refresh_token));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('TOKEN_INVALID');
    const refresh = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.access_token });
    expect(refresh.status).toBe(401);
    expect(refresh.body.error).toBe('TOKEN_INVALID');
    expect((await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token })).status).toBe(200);
  });

  it('refuses an HS256 token signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const user = await register(t);
    const [, payload] = user.access_token.split('.');
    const publicPem = createPublicKey(readFileSync(join(dir, 'key-a.pem'), 'utf8')).export({
      type: 'spki',
      format: 'pem',
    });
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: 'key-a' })).toString('base64url');
    const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');
    const res = await t
      .http()
      .get(`${API}/users/me`)
      .set(bearer(`${header}.${payload}.${signature}`));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('TOKEN_INVALID');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'key-a' })).toString('base64url')}.${payload}.`;
    expect((await t.http().get(`${API}/users/me`).set(bearer(none))).status).toBe(401);
  });

  it('keeps accepting tokens of a retired key after rotation, and lists it in the JWKS', async () => {
    const user = await register(t);
    const oldRefresh = user.refresh_token;
    // Rotate: key-b signs from now on; key-a stays as a public key only until its tokens expire.
    writeKey(dir, 'key-b', 'rsa');
    const retired = createPublicKey(readFileSync(join(dir, 'key-a.pem'), 'utf8')).export({
      type: 'spki',
      format: 'pem',
    });
    writeFileSync(join(dir, 'key-a.pem'), retired);
    await t.restart({ JWT_ACTIVE_KID: 'key-b' });

    const me = await t.http().get(`${API}/users/me`).set(bearer(user.access_token));
    expect(me.status).toBe(200);
    const jwks = await jwksOf(t);
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(['key-a', 'key-b']);
    await expect(verifyElsewhere(jwks, user.access_token, 'RS256')).resolves.toMatchObject({ type: 'access' });

    const refreshed = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: oldRefresh });
    expect(refreshed.status).toBe(200);
    const access = refreshed.body.data.access_token as string;
    expect(decodeProtectedHeader(access)).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'key-b' });
    const claims = await verifyElsewhere(jwks, access, 'RS256');
    expect(claims).toEqual({
      sub: String(user.userInfo.id),
      sid: (jwt.decode(oldRefresh) as { sid: string }).sid,
      type: 'access',
      role: 'user',
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: (claims.iat as number) + 86_400,
      iss: 'gatehouse',
      aud: 'gatehouse',
    });
    expect(claims.jti).not.toBe((jwt.decode(user.access_token) as { jti: string }).jti);
  });

  it('refuses a token whose kid is unknown', async () => {
    const user = await register(t);
    const [, payload, signature] = user.access_token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'key-z' })).toString('base64url');
    const res = await t
      .http()
      .get(`${API}/users/me`)
      .set(bearer(`${header}.${payload}.${signature}`));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('TOKEN_INVALID');
  });
});

describe.each([
  ['RS256', 'rsa', 'RSA'],
  ['ES256', 'ec', 'EC'],
] as const)('JWT_ALGORITHM=%s', (alg, kind, kty) => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  let t: TestApp;

  beforeAll(async () => {
    writeKey(dir, 'k1', kind);
    t = await createTestApp({ JWT_ALGORITHM: alg, JWT_KEYS_DIR: dir, JWT_ACTIVE_KID: 'k1' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issues tokens that another service verifies from the JWKS', async () => {
    const user = await register(t);
    expect(decodeProtectedHeader(user.access_token)).toEqual({ alg, typ: 'at+jwt', kid: 'k1' });
    expect(decodeProtectedHeader(user.refresh_token).alg).toBe('HS256');
    const jwks = await jwksOf(t);
    expect(jwks.keys).toEqual([expect.objectContaining({ kty, kid: 'k1', alg, use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    await expect(verifyElsewhere(jwks, user.access_token, alg)).resolves.toMatchObject({ type: 'access' });
    await expect(verifyElsewhere(jwks, user.refresh_token, alg)).rejects.toThrow();
    const refreshed = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token });
    expect(refreshed.status).toBe(200);
  });
});

describe('with HS256', () => {
  it('publishes no key set with HS256', async () => {
    const t = await createTestApp();
    const res = await t.http().get('/.well-known/jwks.json');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('NOT_FOUND');
    await t.close();
  });
});
