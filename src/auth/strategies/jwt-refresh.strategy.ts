import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { RefreshClaims } from '#src/auth/tokens/token-claims.js';
import { TokenService } from '#src/auth/tokens/token.service.js';

/** Refresh tokens from the body's `refresh_token`, verified with the refresh key only. */
@Injectable()
export class JwtRefreshStrategy extends PassportStrategy(Strategy, 'jwt-refresh') {
  constructor(private readonly tokens: TokenService) {
    super({
      jwtFromRequest: ExtractJwt.fromBodyField('refresh_token'),
      secretOrKey: tokens.key('refresh') as unknown as string,
      ...tokens.verifyOptions(),
    });
  }

  validate(payload: unknown): RefreshClaims {
    return this.tokens.assertClaims(payload, 'refresh');
  }
}
