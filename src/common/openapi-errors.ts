import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_ENVELOPE, PENDING_ERROR } from '#src/common/decorators/api-envelope.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
import { findErrorCode, registeredErrorCodes, type ErrorDefinition } from '#src/common/error-registry.js';

const errorRef = { $ref: `#/components/schemas/${ERROR_ENVELOPE}` };

const FIELD_ERROR_SCHEMA = {
  type: 'object',
  required: ['field', 'rule', 'params', 'message'],
  properties: {
    field: { type: 'string', example: 'password' },
    rule: { type: 'string', example: 'required' },
    // The values a rule quotes (RuleFailure['params']): a number, a word, or a list of words.
    params: {
      type: 'object',
      additionalProperties: {
        oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'array', items: { type: 'string' } }],
      },
      example: {},
    },
    message: { type: 'string', example: 'password is required' },
  },
};

const ERROR_ENVELOPE_SCHEMA = {
  type: 'object',
  required: ['code', 'msg', 'error', 'data'],
  properties: {
    code: { type: 'integer', description: 'Equals the HTTP status' },
    msg: { type: 'string', description: 'In the language of `Accept-Language`' },
    error: { type: 'string', description: 'The stable code clients branch on' },
    data: { type: 'object', nullable: true, example: null },
    errors: { type: 'array', description: 'Only with `VALIDATION_FAILED`', items: FIELD_ERROR_SCHEMA },
  },
};

/**
 * The extension on an error response that lists the codes the shared pipeline answers there rather than the
 * handler: the contract check counts such a code as tested once any operation was seen answering it.
 */
export const SHARED_CODES = 'x-gatehouse-shared-codes';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
}
interface Response {
  description?: string;
  content?: Record<string, { schema?: unknown; example?: unknown }>;
  headers?: Record<string, unknown>;
  [SHARED_CODES]?: string[];
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  security?: unknown[];
  responses: Record<string, Response>;
}

const REQUEST_ID_HEADER = {
  description:
    'Echoes a sane `X-Request-Id` sent with the request, else a new UUID; quote it when reporting a problem.',
  schema: { type: 'string' },
};
const RETRY_AFTER_HEADER = { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } };

/**
 * What the shared pipeline answers, by status, for an operation that validates, needs a token or takes a body:
 * - 400 when the operation validates input;
 * - 401 and 403 when it needs a token: the security guard checks the token and its session, applies the role's IP
 *   allow-list, `@Roles()` and the hook steps modules add, any of which refuses with 403;
 * - 413 and 415 when it takes a body: Fastify refuses a body over the limit or not sent as JSON before Nest runs;
 * - 500 everywhere: an unexpected fault answers `INTERNAL_ERROR` without details (OWASP ASVS 5.0 V16.5.1);
 * - 503 everywhere: a database or Redis that is down or too slow answers `SERVICE_UNAVAILABLE` with `Retry-After`
 *   (SPEC §3, §10), even to a valid token, whose session is read from them.
 */
function sharedCodes(operation: Operation): Map<number, ErrorDefinition[]> {
  const shared = new Map<number, ErrorDefinition[]>();
  const validates = operation.requestBody !== undefined || (operation.parameters ?? []).some((p) => p.in !== 'header');
  if (validates) {
    shared.set(400, [CoreErrors.VALIDATION_FAILED]);
  }
  if ((operation.security ?? []).length > 0) {
    const { UNAUTHORIZED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED, IP_NOT_ALLOWED, FORBIDDEN } = CoreErrors;
    shared.set(401, [UNAUTHORIZED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED]);
    shared.set(403, [IP_NOT_ALLOWED, FORBIDDEN]);
  }
  if (operation.requestBody !== undefined) {
    shared.set(413, [CoreErrors.PAYLOAD_TOO_LARGE]);
    shared.set(415, [CoreErrors.UNSUPPORTED_MEDIA_TYPE]);
  }
  shared.set(500, [CoreErrors.INTERNAL_ERROR]);
  shared.set(503, [CoreErrors.SERVICE_UNAVAILABLE]);
  return shared;
}

