import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { AppException, type FieldErrorInput } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import { decodeRuleFailure } from '#src/common/validation/rule-failure.js';
import type { RuleFailure } from '#src/common/validation/rules.js';

const TYPES: Record<string, string> = {
  isString: 'string',
  isInt: 'integer',
  isNumber: 'number',
  isBoolean: 'boolean',
  isArray: 'array',
  isObject: 'object',
  isBooleanString: 'boolean',
  isNumberString: 'number',
  isDateString: 'date',
  isISO8601: 'date',
};

/**
 * Standard class-validator constraints mapped to their SPEC §14 rule, their params read from the decorator's
 * own arguments (`@MinLength(3)` → `min_length {min: 3}`), so DTOs keep the standard decorators the Swagger
 * plugin understands. Custom constraints report their rule themselves (`encodeRuleFailure`).
 */
const STANDARD_RULES: Record<string, (constraints: unknown[]) => RuleFailure> = {
  isDefined: () => ({ rule: 'required', params: {} }),
  isNotEmpty: () => ({ rule: 'required', params: {} }),
  whitelistValidation: () => ({ rule: 'unknown_field', params: {} }),
  minLength: ([min]) => ({ rule: 'min_length', params: { min: Number(min) } }),
  maxLength: ([max]) => ({ rule: 'max_length', params: { max: Number(max) } }),
  matches: () => ({ rule: 'pattern', params: {} }),
  isEmail: () => ({ rule: 'email', params: {} }),
  isIn: ([values]) => ({ rule: 'one_of', params: { values: (values as unknown[]).map(String) } }),
  min: ([min]) => ({ rule: 'min_value', params: { min: Number(min) } }),
  max: ([max]) => ({ rule: 'max_value', params: { max: Number(max) } }),
  ...Object.fromEntries(
    Object.entries(TYPES).map(([name, type]) => [name, (): RuleFailure => ({ rule: 'type', params: { type } })]),
  ),
};

/** The arguments the failed decorator was declared with, found in class-validator's own metadata. */
function constraintsOf(target: object | undefined, property: string, name: string): unknown[] {
  if (!target) {
    return [];
  }
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && (m.name === name || m.type === name));
  return (metadata?.constraints as unknown[] | undefined) ?? [];
}

function toRule(error: ValidationError, name: string, message: string): RuleFailure {
  // A field left out fails whatever rule comes first; what it lacks is a value. (A `null` is a wrong type.)
  if (error.value === undefined && name !== 'whitelistValidation') {
    return { rule: 'required', params: {} };
  }
  const decoded = decodeRuleFailure(message);
  if (decoded) {
    return decoded;
  }
  const standard = STANDARD_RULES[name];
  return standard ? standard(constraintsOf(error.target, error.property, name)) : { rule: 'invalid', params: {} };
}

/**
 * SPEC §10: an error lists at most 20 field errors. The rest are not even mapped: each lookup of a decorator's
 * params scans class-validator's metadata, and 1,500 unknown keys made that seconds of event loop (issue 23).
 */
export const MAX_FIELD_ERRORS = 20;

function flatten(errors: ValidationError[], prefix = '', out: FieldErrorInput[] = []): FieldErrorInput[] {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [name, message] of Object.entries(error.constraints ?? {})) {
      if (out.length >= MAX_FIELD_ERRORS) {
        return out;
      }
      out.push({ field, ...toRule(error, name, message) });
    }
    flatten(error.children ?? [], field, out);
  }
  return out;
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
        errors: [{ field: 'body', rule: 'max_depth', params: { max: MAX_BODY_DEPTH } }],
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
    // Target and value let the pipe name the rule and read its params; neither reaches the answer.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => new AppException(CoreErrors.VALIDATION_FAILED, { errors: flatten(errors) }),
  });
}
