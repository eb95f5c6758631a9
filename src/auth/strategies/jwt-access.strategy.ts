import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt } from 'passport-jwt';
import type { AuthUser } from '#src/common/auth-user.js';
import { VerifiedTokenStrategy } from '#src/auth/strategies/verified-token.strategy.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import { RevocationService } from '#src/sessions/revocation.service.js';

/** Bearer access tokens: signature, pinned algorithm, key id and claims by TokenService; revocation here. */
@Injectable()
export class JwtAccessStrategy extends PassportStrategy(VerifiedTokenStrategy, 'jwt') {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocation: RevocationService,
  ) {
    super({
      extract: ExtractJwt.fromAuthHeaderAsBearerToken(),
      verify: (token: string) => tokens.verify(token, 'access'),
    });
  }

  validate(payload: unknown): AuthUser {
    const claims = this.tokens.assertClaims(payload, 'access');
    // Checked in memory: no database query per request (see RevocationService).
    if (this.revocation.isRevoked(claims.sid)) {
      throw new AppException(ErrorCode.TOKEN_REVOKED, 'The session has been revoked');
    }
    return { userId: Number(claims.sub), sessionId: claims.sid, role: claims.role };
  }
}
