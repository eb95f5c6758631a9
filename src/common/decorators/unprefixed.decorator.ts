import { RequestMethod, SetMetadata, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { RouteInfo } from '@nestjs/common/interfaces/index.js';

const UNPREFIXED = 'gatehouse:unprefixed';

/**
 * Serves every route of this controller outside `/api/v1` (health checks, metrics, `/.well-known/…`). Declared on
 * the controller, so a module adding such a route edits no central list (STYLE 12); `configureApp()` collects them.
 */
export const Unprefixed = () => SetMetadata(UNPREFIXED, true);

const asArray = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : [value ?? '']);
const join = (...parts: string[]) =>
  parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');

/** The routes of every `@Unprefixed()` controller the app has, as `setGlobalPrefix`'s `exclude` wants them. */
export function unprefixedRoutes(app: INestApplication): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (controller && Reflect.getMetadata(UNPREFIXED, controller) === true) {
        routes.push(...routesOf(controller));
      }
    }
  }
  return routes;
}

function routesOf(controller: Type): RouteInfo[] {
  const bases = asArray(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
  const prototype = controller.prototype as Record<string, object>;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (name === 'constructor' || method === undefined) {
      return [];
    }
    const paths = asArray(Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined);
    return bases.flatMap((base) => paths.map((path) => ({ path: join(base, path), method })));
  });
}
