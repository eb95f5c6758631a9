import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';

type Schema = Record<string, unknown>;

/** Keywords of the OpenAPI document that only describe; the serializer needs none of them. */
const DESCRIPTIVE = new Set(['example', 'examples', 'description', 'title']);

/**
 * Issue 29: the success answers of the hot routes are written by Fastify's compiled `fast-json-stringify` serializer
 * instead of `JSON.stringify`. The schemas are the OpenAPI document's own (the DTO metadata `/docs-json` serves), so
 * the answer and its documentation cannot drift apart. Only the 2xx statuses get one: an error envelope (401, 503, …)
 * keeps `JSON.stringify` and so is never cut down to a success shape. Call before `app.init()`, which registers the
 * routes: the schema is attached as each route is added.
 *
 * `routes` are `METHOD /path` as the document writes them (`GET /api/v1/auth/check`), without path parameters.
 */
export function compileResponseSchemas(
  fastify: FastifyInstance,
  document: OpenAPIObject,
  routes: readonly string[],
): void {
  const byRoute = new Map<string, Record<string, Schema>>();
  for (const route of routes) {
    const [method, path] = route.split(' ');
    const operation = (document.paths[path] as Record<string, { responses?: Record<string, unknown> }> | undefined)?.[
      method.toLowerCase()
    ];
    const response: Record<string, Schema> = {};
    for (const [status, answer] of Object.entries(operation?.responses ?? {})) {
      const schema = (answer as { content?: Record<string, { schema?: Schema }> }).content?.['application/json']
        ?.schema;
      if (/^2\d\d$/.test(status) && schema) {
        response[status] = inline(schema, document);
      }
    }
    if (Object.keys(response).length === 0) {
      // A renamed route or DTO must not silently fall back to the slow path.
      throw new Error(`compileResponseSchemas: the OpenAPI document has no JSON success answer for ${route}`);
    }
    byRoute.set(route, response);
  }
  const unmatched = new Set(byRoute.keys());
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const key = `${methods[0]} ${route.url}`;
    const response = methods.length === 1 ? byRoute.get(key) : undefined;
    if (response) {
      route.schema = { ...route.schema, response };
      unmatched.delete(key);
    }
  });
  fastify.addHook('onReady', (done) => {
    done(
      unmatched.size === 0
        ? undefined
        : new Error(`compileResponseSchemas: no route was registered for ${[...unmatched].join(', ')}`),
    );
  });
}

/** The schema with every `$ref` into `components.schemas` replaced by a copy of its target, descriptions dropped. */
function inline(schema: unknown, document: OpenAPIObject, seen: readonly string[] = []): Schema {
  if (Array.isArray(schema)) {
    return schema.map((item) => inline(item, document, seen)) as unknown as Schema;
  }
  if (schema === null || typeof schema !== 'object') {
    return schema as Schema;
  }
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target || seen.includes(name)) {
      throw new Error(`compileResponseSchemas: cannot inline ${ref}`);
    }
    return inline(target, document, [...seen, name]);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      // Property names are data here, not keywords: a DTO field called `description` stays.
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, property]) => [name, inline(property, document, seen)]),
      );
    } else if (!DESCRIPTIVE.has(key)) {
      out[key] = typeof value === 'object' ? inline(value, document, seen) : value;
    }
  }
  return out;
}
