import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** Documents the SPEC §3 envelope once: `{code, msg, data: T}`. Pass null for `data: null`. */
export function ApiEnvelope(model: Type<unknown> | null, status: HttpStatus = HttpStatus.OK) {
  const data = model ? { $ref: getSchemaPath(model) } : { type: 'object', nullable: true, example: null };
  return applyDecorators(
    ...(model ? [ApiExtraModels(model)] : []),
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
