import jwt from 'jsonwebtoken';
import type { JwtFromRequestFunction, StrategyOptionsWithoutRequest } from 'passport-jwt';
import type { TokenType } from '#src/auth/tokens/token-claims.js';
import { ACCESS_TOKEN_TYP, TokenKeys } from '#src/auth/tokens/token-keys.js';
import type { JwtConfig } from '#src/config/jwt.config.js';

/**
 * The passport-jwt options both strategies share: the `KeyObject` chosen by type and `kid`, the type's one
 * algorithm (RFC 8725 §3.1: `none`, HS/RS confusion and any other `alg` are refused), issuer and audience.
 */
export function jwtStrategyOptions(
  type: TokenType,
  config: JwtConfig,
  jwtFromRequest: JwtFromRequestFunction,
): StrategyOptionsWithoutRequest {
  const keys = TokenKeys.of(config);
  return {
    jwtFromRequest,
    algorithms: [keys.algorithms[type]],
    issuer: config.issuer,
    audience: config.audience,
    // STYLE 13: jsonwebtoken would compare `exp` with Date.now(); `exp` is required and compared with the
    // injected Clock in TokenService.assertClaims() instead, after every other check.
    ignoreExpiration: true,
    secretOrKeyProvider: (_request: unknown, rawJwtToken: string, done: (err: unknown, key?: Buffer) => void) => {
      const header = headerOf(rawJwtToken);
      // RFC 9068 §4: an access token must say `typ: at+jwt`, so no other JWT of ours stands in for one.
      const typed = type !== 'access' || header?.typ === ACCESS_TOKEN_TYP;
      const key = header && typed ? keys.verification(type, header.kid) : undefined;
      if (key) {
        // jsonwebtoken takes the KeyObject as it is; passport-jwt's typings only know string | Buffer.
        done(null, key as unknown as Buffer);
      } else {
        done(new jwt.JsonWebTokenError('unexpected token type or key id'));
      }
    },
  };
}

/**
 * The JOSE header alone (issue 16: `jwt.decode(token, { complete: true })` also decoded and parsed the payload,
 * which passport-jwt's `jwt.verify` decodes again right after). Undefined when it is not a JSON object; a token
 * whose other parts are malformed is refused by `jwt.verify`.
 */
function headerOf(token: string): { typ?: unknown; kid?: unknown } | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) {
    return undefined;
  }
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    return header !== null && typeof header === 'object' && !Array.isArray(header) ? header : undefined;
  } catch {
    return undefined;
  }
}
