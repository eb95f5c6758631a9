import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { CONSOLE_DIR, CONSOLE_PREFIX } from '#src/console/console.module.js';

/** One answer as the client saw it. */
export interface RecordedAnswer {
  method: string;
  /** The matched route template as Fastify writes it (`/api/v1/admin/users/:id`); undefined when none matched. */
  route: string | undefined;
  status: number;
  contentType: string | undefined;
  body: string | undefined;
}

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
  /** Codes the shared pipeline answers here (src/common/openapi-errors.ts `SHARED_CODES`). */
  'x-gatehouse-shared-codes'?: string[];
}
interface Operation {
  responses: Record<string, ResponseObject>;
}

// ajv-formats is CommonJS: Node's ESM loader hands over `module.exports`, whose `default` is the plugin.
const addFormats = ajvFormats.default;

const COMPONENTS_ID = 'https://gatehouse.invalid/openapi-components.json';
const OPENAPI_KEYWORDS = ['example', 'xml', 'externalDocs', 'discriminator'];

/**
 * Turns an OpenAPI 3.0 Schema Object into JSON Schema for ajv:
 * - `nullable: true` adds "null" to `type`, and only there: OpenAPI 3.0.3 §4.7.24.1 "A true value adds null to
 *   the allowed types specified by the type keyword, only if type is explicitly defined within the same Schema
 *   Object"; an `enum` without null still refuses null. Without `type` it has no effect.
 * - An object schema that lists its `properties` and says nothing of others allows no others, so a field the
 *   document does not describe fails (`additionalProperties: true` or a schema opts out).
 * - `#/components/schemas/X` points into the components, added to ajv once.
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(toJsonSchema);
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable' || key.startsWith('x-')) {
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', `${COMPONENTS_ID}#/definitions/`);
    } else if (key === 'properties' || key === 'definitions') {
      // Names of properties, not schema keywords: convert each value only.
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else if (key === 'example' || key === 'examples' || key === 'enum' || key === 'default') {
      out[key] = value; // Data, not schemas.
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (source.nullable === true && typeof source.type === 'string') {
    out.type = [source.type, 'null'];
  }
  const isObject = source.type === 'object' || (Array.isArray(source.type) && source.type.includes('object'));
  if (isObject && source.properties !== undefined && source.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** `/api/v1/users/:id` → `/api/v1/users/{id}` */
const toOpenApiPath = (route: string) => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const mediaType = (contentType: string | undefined) => contentType?.split(';')[0].trim().toLowerCase();

/**
 * Routes the app serves that are not API operations, so the document does not describe them:
 * Swagger UI and the document itself (`/docs*`), the built demo page's and admin console's files, and the CORS
 * preflight that `enableCors` answers for any path. Unmatched URLs (404 with no route) are left out before this is asked.
 */
export function outsideTheDocument(method: string, route: string, demoPageDir: string | undefined): boolean {
  if (method === 'OPTIONS' && (route === '*' || route === '/*')) {
    return true;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return false;
  }
  if (route === '/docs' || route.startsWith('/docs/') || route.startsWith('/docs-')) {
    return true;
  }
  if (route.startsWith(CONSOLE_PREFIX)) {
    return existsSync(join(CONSOLE_DIR, route.slice(CONSOLE_PREFIX.length) || 'index.html'));
  }
  return (
    demoPageDir !== undefined &&
    !route.includes(':') &&
    !route.includes('*') &&
    existsSync(join(demoPageDir, route === '/' ? 'index.html' : route))
  );
}

/** A documented error answer: `METHOD /path/{param} status CODE`, and whether the shared pipeline answers it. */
export interface ErrorTriple {
  key: string;
  shared: boolean;
}

/** Every checker of this worker, so the per-file coverage hook can collect what they documented and saw. */
const liveCheckers = new Set<ContractChecker>();

/** What the checkers created since the last call documented and saw; forgets them. */
export function takeErrorCoverage(): { documented: ErrorTriple[]; seen: string[] } {
  const documented = new Map<string, ErrorTriple>();
  const seen = new Set<string>();
  for (const checker of liveCheckers) {
    for (const triple of checker.documentedErrors) {
      documented.set(triple.key, triple);
    }
    checker.seenErrors.forEach((key) => seen.add(key));
  }
  liveCheckers.clear();
  return { documented: [...documented.values()], seen: [...seen] };
}

/**
 * Checks answers against an OpenAPI document: the operation exists, the status is listed explicitly (a `default`
 * response does not count), the content type is one the status documents, and a JSON body validates against the
 * schema. Violations are collected, one line each: `METHOD route status: what is wrong`.
 */
export class ContractChecker {
  readonly violations: string[] = [];
  /** Error answers seen that the document lists: `METHOD /path/{param} status CODE`. */
  readonly seenErrors = new Set<string>();
  /** Every (operation, status, code) the documents this checker was given list. */
  readonly documentedErrors: ErrorTriple[] = [];
  private operations = new Map<string, Operation>();
  private ajv!: Ajv;
  private validators = new Map<string, ValidateFunction>();

