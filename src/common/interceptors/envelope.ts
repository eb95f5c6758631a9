import { StreamableFile, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import type { FastifyReply } from 'fastify';
import { SKIP_ENVELOPE } from '#src/common/decorators/skip-envelope.decorator.js';
import type { SuccessEnvelope } from '#src/common/envelope.js';

/** The Fastify route config key that marks a `@SkipEnvelope()` route. */
const SKIPS_ENVELOPE = 'gatehouseSkipsEnvelope';

/**
 * The HTTP adapter that wraps every handler's answer as `{code, msg: "success", data}` (SPEC §3). Nest hands a
 * handler's result to `reply()` and to nothing else (errors go through AllExceptionsFilter, which sends its own
 * envelope), so this is exactly where the interceptor's `map()` used to run. Issue 16: a global interceptor made
 * Nest build an rxjs chain, a ReplaySubject and stream tracking for every request; without one, Nest calls the
 * handler and `reply()` directly.
 */
export class EnvelopeFastifyAdapter extends FastifyAdapter {
  override reply(response: Parameters<FastifyAdapter['reply']>[0], body: unknown, statusCode?: number): FastifyReply {
    // Nest passes the FastifyReply of the request (a raw ServerResponse only outside a route, never here).
    const reply = response as FastifyReply;
    const config = reply.request?.routeOptions.config as { [SKIPS_ENVELOPE]?: boolean } | undefined;
    if (!(body instanceof StreamableFile) && config?.[SKIPS_ENVELOPE] !== true) {
      // `code` is the status as the handler left it (the default, @HttpCode, or its own), as the interceptor read it.
      const envelope: SuccessEnvelope<unknown> = { code: reply.statusCode, msg: 'success', data: body ?? null };
      return super.reply(response, envelope, statusCode);
    }
    return super.reply(response, body, statusCode);
  }
}

/**
 * Marks every route of a `@SkipEnvelope()` controller or handler in its Fastify route config, where `reply()` reads
 * it per request without a metadata lookup. Call before `app.init()`, which registers the routes: Nest copies a
 * handler's metadata, this config included, onto the route it registers.
 */
export function markSkippedEnvelopes(app: INestApplication): void {
  const reflector = app.get(Reflector);
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) {
        continue;
      }
      const prototype = controller.prototype as Record<string, () => unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) {
          continue;
        }
        if (reflector.getAllAndOverride<boolean>(SKIP_ENVELOPE, [handler, controller]) === true) {
          const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined;
          Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [SKIPS_ENVELOPE]: true }, handler);
        }
      }
    }
  }
}
