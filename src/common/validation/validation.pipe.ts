import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, FieldError } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** No DTO nests deeper than this; the request bodies are flat. */
const MAX_BODY_DEPTH = 16;

/** True when `value` nests objects or arrays deeper than `max`. Iterative, so the check itself cannot overflow. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) {
      continue;
    }
    if (depth >= max) {
      return true;
    }
    for (const child of Object.values(current)) {
      pending.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * class-transformer walks a body recursively: a 16 KiB body of `[[[[…]]]]`
 * overflows the stack and answered 500. Refused as a 400 before it gets there
 * (SPEC §3: no input, however malformed, produces a 5xx).
 */
class DepthLimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && nestsDeeperThan(value, MAX_BODY_DEPTH)) {
      throw new AppException(CoreErrors.VALIDATION_FAILED, {
        errors: [{ field: 'body', message: `the body must not nest deeper than ${MAX_BODY_DEPTH} levels` }],
      });
    }
    return (await super.transform(value, metadata)) as unknown;
  }
}

/**
 * The one global pipe (SPEC §1): unknown fields and wrong types are refused,
 * and every failure lists its field. `stopAtFirstError` keeps one message a rule.
 */
export function createValidationPipe(): ValidationPipe {
  return new DepthLimitedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new AppException(CoreErrors.VALIDATION_FAILED, { errors: flatten(errors) }),
  });
}
