import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '#src/common/auth-user.js';
import { AppException } from '#src/common/app.exception.js';
import { ROLES } from '#src/common/decorators/roles.decorator.js';
import { ErrorCode } from '#src/common/error-code.js';

/** Runs after `JwtAuthGuard` (APP_GUARD order): deny unless the token's role is listed (OWASP ASVS V8.1, deny by default). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) {
      return true;
    }
    const user = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>().user;
    if (!user || !roles.includes(user.role)) {
      throw new AppException(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
    }
    return true;
  }
}
