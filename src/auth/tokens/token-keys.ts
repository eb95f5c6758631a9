import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Algorithm } from 'jsonwebtoken';
import type { JwtConfig } from '#src/config/jwt.config.js';
import type { TokenType } from '#src/auth/tokens/token-claims.js';

/** RFC 9068 §2.1: the media type of a JWT access token, in its `typ` header. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

const built = new WeakMap<JwtConfig, TokenKeys>();

/**
 * Every key as a `KeyObject`: given a string, jsonwebtoken derives the key again on every call.
 * RFC 8725 §3.1 and §3.11: each type has its own pinned algorithm and keys. Refresh tokens are HS256 with
 * JWT_REFRESH_SECRET in every mode (SPEC §5), so no refresh token verifies under the published keys.
 */
export class TokenKeys {
  readonly algorithms: Record<TokenType, Algorithm>;
  /** The `kid` of the access signing key; only with an asymmetric algorithm. */
  readonly activeKid: string | undefined;
  private readonly accessSecret: KeyObject;
  private readonly refreshSecret: KeyObject;

  private constructor(private readonly config: JwtConfig) {
    this.algorithms = { access: config.algorithm, refresh: 'HS256' };
    this.activeKid = config.keys?.activeKid;
    this.accessSecret = createSecretKey(Buffer.from(config.accessSecret, 'utf8'));
    this.refreshSecret = createSecretKey(Buffer.from(config.refreshSecret, 'utf8'));
  }

  /** One instance per configuration, shared by JwtModule's signer and the strategies' verifiers. */
  static of(config: JwtConfig): TokenKeys {
    let keys = built.get(config);
    if (!keys) {
      keys = new TokenKeys(config);
      built.set(config, keys);
    }
    return keys;
  }

  signing(type: TokenType): KeyObject {
    if (type === 'refresh') {
      return this.refreshSecret;
    }
    return this.config.keys?.privateKey ?? this.accessSecret;
  }

  /** The key the token's `kid` names: current or retired, until their tokens expire (SPEC §5). */
  verification(type: TokenType, kid: unknown): KeyObject | undefined {
    if (type === 'refresh') {
      return this.refreshSecret;
    }
    const keySet = this.config.keys;
    if (!keySet) {
      return this.accessSecret;
    }
    return typeof kid === 'string' ? keySet.publicKeys.get(kid) : undefined;
  }
}