  constructor(
    document: OpenAPIObject,
    private readonly demoPageDir?: string,
  ) {
    this.useDocument(document);
    liveCheckers.add(this);
  }

  /** A restarted app may document more (roles from config, mounted modules): later answers use its document. */
  useDocument(document: OpenAPIObject): void {
    this.operations.clear();
    this.validators.clear();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const operation = (item as Record<string, unknown>)[method] as Operation | undefined;
        if (operation !== undefined) {
          this.operations.set(`${method.toUpperCase()} ${path}`, operation);
          this.documentedErrors.push(...errorTriples(`${method.toUpperCase()} ${path}`, operation));
        }
      }
    }
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
    addFormats(this.ajv);
    for (const keyword of OPENAPI_KEYWORDS) {
      this.ajv.addKeyword(keyword);
    }
    this.ajv.addSchema({ $id: COMPONENTS_ID, definitions: toJsonSchema(document.components?.schemas ?? {}) });
  }

  /** Checks one answer; returns (and keeps) its violations. */
  check(answer: RecordedAnswer): string[] {
    const found = this.violationsOf(answer);
    if (found.length === 0) {
      this.noteError(answer);
    }
    this.violations.push(
      ...found.map((v) => `${answer.method} ${answer.route ?? '(no route)'} ${answer.status}: ${v}`),
    );
    return found;
  }

  private violationsOf({ method, route, status, contentType, body }: RecordedAnswer): string[] {
    if (route === undefined || outsideTheDocument(method, route, this.demoPageDir)) {
      return [];
    }
    // Fastify answers HEAD for every GET route with the GET's status and no body.
    const documented = method === 'HEAD' ? 'GET' : method;
    const operation = this.operations.get(`${documented} ${toOpenApiPath(route)}`);
    if (operation === undefined) {
      return ['the route has no operation in the OpenAPI document'];
    }
    const response = operation.responses[String(status)];
    if (response === undefined) {
      return [`status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    }
    if (method === 'HEAD' || body === undefined || body === '') {
      return [];
    }
    const type = mediaType(contentType);
    const media = type === undefined ? undefined : response.content?.[type];
    if (media === undefined) {
      const listed = Object.keys(response.content ?? {}).join(', ') || 'none';
      return [`content type ${type ?? '(none)'} is not documented (documented: ${listed})`];
    }
    if (type !== 'application/json' || media.schema === undefined) {
      return []; // Text answers (Prometheus metrics) are checked for status and content type only.
    }
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return ['the body is not valid JSON'];
    }
    const validate = this.validator(`${documented} ${route} ${status}`, media.schema);
    if (validate(data)) {
      return [];
    }
    return (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      const allowed = e.keyword === 'enum' ? ` ${JSON.stringify(e.params.allowedValues)}` : '';
      return `${e.instancePath || '(body)'} ${e.message ?? e.keyword}${extra}${allowed}`;
    });
  }

  private noteError({ method, route, status, body }: RecordedAnswer): void {
    if (status < 400 || route === undefined || body === undefined) {
      return;
    }
    try {
      const error = (JSON.parse(body) as { error?: unknown }).error;
      if (typeof error === 'string') {
        this.seenErrors.add(`${method === 'HEAD' ? 'GET' : method} ${toOpenApiPath(route)} ${status} ${error}`);
      }
    } catch {
      // Not JSON: no error code to note.
    }
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/**
 * Records every answer the app sends and checks it against `checker()`'s document. An `onSend` hook sees the
 * serialized payload, the final status and the content type, for handler answers and framework errors alike.
 */
export function recordAnswers(fastify: FastifyInstance, checker: () => ContractChecker | undefined): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const current = checker();
    if (current !== undefined) {
      const body =
        typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
      const contentType = reply.getHeader('content-type');
      try {
        current.check({
          method: request.method,
          route: request.routeOptions.url,
          status: reply.statusCode,
          contentType: typeof contentType === 'string' ? contentType : undefined,
          body,
        });
      } catch (err) {
        current.violations.push(`${request.method} ${request.routeOptions.url} ${reply.statusCode}: ${String(err)}`);
      }
    }
    done(null, payload);
  });
}

/** The (status, code) pairs an operation documents, from each error response's `error` enum. */
function errorTriples(operation: string, op: Operation): ErrorTriple[] {
  return Object.entries(op.responses).flatMap(([status, response]) => {
    const schema = response.content?.['application/json']?.schema as
      { allOf?: { properties?: { error?: { enum?: string[] } } }[] } | undefined;
    const codes = schema?.allOf?.[1]?.properties?.error?.enum ?? [];
    const shared = new Set(response['x-gatehouse-shared-codes'] ?? []);
    return Number(status) < 400
      ? []
      : codes.map((code) => ({ key: `${operation} ${status} ${code}`, shared: shared.has(code) }));
  });
}
