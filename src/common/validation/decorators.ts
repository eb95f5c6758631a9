import { applyDecorators, Inject, Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ConfigType } from '@nestjs/config';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { isCommonPassword } from '#src/common/validation/common-passwords.js';
import { normalizePhone } from '#src/common/validation/phone.js';
import { encodeRuleFailure } from '#src/common/validation/rule-failure.js';
import {
  NAME_MAX,
  existingPasswordError,
  passwordError,
  type RuleFailure,
  USERNAME_MAX,
  USERNAME_MIN,
  USERNAME_PATTERN,
} from '#src/common/validation/rules.js';
import appConfig from '#src/config/app.config.js';

/**
 * An optional field that may be left out but never sent as `null`: class-validator's
 * `@IsOptional()` also lets `null` through, which reaches the services untyped (SPEC §4: wrong types → 400).
 */
const EMAIL_MAX = 254;

export const OptionalField = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Trims strings and leaves other types for the type check to refuse. Never used on passwords. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

const NOT_A_STRING: RuleFailure = { rule: 'type', params: { type: 'string' } };

/**
 * Username and name rules are plain lengths and a pattern, so they are class-validator's own constraints (the pipe
 * maps each to its SPEC §14 rule), applied in this order so a wrong type is reported before a length, and the
 * pattern before a length (`小明` is told which characters are allowed, as `usernameError` tells it). The
 * `ApiProperty` hands Swagger the same bounds (issue 14), with no change to the DTOs that use these.
 */
export const IsUsername = () =>
  applyDecorators(
    ApiProperty({ minLength: USERNAME_MIN, maxLength: USERNAME_MAX, pattern: USERNAME_PATTERN.source }),
    IsString(),
    IsNotEmpty(),
    Matches(USERNAME_PATTERN),
    MinLength(USERNAME_MIN),
    MaxLength(USERNAME_MAX),
  );

/**
 * An email address field, its five decorators in one as `ApiPhoneField` is for phones: at most 254 characters
 * (RFC 5321 §4.5.3.1.3 path limit), trimmed, validated; `required: false` lets it be left out (never null).
 * Listed in the order the stacked decorators ran (bottom first), so a field's errors come in the same order.
 */
export const ApiEmailField = (options: { required: boolean }) =>
  applyDecorators(
    IsEmail(),
    MaxLength(EMAIL_MAX),
    Trim(),
    ...(options.required ? [] : [OptionalField()]),
    (options.required ? ApiProperty : ApiPropertyOptional)({
      format: 'email',
      maxLength: EMAIL_MAX,
      example: 'alice@example.com',
    }),
  );

/** Counted as validator.js does, surrogate pairs as one character, after `@Trim()`. */
export const IsName = () =>
  applyDecorators(ApiProperty({ minLength: 1, maxLength: NAME_MAX }), IsString(), IsNotEmpty(), MaxLength(NAME_MAX));

/**
 * Password rules that depend on configuration (PASSWORD_MIN_LENGTH, DEFAULT_PHONE_REGION)
 * are constraints resolved from Nest's container (`useContainer` in configureApp).
 */
@ValidatorConstraint({ name: 'isPassword' })
@Injectable()
export class PasswordConstraint implements ValidatorConstraintInterface {
  private message = '';

  constructor(@Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>) {}

  validate(value: unknown, args: ValidationArguments): boolean {
    const [isNew] = args.constraints as [boolean];
    const failure = typeof value === 'string' ? this.check(value, isNew, args.object) : NOT_A_STRING;
    this.message = failure ? encodeRuleFailure(failure) : '';
    return this.message === '';
  }

  defaultMessage(): string {
    return this.message;
  }

  private check(password: string, isNew: boolean, object: object): RuleFailure | null {
    if (!isNew) {
      return existingPasswordError(password);
    }
    const error = passwordError(password, this.config.passwordMinLength);
    if (error) {
      return error;
    }
    // NIST SP 800-63B §3.1.1.2: refuse known-compromised and context-specific passwords. New passwords only.
    if (isCommonPassword(password)) {
      return { rule: 'common_password', params: {} };
    }
    const username = (object as { username?: unknown }).username;
    if (typeof username === 'string' && password.normalize('NFKC').toLowerCase() === username.trim().toLowerCase()) {
      return { rule: 'same_as_username', params: {} };
    }
    return null;
  }
}

/** A password to check against a hash (login, current password): present and at most 128 code points. */
export function IsPassword(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      target: object.constructor,
      propertyName,
      options,
      constraints: [false],
      validator: PasswordConstraint,
    });
}

/** A password about to be stored (register, change): also not common and not the username. */
export function IsNewPassword(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      target: object.constructor,
      propertyName,
      options,
      constraints: [true],
      validator: PasswordConstraint,
    });
}

@ValidatorConstraint({ name: 'isPhone' })
@Injectable()
export class PhoneConstraint implements ValidatorConstraintInterface {
  constructor(@Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>) {}

  validate(value: unknown): boolean {
    return typeof value === 'string' && normalizePhone(value, this.config.defaultPhoneRegion) !== null;
  }

  defaultMessage(): string {
    return encodeRuleFailure({ rule: 'phone', params: { region: this.config.defaultPhoneRegion } });
  }
}

export function IsPhone(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({ target: object.constructor, propertyName, options, validator: PhoneConstraint });
}
