import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ErrorDefinition } from '#src/common/error-registry.js';

export interface ApiEnvelopeOptions {
  /** The success status; 200 unless given. */
  status?: HttpStatus;
  /** `data` is an array of the model. */
  isArray?: boolean;
  /** `data` is a page `{items: model[], page, page_size, total}`. */
  paginated?: boolean;
  /** With `paginated`: the page also carries `next_after`, the keyset cursor of the next page (null on the last). */
  keyset?: boolean;
  /**
   * The error codes the handler itself can answer (`[CoreErrors.USERNAME_TAKEN, MfaErrors.MFA_INVALID]`); what the
   * shared pipeline answers (400 VALIDATION_FAILED, 401/403 of the guard, 413, 415, 500, 503) is added when the
   * document is built. Codes, never a bare status: an operation lists only what it can answer (issue 28), and the
   * contract check asks for a test of each.
   */
  errors?: ErrorDefinition[];
  /** The answer is not wrapped (health, metrics, JWKS live outside `/api/v1`). */
  raw?: boolean;
}

/** The shared error envelope, one component that every error response refers to. */
export const ERROR_ENVELOPE = 'ErrorEnvelope';
const errorRef = { $ref: `#/components/schemas/${ERROR_ENVELOPE}` };

/**
 * A marker the document pass (`openapi-errors.ts`) replaces with the error codes of that status: `x-gatehouse-error:`
 * followed by the codes, comma-separated.
 */
export const PENDING_ERROR = 'x-gatehouse-error:';

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
    const page = {
      type: 'object',
      required: ['items', 'page', 'page_size', 'total'],
      properties: {
        items: { type: 'array', items: one },
        page: { type: 'integer', minimum: 1, example: 1 },
        page_size: { type: 'integer', minimum: 1, example: 20 },
        total: { type: 'integer', minimum: 0, example: 1 },
      } as Record<string, unknown>,
    };
    if (options.keyset) {
      page.required.push('next_after');
      page.properties.next_after = {
        type: 'integer',
        nullable: true,
        example: null,
        description: 'Send as `after` for the next page; null on the last page.',
      };
    }
    return page;
  }
  return one;
}

/**
 * Documents an operation's answers once: the success envelope `{code, msg, data: T}` (SPEC §3) with the real
 * `data` schema, and each error status with the shared error envelope. Pass null for `data: null`, several models
 * when `data` is one of them: `@ApiEnvelope(SessionDto, { isArray: true, errors: [CoreErrors.NOT_FOUND] })`. The error codes each
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
    ...errorResponses(options.errors ?? []),
  );
}

/** One response per error status, naming the codes given for it. */
function errorResponses(errors: ErrorDefinition[]): MethodDecorator[] {
  const byStatus = new Map<number, string[]>();
  for (const { status, code } of errors) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return [...byStatus].map(([status, codes]) =>
    ApiResponse({ status, description: `${PENDING_ERROR}${codes.join(',')}`, schema: errorRef }),
  );
}

/** Error answers of an operation, by code: `@ApiErrors(CoreErrors.SERVICE_UNAVAILABLE)` on a raw (unwrapped) route. */
export function ApiErrors(...errors: ErrorDefinition[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...errorResponses(errors));
}
