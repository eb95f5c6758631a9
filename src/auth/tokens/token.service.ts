import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import jwt from 'jsonwebtoken';
import { type JsonWebKey, randomUUID } from 'node:crypto';
import type { AccessClaims, ClaimsOf, RefreshClaims, TokenType } from '#src/auth/tokens/token-claims.js';
import { ACCESS_TOKEN_TYP, TokenKeys } from '#src/auth/tokens/token-keys.js';
import { AppException } from '#src/common/app.exception.js';
import { Clock } from '#src/common/clock.js';
import { CoreErrors } from '#src/common/error-code.js';
import jwtConfig from '#src/config/jwt.config.js';
import type { AsymmetricAlgorithm } from '#src/config/jwt-keys.js';

export interface SignedToken {
  token: string;
  /** Seconds until `exp`. */
  expiresIn: number;
}

export interface RefreshTokenState {
  userId: number;
  sessionId: string;
  jti: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  use: 'sig';
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Signs both token types through `JwtService` (its `secretOrKeyProvider` hands out the `KeyObject`s); the
 * passport strategies verify them, and `assertClaims` is the one place the SPEC §5 claims are checked.
 */
@Injectable()
export class TokenService {
  private readonly keys: TokenKeys;

  constructor(
    @Inject(jwtConfig.KEY) private readonly config: ConfigType<typeof jwtConfig>,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
  ) {
    this.keys = TokenKeys.of(config);
  }

  /** RFC 7517 key set of every key that still verifies access tokens, current and retired; null with HS256. */
  jwks(): { keys: PublicJwk[] } | null {
    const keySet = this.config.keys;
    if (!keySet) {
      return null;
    }
    const alg = this.config.algorithm as AsymmetricAlgorithm;
    return {
      keys: [...keySet.publicKeys].map(([kid, key]) => ({ ...key.export({ format: 'jwk' }), kid, alg, use: 'sig' })),
    };
  }

  signAccess(user: { id: number; role: string }, sessionId: string, nowMs = this.clock.now()): SignedToken {
    const iat = seconds(nowMs);
    const claims: AccessClaims = {
      sub: String(user.id),
      sid: sessionId,
      type: 'access',
      role: user.role,
      jti: randomUUID(),
      iat,
      exp: iat + this.config.accessTtl,
      iss: this.config.issuer,
      aud: this.config.audience,
    };
    const token = this.jwt.sign(claims, {
      algorithm: this.keys.algorithms.access,
      ...(this.keys.activeKid ? { keyid: this.keys.activeKid } : {}),
      // RFC 9068 §2.1 / RFC 8725 §3.11: the header says what the token is, and verification requires it.
      header: { alg: this.keys.algorithms.access, typ: ACCESS_TOKEN_TYP },
    });
    return { token, expiresIn: this.config.accessTtl };
  }

  /**
   * Deterministic from the session's stored state: every caller inside the
   * reuse grace window receives the very same token (SPEC §5).
   */
  signRefresh(state: RefreshTokenState, nowMs = this.clock.now()): SignedToken {
    const claims: RefreshClaims = {
      sub: String(state.userId),
      sid: state.sessionId,
      type: 'refresh',
      jti: state.jti,
      iat: seconds(state.issuedAtMs),
      exp: seconds(state.expiresAtMs),
      iss: this.config.issuer,
      aud: this.config.audience,
    };
    const token = this.jwt.sign(claims, { algorithm: this.keys.algorithms.refresh });
    // Seconds left, to the nearest second: a token signed a few ms after its session was created states the full
    // lifetime (the difference of whole seconds said one less whenever a second ended in between).
    return { token, expiresIn: Math.max(0, Math.round((state.expiresAtMs - nowMs) / 1000)) };
  }

  /**
   * RFC 8725 §3.9/§3.11: `type`, `iss`, `aud` and `exp` are required, not merely checked when present; `exp`
   * is compared with the injected clock, after everything else, so only an otherwise valid token is expired.
   */
  assertClaims<T extends TokenType>(payload: unknown, type: T): ClaimsOf<T> {
    const claims = payload as Partial<ClaimsOf<T>> | null;
    const valid =
      typeof claims === 'object' &&
      claims !== null &&
      claims.type === type &&
      typeof claims.exp === 'number' &&
      typeof claims.iat === 'number' &&
      typeof claims.sub === 'string' &&
      /^\d+$/.test(claims.sub) &&
      typeof claims.sid === 'string' &&
      typeof claims.jti === 'string' &&
      claims.iss === this.config.issuer &&
      claims.aud === this.config.audience &&
      (type === 'refresh' || typeof (claims as Partial<AccessClaims>).role === 'string');
    if (!valid) {
      throw new AppException(CoreErrors.TOKEN_INVALID);
    }
    if (claims.exp! <= seconds(this.clock.now())) {
      throw new AppException(CoreErrors.TOKEN_EXPIRED);
    }
    return claims as ClaimsOf<T>;
  }

  /** Maps a jsonwebtoken failure to the SPEC §3 code: only an expired, otherwise valid token is TOKEN_EXPIRED. */
  static toAppException(e: unknown): AppException {
    if (e instanceof AppException) {
      return e;
    }
    if (e instanceof jwt.TokenExpiredError) {
      return new AppException(CoreErrors.TOKEN_EXPIRED);
    }
    return new AppException(CoreErrors.TOKEN_INVALID);
  }
}
