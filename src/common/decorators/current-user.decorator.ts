import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '#src/common/auth-user.js';

/** The authenticated caller; undefined only on `@Public()` or `@OptionalAuth()` routes. */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>().user,
);
