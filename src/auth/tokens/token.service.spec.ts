import { JwtService } from '@nestjs/jwt';
import jwt from 'jsonwebtoken';
import { TokenKeys } from '#src/auth/tokens/token-keys.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import { AppException } from '#src/common/app.exception.js';
import { ManualClock } from '#src/common/clock.js';
import { CoreErrors, type ErrorCodeName } from '#src/common/error-code.js';
import type { JwtConfig } from '#src/config/jwt.config.js';

const config: JwtConfig = {
  algorithm: 'HS256',
  accessSecret: 'unit-access-secret-0123456789abcdef0123456789',
  refreshSecret: 'unit-refresh-secret-0123456789abcdef012345678',
  accessTtl: 86_400,
  refreshTtl: 604_800,
  sessionMaxAge: 2_592_000,
  reauthWindow: 300,
  refreshReuseGrace: 10,
  issuer: 'gatehouse',
  audience: 'gatehouse',
};

function errorCodeOf(fn: () => unknown): ErrorCodeName | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppException ? e.code : undefined;
  }
  return undefined;
}

describe(TokenService.name, () => {
  const clock = new ManualClock();
  const signer = new JwtService({
    secretOrKeyProvider: (_request, payload) => TokenKeys.of(config).signing((payload as { type: 'access' }).type),
  });
  const service = new TokenService(config, signer, clock);
  const access = service.signAccess({ id: 7, role: 'user' }, 'session-1').token;
  const claims = jwt.decode(access) as Record<string, unknown>;
  const refreshState = {
    userId: 7,
    sessionId: 'session-1',
    jti: '11111111-1111-4111-8111-111111111111',
    issuedAtMs: clock.now(),
    expiresAtMs: clock.now() + 3_600_000,
  };

  it('signs access tokens with every SPEC §5 claim, HS256 and typ at+jwt', () => {
    expect(jwt.verify(access, config.accessSecret, { algorithms: ['HS256'] })).toMatchObject({
      sub: '7',
      sid: 'session-1',
      type: 'access',
      role: 'user',
      iss: 'gatehouse',
      aud: 'gatehouse',
      jti: expect.any(String),
    });
    expect(claims.exp).toBe((claims.iat as number) + config.accessTtl);
    expect(jwt.decode(access, { complete: true })?.header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(service.assertClaims(claims, 'access')).toMatchObject({ sub: '7' });
  });

  it('signs a refresh token identically from the same session state, HS256 with the refresh secret', () => {
    const first = service.signRefresh(refreshState);
    const second = service.signRefresh(refreshState, clock.now() + 5000);
    expect(second.token).toBe(first.token);
    expect(jwt.verify(first.token, config.refreshSecret, { algorithms: ['HS256'] })).toMatchObject({
      sub: '7',
      sid: 'session-1',
      type: 'refresh',
    });
    expect(jwt.decode(first.token, { complete: true })?.header.typ).not.toBe('at+jwt');
    expect(first.expiresIn).toBeGreaterThan(3590);
  });

  it('states the full refresh lifetime when a second ends between the session and the signature', () => {
    const issuedAtMs = 1_800_000_000_980; // 20 ms before a second ends
    const state = { ...refreshState, issuedAtMs, expiresAtMs: issuedAtMs + 604_800_000 };
    expect(service.signRefresh(state, issuedAtMs + 40).expiresIn).toBe(604_800);
    expect(service.signRefresh(state, issuedAtMs + 10_000).expiresIn).toBe(604_790);
    expect(service.signRefresh(state, state.expiresAtMs + 1).expiresIn).toBe(0);
  });

  it('never lets one token type stand in for the other', () => {
    const refresh = jwt.decode(service.signRefresh(refreshState).token);
    expect(errorCodeOf(() => service.assertClaims(refresh, 'access'))).toBe(CoreErrors.TOKEN_INVALID.code);
    expect(errorCodeOf(() => service.assertClaims(claims, 'refresh'))).toBe(CoreErrors.TOKEN_INVALID.code);
  });

  it.each(['type', 'exp', 'iat', 'iss', 'aud', 'sid', 'sub', 'jti', 'role'])('refuses claims without %s', (claim) => {
    const partial = { ...claims };
    delete partial[claim];
    expect(errorCodeOf(() => service.assertClaims(partial, 'access'))).toBe(CoreErrors.TOKEN_INVALID.code);
  });

  it('answers TOKEN_EXPIRED once the injected clock passes exp, and only for otherwise valid claims', () => {
    const later = new ManualClock();
    const checker = new TokenService(config, signer, later);
    expect(errorCodeOf(() => checker.assertClaims(claims, 'access'))).toBeUndefined();
    later.advance((config.accessTtl + 1) * 1000);
    expect(errorCodeOf(() => checker.assertClaims(claims, 'access'))).toBe(CoreErrors.TOKEN_EXPIRED.code);
    expect(errorCodeOf(() => checker.assertClaims({ ...claims, iss: 'evil' }, 'access'))).toBe(
      CoreErrors.TOKEN_INVALID.code,
    );
  });

  it('maps anything unexpected to TOKEN_INVALID', () => {
    expect(TokenService.toAppException(new Error('boom')).code).toBe(CoreErrors.TOKEN_INVALID.code);
    expect(TokenService.toAppException(undefined).code).toBe(CoreErrors.TOKEN_INVALID.code);
  });
});
