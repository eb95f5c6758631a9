import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { passportResult } from '#src/auth/guards/passport-errors.js';
import { OPTIONAL_AUTH } from '#src/common/decorators/optional-auth.decorator.js';
import { IS_PUBLIC } from '#src/common/decorators/public.decorator.js';

/** The global guard (`APP_GUARD`): every route needs a valid access token unless it says `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return true;
    }
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets);
    if (optional && !context.switchToHttp().getRequest<FastifyRequest>().headers.authorization) {
      return true;
    }
    return super.canActivate(context);
  }

  override handleRequest<T>(err: unknown, user: T | false, info: unknown): T {
    return passportResult(err, user, info);
  }
}
