import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * Documents the SPEC §3 envelope once: `{code, msg, data: T}`. Pass null for
 * `data: null`, or several models when `data` is one of them.
 */
export function ApiEnvelope(model: Type<unknown> | Type<unknown>[] | null, status: HttpStatus = HttpStatus.OK) {
  const models = model === null ? [] : Array.isArray(model) ? model : [model];
  const refs = models.map((m) => ({ $ref: getSchemaPath(m) }));
  const data =
    refs.length === 0
      ? { type: 'object', nullable: true, example: null }
      : refs.length === 1
        ? refs[0]
        : { oneOf: refs };
  return applyDecorators(
    ...(models.length > 0 ? [ApiExtraModels(...models)] : []),
    ApiResponse({
      status,
      schema: {
        type: 'object',
        required: ['code', 'msg', 'data'],
        properties: {
          code: { type: 'integer', example: status },
          msg: { type: 'string', example: 'success' },
          data,
        },
      },
    }),
  );
}
