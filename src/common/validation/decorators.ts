import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Transform } from 'class-transformer';
import {
  registerDecorator,
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { isCommonPassword } from '#src/auth/password/common-passwords.js';
import { normalizePhone } from '#src/common/validation/phone.js';
import { encodeRuleFailure } from '#src/common/validation/rule-failure.js';
import { nameError, passwordError, type RuleFailure, usernameError } from '#src/common/validation/rules.js';
import appConfig from '#src/config/app.config.js';

/**
 * An optional field that may be left out but never sent as `null`: class-validator's
 * `@IsOptional()` also lets `null` through, which reaches the services untyped (SPEC §4: wrong types → 400).
 */
export const OptionalField = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Trims strings and leaves other types for the type check to refuse. Never used on passwords. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

type Rule = (value: string, args: ValidationArguments) => RuleFailure | null;

const NOT_A_STRING: RuleFailure = { rule: 'type', params: { type: 'string' } };

/** Registers a rule that refuses non-strings and reports the rule's own message. */
function stringRule(name: string, rule: Rule) {
  return (options?: ValidationOptions) => (object: object, propertyName: string) => {
    const messages = new WeakMap<object, string>();
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const error = typeof value === 'string' ? rule(value, args) : NOT_A_STRING;
          if (error) {
            messages.set(args.object, encodeRuleFailure(error));
          }
          return error === null;
        },
        defaultMessage: (args: ValidationArguments) =>
          messages.get(args.object) ?? encodeRuleFailure({ rule: 'invalid', params: {} }),
      },
    });
  };
}

export const IsUsername = stringRule('isUsername', (value) => usernameError(value));
export const IsName = stringRule('isName', (value) => nameError(value));

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
    const error = passwordError(password, this.config.passwordMinLength);
    if (error || !isNew) {
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

/** A password to check against a hash (login, current password): length and whitespace rules only. */
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
