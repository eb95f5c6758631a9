import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { jwtStrategyOptions } from '#src/auth/strategies/jwt-strategy-options.js';
import type { RefreshClaims } from '#src/auth/tokens/token-claims.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import jwtConfig from '#src/config/jwt.config.js';

/**
 * The body's `refresh_token`, HS256 with JWT_REFRESH_SECRET in every mode. The one place a refresh token is
 * verified: `/auth/refresh` and `/auth/logout` both come through here.
 */
@Injectable()
export class JwtRefreshStrategy extends PassportStrategy(Strategy, 'jwt-refresh') {
  constructor(
    @Inject(jwtConfig.KEY) config: ConfigType<typeof jwtConfig>,
    private readonly tokens: TokenService,
  ) {
    super(jwtStrategyOptions('refresh', config, ExtractJwt.fromBodyField('refresh_token')));
  }

  validate(payload: unknown): RefreshClaims {
    return this.tokens.assertClaims(payload, 'refresh');
  }
}
