import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { registeredErrorCodes } from '#src/common/error-registry.js';

export interface ApiEnvelopeOptions {
  /** The success status; 200 unless given. */
  status?: HttpStatus;
  /** `data` is an array of the model. */
  isArray?: boolean;
  /** `data` is a page `{items: model[], page, page_size, total}`. */
  paginated?: boolean;
  /** Error statuses the handler itself can answer; 400, 401 and 429 are added where they apply. */
  errors?: number[];
  /** The answer is not wrapped (health, metrics, JWKS live outside `/api/v1`). */
  raw?: boolean;
}

/** The shared error envelope, one component that every error response refers to. */
export const ERROR_ENVELOPE = 'ErrorEnvelope';
const errorRef = { $ref: `#/components/schemas/${ERROR_ENVELOPE}` };

/** A marker the document pass fills in with the error codes of that status, read from the registry. */
const PENDING_ERROR = 'x-gatehouse-error';

function dataSchema(models: Type<unknown>[], options: ApiEnvelopeOptions): Record<string, unknown> {
  if (models.length === 0) {
    return { type: 'object', nullable: true, example: null };
  }
  const refs = models.map((m) => ({ $ref: getSchemaPath(m) }));
  const one = refs.length === 1 ? refs[0] : { oneOf: refs };
  if (options.isArray) {
    return { type: 'array', items: one };
  }
  if (options.paginated) {
    return {
      type: 'object',
      required: ['items', 'page', 'page_size', 'total'],
      properties: {
        items: { type: 'array', items: one },
        page: { type: 'integer', minimum: 1, example: 1 },
        page_size: { type: 'integer', minimum: 1, example: 20 },
        total: { type: 'integer', minimum: 0, example: 1 },
      },
    };
  }
  return one;
}

/**
 * Documents an operation's answers once: the success envelope `{code, msg, data: T}` (SPEC §3) with the real
 * `data` schema, and each error status with the shared error envelope. Pass null for `data: null`, several models
 * when `data` is one of them: `@ApiEnvelope(SessionDto, { isArray: true, errors: [404] })`. The error codes each
 * status can carry are filled in from the registry when the document is built (`completeErrorResponses`).
 */
export function ApiEnvelope(
  model: Type<unknown> | Type<unknown>[] | null,
  statusOrOptions: HttpStatus | ApiEnvelopeOptions = {},
): MethodDecorator & ClassDecorator {
  const options = typeof statusOrOptions === 'number' ? { status: statusOrOptions } : statusOrOptions;
  const status = options.status ?? HttpStatus.OK;
  const models = model === null ? [] : Array.isArray(model) ? model : [model];
  const data = dataSchema(models, options);
  const schema = options.raw
    ? data
    : {
        type: 'object',
        required: ['code', 'msg', 'data'],
        properties: { code: { type: 'integer', example: status }, msg: { type: 'string', example: 'success' }, data },
      };
  return applyDecorators(
    ...(models.length > 0 ? [ApiExtraModels(...models)] : []),
    ApiResponse({ status, description: 'Success', schema }),
    ...(options.errors ?? []).map((error) => ApiErrorResponse(error)),
  );
}

/** One error status in the shared error envelope; its codes are listed when the document is built. */
export function ApiErrorResponse(status: number): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description: PENDING_ERROR, schema: errorRef });
}

const FIELD_ERROR_SCHEMA = {
  type: 'object',
  required: ['field', 'rule', 'params', 'message'],
  properties: {
    field: { type: 'string', example: 'password' },
    rule: { type: 'string', example: 'min_length' },
    // The values a rule quotes (RuleFailure['params']): a number, a word, or a list of words.
    params: {
      type: 'object',
      additionalProperties: {
        oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'array', items: { type: 'string' } }],
      },
      example: { min: 8 },
    },
    message: { type: 'string', example: 'Must be at least 8 characters' },
  },
};

