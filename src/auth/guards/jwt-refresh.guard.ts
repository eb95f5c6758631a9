import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { LogoutDto } from '#src/auth/dto/logout.dto.js';
import { RefreshTokenDto } from '#src/auth/dto/refresh-token.dto.js';
import { passportResult } from '#src/auth/guards/passport-errors.js';
import type { AuthUser } from '#src/common/auth-user.js';
import type { RefreshClaims } from '#src/auth/tokens/token-claims.js';
import { createValidationPipe } from '#src/common/validation/validation.pipe.js';

/** Where the verified refresh token's claims are put, apart from the bearer's `request.user`. */
const PROPERTY = 'refreshClaims';

type RefreshRequest = FastifyRequest & { user?: AuthUser; [PROPERTY]?: RefreshClaims };

/**
 * Verifies the body's refresh token with `JwtRefreshStrategy`. Guards run before pipes, so the body is
 * validated here first: a missing or mistyped field is a 400, not a 401.
 */
@Injectable()
export class JwtRefreshGuard extends AuthGuard('jwt-refresh') {
  private readonly pipe = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RefreshRequest>();
    request.body = await this.pipe.transform(request.body, { type: 'body', metatype: RefreshTokenDto });
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions() {
    return { property: PROPERTY };
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    return passportResult(err, user, info);
  }
}

/**
 * For `/auth/logout`: the refresh token in the body is verified exactly as on `/auth/refresh`, but only when
 * there is no bearer (already authenticated by the global guard) and the body has one.
 */
@Injectable()
export class OptionalJwtRefreshGuard extends AuthGuard('jwt-refresh') {
  private readonly pipe = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RefreshRequest>();
    const body = request.body as { refresh_token?: unknown } | undefined;
    if (request.user || body?.refresh_token === undefined) {
      return true;
    }
    request.body = await this.pipe.transform(body, { type: 'body', metatype: LogoutDto });
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions() {
    return { property: PROPERTY };
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    return passportResult(err, user, info);
  }
}

/** The claims of the refresh token a `JwtRefreshGuard` verified; undefined when an optional one found none. */
export const VerifiedRefreshToken = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<RefreshRequest>()[PROPERTY],
);
