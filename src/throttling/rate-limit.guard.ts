import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '#src/common/auth-user.js';
import { requestContextOf } from '#src/common/request-context.js';
import { ipKey } from '#src/throttling/ip-key.js';
import { ThrottlingService } from '#src/throttling/throttling.service.js';

export const RATE_LIMIT_KEY = 'gatehouse:rate-limit';

/** What `@RateLimit` leaves on a route: the limit with its window in seconds. */
export interface RateLimitMetadata {
  name: string;
  max: number;
  window: number;
  by: 'ip' | 'user';
}

/**
 * Applies `@RateLimit`. A route guard, so it runs after the global authentication guard and can count per user;
 * a refused request never reaches the handler.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly throttling: ThrottlingService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.reflector.getAllAndOverride<RateLimitMetadata | undefined>(RATE_LIMIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!limit) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const ctx = requestContextOf(request);
    const key = limit.by === 'user' && request.user ? `user:${request.user.userId}` : `ip:${ipKey(ctx.ip)}`;
    await this.throttling.consumeNamed(limit.name, { max: limit.max, window: limit.window }, key, ctx);
    return true;
  }
}
