import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { RefreshTokenDto } from '#src/auth/dto/refresh-token.dto.js';
import { passportResult } from '#src/auth/guards/passport-errors.js';
import { createValidationPipe } from '#src/common/validation/validation.pipe.js';

/**
 * Verifies the body's refresh token. Guards run before pipes, so the body is
 * validated here first: a missing or mistyped field is a 400, not a 401.
 */
@Injectable()
export class JwtRefreshGuard extends AuthGuard('jwt-refresh') {
  private readonly pipe = createValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.body = await this.pipe.transform(request.body, { type: 'body', metatype: RefreshTokenDto });
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    return passportResult(err, user, info);
  }
}
