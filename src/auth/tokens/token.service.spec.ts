import jwt from 'jsonwebtoken';
import { TokenService } from '#src/auth/tokens/token.service.js';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import type { JwtConfig } from '#src/config/jwt.config.js';

const config: JwtConfig = {
  algorithm: 'HS256',
  accessSecret: 'unit-access-secret-0123456789abcdef0123456789',
  refreshSecret: 'unit-refresh-secret-0123456789abcdef012345678',
  accessTtl: 86_400,
  refreshTtl: 604_800,
  sessionMaxAge: 2_592_000,
  refreshReuseGrace: 10,
  issuer: 'gatehouse',
  audience: 'gatehouse',
};

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function errorCodeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppException ? e.code : undefined;
  }
  return undefined;
}

describe(TokenService.name, () => {
  const service = new TokenService(config);
  const access = service.signAccess({ id: 7, role: 'user' }, 'session-1').token;
  const claims = jwt.decode(access) as Record<string, unknown>;
  const refreshState = {
    userId: 7,
    sessionId: 'session-1',
    jti: '11111111-1111-4111-8111-111111111111',
    issuedAtMs: Date.now(),
    expiresAtMs: Date.now() + 3_600_000,
  };

  it('signs access tokens with every SPEC §5 claim and verifies them', () => {
    expect(service.verify(access, 'access')).toMatchObject({
      sub: '7',
      sid: 'session-1',
      type: 'access',
      role: 'user',
      iss: 'gatehouse',
      aud: 'gatehouse',
      jti: expect.any(String),
    });
    expect(claims.exp).toBe((claims.iat as number) + config.accessTtl);
    expect(jwt.decode(access, { complete: true })?.header.alg).toBe('HS256');
  });

  it('signs a refresh token identically from the same session state', () => {
    const first = service.signRefresh(refreshState);
    const second = service.signRefresh(refreshState, Date.now() + 5000);
    expect(second.token).toBe(first.token);
    expect(service.verify(first.token, 'refresh')).toMatchObject({ sub: '7', sid: 'session-1', type: 'refresh' });
    expect(first.expiresIn).toBeGreaterThan(3590);
  });

  it('never lets one token type stand in for the other', () => {
    const refresh = service.signRefresh(refreshState).token;
    expect(errorCodeOf(() => service.verify(refresh, 'access'))).toBe(ErrorCode.TOKEN_INVALID);
    expect(errorCodeOf(() => service.verify(access, 'refresh'))).toBe(ErrorCode.TOKEN_INVALID);
    const typed = jwt.sign({ ...claims, type: 'refresh' }, config.accessSecret);
    expect(errorCodeOf(() => service.verify(typed, 'access'))).toBe(ErrorCode.TOKEN_INVALID);
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %j', (alg) => {
    const forged = `${b64url({ alg, typ: 'JWT' })}.${b64url(claims)}.`;
    expect(errorCodeOf(() => service.verify(forged, 'access'))).toBe(ErrorCode.TOKEN_INVALID);
  });

  it.each(['HS384', 'HS512'] as const)('refuses %s even with the right secret', (algorithm) => {
    const forged = jwt.sign(claims, config.accessSecret, { algorithm });
    expect(errorCodeOf(() => service.verify(forged, 'access'))).toBe(ErrorCode.TOKEN_INVALID);
  });

  it.each(['type', 'exp', 'iss', 'aud', 'sid', 'sub', 'jti', 'role'])('refuses a token without %s', (claim) => {
    const partial = { ...claims };
    delete partial[claim];
    const forged = jwt.sign(partial, config.accessSecret);
    expect(errorCodeOf(() => service.verify(forged, 'access'))).toBe(ErrorCode.TOKEN_INVALID);
  });

  it('refuses a wrong issuer, audience or secret', () => {
    for (const forged of [
      jwt.sign({ ...claims, iss: 'evil' }, config.accessSecret),
      jwt.sign({ ...claims, aud: 'evil' }, config.accessSecret),
      jwt.sign(claims, config.refreshSecret),
    ]) {
      expect(errorCodeOf(() => service.verify(forged, 'access'))).toBe(ErrorCode.TOKEN_INVALID);
    }
  });

  it('answers TOKEN_EXPIRED only for an expired, otherwise valid token', () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ ...claims, iat: now - 120, exp: now - 60 }, config.accessSecret);
    expect(errorCodeOf(() => service.verify(expired, 'access'))).toBe(ErrorCode.TOKEN_EXPIRED);
    const expiredForged = jwt.sign({ ...claims, iat: now - 120, exp: now - 60 }, 'wrong-secret-0123456789abcdef0123');
    expect(errorCodeOf(() => service.verify(expiredForged, 'access'))).toBe(ErrorCode.TOKEN_INVALID);
  });

  it('maps anything unexpected to TOKEN_INVALID', () => {
    expect(TokenService.toAppException(new Error('boom')).code).toBe(ErrorCode.TOKEN_INVALID);
    expect(TokenService.toAppException(undefined).code).toBe(ErrorCode.TOKEN_INVALID);
    expect(errorCodeOf(() => service.verify('', 'access'))).toBe(ErrorCode.TOKEN_INVALID);
  });
});
