import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, FieldError } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The one global pipe (SPEC §1): unknown fields and wrong types are refused,
 * and every failure lists its field. `stopAtFirstError` keeps one message a rule.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new AppException(ErrorCode.VALIDATION_FAILED, 'The request is not valid', { errors: flatten(errors) }),
  });
}
