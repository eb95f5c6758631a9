import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt } from 'passport-jwt';
import { VerifiedTokenStrategy } from '#src/auth/strategies/verified-token.strategy.js';
import type { RefreshClaims } from '#src/auth/tokens/token-claims.js';
import { TokenService } from '#src/auth/tokens/token.service.js';

/** Refresh tokens from the body's `refresh_token`, verified as the refresh type only. */
@Injectable()
export class JwtRefreshStrategy extends PassportStrategy(VerifiedTokenStrategy, 'jwt-refresh') {
  constructor(private readonly tokens: TokenService) {
    super({
      extract: ExtractJwt.fromBodyField('refresh_token'),
      verify: (token: string) => tokens.verify(token, 'refresh'),
    });
  }

  validate(payload: unknown): RefreshClaims {
    return this.tokens.assertClaims(payload, 'refresh');
  }
}
