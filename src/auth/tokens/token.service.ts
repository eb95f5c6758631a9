import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import jwt, { type Algorithm, type VerifyOptions } from 'jsonwebtoken';
import { createSecretKey, type JsonWebKey, KeyObject, randomUUID } from 'node:crypto';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import jwtConfig, { type JwtAlgorithm } from '#src/config/jwt.config.js';
import { signJws, verifyJws } from '#src/auth/tokens/jws.js';
import type { AccessClaims, ClaimsOf, RefreshClaims, TokenType } from '#src/auth/tokens/token-claims.js';
import type { AsymmetricAlgorithm, JwtKeySet } from '#src/config/jwt-keys.js';

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
 * Signs and verifies both token types. Secrets are held as `KeyObject`s:
 * given a string, jsonwebtoken derives the key again on every call.
 * RFC 8725 §3.1 and §3.11: the algorithm is pinned and each type has its own
 * key and a `type` claim, so one token can never stand in for the other.
 */
@Injectable()
export class TokenService {
  private readonly keys: Record<TokenType, KeyObject>;
  private readonly algorithm: JwtAlgorithm;

  constructor(@Inject(jwtConfig.KEY) private readonly config: ConfigType<typeof jwtConfig>) {
    this.algorithm = config.algorithm;
    this.keys = {
      access: createSecretKey(Buffer.from(config.accessSecret, 'utf8')),
      refresh: createSecretKey(Buffer.from(config.refreshSecret, 'utf8')),
    };
  }

  /** HS256: the type's secret. Asymmetric: the active public key (verification picks a key by `kid`). */
  key(type: TokenType): KeyObject {
    const keySet = this.config.keys;
    return keySet ? keySet.publicKeys.get(keySet.activeKid)! : this.keys[type];
  }

  /** RFC 7517 key set of every key that still verifies, current and retired; null with HS256. */
  jwks(): { keys: PublicJwk[] } | null {
    const keySet = this.config.keys;
    if (!keySet) {
      return null;
    }
    const alg = this.algorithm as AsymmetricAlgorithm;
    return {
      keys: [...keySet.publicKeys].map(([kid, key]) => ({ ...key.export({ format: 'jwk' }), kid, alg, use: 'sig' })),
    };
  }

  /** The options every verification of `type` uses, shared with the passport strategies. */
  verifyOptions(): VerifyOptions & { algorithms: Algorithm[]; issuer: string; audience: string } {
    // jsonwebtoken's Algorithm type has no EdDSA; the value is what the configured key signs with.
    return { algorithms: [this.algorithm as Algorithm], issuer: this.config.issuer, audience: this.config.audience };
  }

  signAccess(user: { id: number; role: string }, sessionId: string, nowMs = Date.now()): SignedToken {
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
    return { token: this.sign(claims, 'access'), expiresIn: this.config.accessTtl };
  }

  /**
   * Deterministic from the session's stored state: every caller inside the
   * reuse grace window receives the very same token (SPEC §5).
   */
  signRefresh(state: RefreshTokenState, nowMs = Date.now()): SignedToken {
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
    return { token: this.sign(claims, 'refresh'), expiresIn: Math.max(0, claims.exp - seconds(nowMs)) };
  }

  /** Verifies signature, algorithm, issuer, audience, expiry and the claims SPEC §5 requires. */
  verify<T extends TokenType>(token: string, type: T): ClaimsOf<T> {
    let payload: unknown;
    try {
      const keySet = this.config.keys;
      payload = keySet
        ? verifyJws(token, this.algorithm as AsymmetricAlgorithm, (kid) => keySet.publicKeys.get(kid))
        : jwt.verify(token, this.keys[type], this.verifyOptions());
    } catch (e) {
      throw TokenService.toAppException(e);
    }
    return this.assertClaims(payload, type);
  }

  /** RFC 8725 §3.9/§3.11: `type`, `iss`, `aud` and `exp` are required, not merely checked when present. */
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
      throw new AppException(ErrorCode.TOKEN_INVALID, 'The token is not valid');
    }
    return claims as ClaimsOf<T>;
  }

  /** Maps a jsonwebtoken failure to the SPEC §3 code: only an expired, otherwise valid token is TOKEN_EXPIRED. */
  static toAppException(e: unknown): AppException {
    if (e instanceof AppException) {
      return e;
    }
    if (e instanceof jwt.TokenExpiredError) {
      return new AppException(ErrorCode.TOKEN_EXPIRED, 'The token has expired');
    }
    return new AppException(ErrorCode.TOKEN_INVALID, 'The token is not valid');
  }

  /**
   * Asymmetric: both types share the key pair. RFC 8725 §3.11 is met by the
   * required `type` claim, checked on every verification (assertClaims).
   */
  private sign(claims: AccessClaims | RefreshClaims, type: TokenType): string {
    const keySet: JwtKeySet | undefined = this.config.keys;
    return keySet
      ? signJws(claims, this.algorithm as AsymmetricAlgorithm, keySet.activeKid, keySet.privateKey)
      : jwt.sign(claims, this.keys[type], { algorithm: this.algorithm as Algorithm });
  }
}
