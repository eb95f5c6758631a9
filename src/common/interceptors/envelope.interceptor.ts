import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';
import { SKIP_ENVELOPE } from '#src/common/decorators/skip-envelope.decorator.js';
import type { SuccessEnvelope } from '#src/common/envelope.js';

/** Wraps every successful answer as `{code, msg: "success", data}` (SPEC §3). */
@Injectable()
export class EnvelopeInterceptor<T> implements NestInterceptor<T, SuccessEnvelope<T> | T> {
  /** Handler → whether it skips the envelope: metadata never changes after start, so it is read once per route. */
  private readonly skips = new WeakMap<object, boolean>();

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler<T>): Observable<SuccessEnvelope<T> | T> {
    const handler = context.getHandler();
    let skip = this.skips.get(handler);
    if (skip === undefined) {
      skip = this.reflector.getAllAndOverride<boolean>(SKIP_ENVELOPE, [handler, context.getClass()]) ?? false;
      this.skips.set(handler, skip);
    }
    if (skip) {
      return next.handle();
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(map((data) => ({ code: reply.statusCode, msg: 'success', data: data ?? (null as T) })));
  }
}