const ERROR_ENVELOPE_SCHEMA = {
  type: 'object',
  required: ['code', 'msg', 'error', 'data'],
  properties: {
    code: { type: 'integer', description: 'Equals the HTTP status', example: 400 },
    msg: { type: 'string', description: 'In the language of `Accept-Language`', example: 'The request is not valid' },
    error: { type: 'string', description: 'The stable code clients branch on', example: 'VALIDATION_FAILED' },
    data: { type: 'object', nullable: true, example: null },
    errors: { type: 'array', description: 'Only with `VALIDATION_FAILED`', items: FIELD_ERROR_SCHEMA },
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

interface Operation {
  parameters?: { in: string }[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, { description?: string; content?: unknown; headers?: Record<string, unknown> }>;
}

const REQUEST_ID_HEADER = {
  description:
    'Echoes a sane `X-Request-Id` sent with the request, else a new UUID; quote it when reporting a problem.',
  schema: { type: 'string' },
};
const RETRY_AFTER_HEADER = { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } };

/**
 * Adds what every operation can answer besides its own errors and lists, per error status, the registered codes
 * it may carry. Runs on the finished document, so codes registered by any module are known. The e2e suite checks
 * every answer against this list, so it names what the pipeline really answers:
 * - 400 when the operation validates input;
 * - 401 and 403 when it needs a token: the security guard also applies the role's IP allow-list, `@Roles()` and
 *   the hook steps modules add, any of which refuses with 403;
 * - 413 and 415 when it takes a body: Fastify refuses a body over the limit or not sent as JSON before Nest runs;
 * - 500 everywhere: an unexpected fault answers `INTERNAL_ERROR` without details (OWASP ASVS 5.0 V16.5.1);
 * - 503 everywhere: a database or Redis that is down or too slow answers `SERVICE_UNAVAILABLE` with `Retry-After`
 *   (SPEC §3, §10), even to a valid token, whose session is read from them.
 */
export function completeErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas[ERROR_ENVELOPE] = ERROR_ENVELOPE_SCHEMA;
  const codesByStatus = new Map<number, string[]>();
  for (const { code, status } of registeredErrorCodes()) {
    codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
  }
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method] as Operation | undefined;
      if (operation === undefined) {
        continue;
      }
      const responses = operation.responses;
      const validates =
        operation.requestBody !== undefined || (operation.parameters ?? []).some((p) => p.in !== 'header');
      if (validates) {
        responses['400'] ??= { description: PENDING_ERROR };
      }
      if ((operation.security ?? []).length > 0) {
        responses['401'] ??= { description: PENDING_ERROR };
        responses['403'] ??= { description: PENDING_ERROR };
      }
      if (operation.requestBody !== undefined) {
        responses['413'] ??= { description: PENDING_ERROR };
        responses['415'] ??= { description: PENDING_ERROR };
      }
      responses['500'] ??= { description: PENDING_ERROR };
      responses['503'] ??= { description: PENDING_ERROR };
      for (const [key, response] of Object.entries(responses)) {
        const status = Number(key);
        response.headers = { ...response.headers, 'X-Request-Id': REQUEST_ID_HEADER };
        if (status === 429 || status === 503) {
          response.headers['Retry-After'] = RETRY_AFTER_HEADER;
        }
        if (status < 400) {
          continue;
        }
        if (response.content !== undefined && response.description !== PENDING_ERROR) {
          continue; // A body of its own that the operation documents itself.
        }
        const codes = codesByStatus.get(status) ?? [];
        const detail = response.description === PENDING_ERROR ? '' : `${response.description ?? ''} `;
        response.description = `${detail}Error codes: ${codes.map((c) => `\`${c}\``).join(', ')}`.trim();
        const schema =
          codes.length > 0
            ? { allOf: [errorRef, { properties: { error: { type: 'string', enum: codes } } }] }
            : errorRef;
        response.content = { 'application/json': { schema } };
      }
    }
  }
  return document;
}
