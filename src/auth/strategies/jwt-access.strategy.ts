import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '#src/common/auth-user.js';
import { jwtStrategyOptions } from '#src/auth/strategies/jwt-strategy-options.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import jwtConfig from '#src/config/jwt.config.js';
import { RevocationService } from '#src/sessions/revocation.service.js';

/** Bearer access tokens (the NestJS docs recipe): passport-jwt checks the signature, then the claims and revocation. */
@Injectable()
export class JwtAccessStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(jwtConfig.KEY) config: ConfigType<typeof jwtConfig>,
    private readonly tokens: TokenService,
    private readonly revocation: RevocationService,
  ) {
    super(jwtStrategyOptions('access', config, ExtractJwt.fromAuthHeaderAsBearerToken()));
  }

  validate(payload: unknown): AuthUser {
    const claims = this.tokens.assertClaims(payload, 'access');
    // Checked in memory: no database query per request (see RevocationService).
    if (this.revocation.isRevoked(claims.sid)) {
      throw new AppException(CoreErrors.TOKEN_REVOKED);
    }
    return { userId: Number(claims.sub), sessionId: claims.sid, role: claims.role };
  }
}