/** The codes a decorator named for a status (`x-gatehouse-error:A,B`), else none. */
function declaredCodes(response: Response, status: number): string[] {
  const description = response.description ?? '';
  if (!description.startsWith(PENDING_ERROR)) {
    // A bare `@ApiResponse({status: 429, description})` without a body (`@RateLimit`): every code of the status.
    return response.content === undefined ? allCodesOf(status) : [];
  }
  return description
    .slice(PENDING_ERROR.length)
    .split(',')
    .filter((code) => code !== '');
}

const allCodesOf = (status: number) =>
  registeredErrorCodes()
    .filter((d) => d.status === status)
    .map((d) => d.code);

/** The first required field of the body, for a 400 example that names a real field; undefined without a body. */
function firstRequiredField(document: OpenAPIObject, operation: Operation): string | undefined {
  const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
  const name = ref?.replace('#/components/schemas/', '');
  const schema = name === undefined ? undefined : (document.components?.schemas?.[name] as { required?: string[] });
  return schema?.required?.[0];
}

/** One example per status: its first code with that code's real (English) message. */
function exampleOf(status: number, code: string, field: string | undefined): Record<string, unknown> {
  const msg = findErrorCode(code)?.message ?? '';
  const example: Record<string, unknown> = { code: status, msg, error: code, data: null };
  if (code === CoreErrors.VALIDATION_FAILED.code && field !== undefined) {
    example.errors = [{ field, rule: 'required', params: {}, message: `${field} is required` }];
  }
  return example;
}

/**
 * Completes every operation's error answers once the document is built, so codes registered by any module are
 * known: adds what the shared pipeline answers (`sharedCodes`), lists per status the codes the operation names and
 * the pipeline adds, with one example, and the `X-Request-Id` / `Retry-After` headers. The e2e suite checks every
 * answer against these lists, and that every listed (operation, status, code) is answered by some test.
 */
export function completeErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas[ERROR_ENVELOPE] = ERROR_ENVELOPE_SCHEMA;
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method] as Operation | undefined;
      if (operation !== undefined) {
        optionalLanguageHeader(operation);
        completeOperation(document, operation);
      }
    }
  }
  return document;
}

/**
 * `@Headers('accept-language')` makes Swagger mark the header required, and Swagger UI then refuses to send the
 * request. Every route reads it the same way (SPEC §14: absent means DEFAULT_LOCALE).
 */
function optionalLanguageHeader(operation: Operation): void {
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'header' && parameter.name.toLowerCase() === 'accept-language') {
      parameter.required = false;
      parameter.description = '`zh-CN` or `en`; the language of `msg`. Absent: DEFAULT_LOCALE.';
    }
  }
}

function completeOperation(document: OpenAPIObject, operation: Operation): void {
  const shared = sharedCodes(operation);
  const responses = operation.responses;
  for (const status of shared.keys()) {
    responses[String(status)] ??= { description: PENDING_ERROR };
  }
  for (const [key, response] of Object.entries(responses)) {
    const status = Number(key);
    response.headers = { ...response.headers, 'X-Request-Id': REQUEST_ID_HEADER };
    if (status === 429 || status === 503) {
      response.headers['Retry-After'] = RETRY_AFTER_HEADER;
    }
    const ownBody = response.content !== undefined && !(response.description ?? '').startsWith(PENDING_ERROR);
    if (status < 400 || ownBody) {
      continue; // A success, or a body the operation documents itself (the health report).
    }
    const declared = declaredCodes(response, status);
    const sharedHere = (shared.get(status) ?? []).map((d) => d.code).filter((code) => !declared.includes(code));
    const codes = [...declared, ...sharedHere];
    const detail = (response.description ?? '').startsWith(PENDING_ERROR) ? '' : `${response.description ?? ''} `;
    response.description = `${detail}Error codes: ${codes.map((c) => `\`${c}\``).join(', ')}`.trim();
    if (sharedHere.length > 0) {
      response[SHARED_CODES] = sharedHere;
    }
    const schema =
      codes.length > 0 ? { allOf: [errorRef, { properties: { error: { type: 'string', enum: codes } } }] } : errorRef;
    const example = codes.length > 0 ? exampleOf(status, codes[0], firstRequiredField(document, operation)) : undefined;
    response.content = { 'application/json': { schema, ...(example && { example }) } };
  }
}
