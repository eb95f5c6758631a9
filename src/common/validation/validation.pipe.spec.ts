import { IsString, MaxLength, MinLength } from 'class-validator';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import { createValidationPipe, nestsDeeperThan } from '#src/common/validation/validation.pipe.js';

class NameDto {
  @IsString()
  name: string;
}

class BoundedDto {
  @IsString()
  @MinLength(5)
  @MaxLength(9)
  name: string;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) {
    value = i % 2 === 0 ? [value] : { a: value };
  }
  return value;
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body' as const, metatype: NameDto };

  it('measures nesting without recursion, even 100 000 levels deep', () => {
    expect(nestsDeeperThan({ name: 'x' }, 16)).toBe(false);
    expect(nestsDeeperThan(nested(16), 16)).toBe(false);
    expect(nestsDeeperThan(nested(17), 16)).toBe(true);
    expect(nestsDeeperThan(nested(100_000), 16)).toBe(true);
    expect(nestsDeeperThan('scalar', 0)).toBe(false);
  });

  it('refuses a deeply nested body with VALIDATION_FAILED instead of overflowing the stack', async () => {
    const error = await pipe.transform({ name: nested(5000) }, body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).code).toBe(CoreErrors.VALIDATION_FAILED.code);
    expect((error as AppException).options.errors).toEqual([{ field: 'body', rule: 'max_depth', params: { max: 16 } }]);
  });

  it('lists unknown fields and wrong types by field', async () => {
    const error = (await pipe.transform({ name: 5, extra: true }, body).catch((e: unknown) => e)) as AppException;
    expect(error.code).toBe(CoreErrors.VALIDATION_FAILED.code);
    expect(error.options.errors).toEqual(
      expect.arrayContaining([
        { field: 'extra', rule: 'unknown_field', params: {} },
        { field: 'name', rule: 'type', params: { type: 'string' } },
      ]),
    );
    expect(error.options.errors).toHaveLength(2);
  });

  it('names the rule and reads its params from the standard decorator', async () => {
    const error = (await pipe
      .transform({ name: 'abc' }, { type: 'body', metatype: BoundedDto })
      .catch((e: unknown) => e)) as AppException;
    expect(error.options.errors).toEqual([{ field: 'name', rule: 'min_length', params: { min: 5 } }]);
  });

  it('calls a missing field required, and a null one the wrong type', async () => {
    const missing = (await pipe.transform({}, body).catch((e: unknown) => e)) as AppException;
    expect(missing.options.errors).toEqual([{ field: 'name', rule: 'required', params: {} }]);
    const nulled = (await pipe.transform({ name: null }, body).catch((e: unknown) => e)) as AppException;
    expect(nulled.options.errors).toEqual([{ field: 'name', rule: 'type', params: { type: 'string' } }]);
  });

  it('passes a valid body through as the DTO', async () => {
    await expect(pipe.transform({ name: 'ok' }, body)).resolves.toBeInstanceOf(NameDto);
  });
});
