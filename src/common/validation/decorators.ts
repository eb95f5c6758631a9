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
import { isCommonPassword } from '#src/common/validation/common-passwords.js';
import { normalizePhone } from '#src/common/validation/phone.js';
import { existingPasswordError, nameError, passwordError, usernameError } from '#src/common/validation/rules.js';
import appConfig from '#src/config/app.config.js';

/**
 * An optional field that may be left out but never sent as `null`: class-validator's
 * `@IsOptional()` also lets `null` through, which reaches the services untyped (SPEC §4: wrong types → 400).
 */
export const OptionalField = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Trims strings and leaves other types for the type check to refuse. Never used on passwords. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

type Rule = (value: string, args: ValidationArguments) => string | null;

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
          const error = typeof value === 'string' ? rule(value, args) : `${args.property} must be a string`;
          if (error) {
            messages.set(args.object, error);
          }
          return error === null;
        },
        defaultMessage: (args: ValidationArguments) => messages.get(args.object) ?? `${args.property} is not valid`,
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
    this.message =
      typeof value === 'string' ? (this.check(value, isNew, args.object) ?? '') : 'password must be a string';
    return this.message === '';
  }

  defaultMessage(): string {
    return this.message;
  }

  private check(password: string, isNew: boolean, object: object): string | null {
    if (!isNew) {
      return existingPasswordError(password);
    }
    const error = passwordError(password, this.config.passwordMinLength);
    if (error) {
      return error;
    }
    // NIST SP 800-63B §3.1.1.2: refuse known-compromised and context-specific passwords. New passwords only.
    if (isCommonPassword(password)) {
      return 'password is too common; choose a less guessable one';
    }
    const username = (object as { username?: unknown }).username;
    if (typeof username === 'string' && password.normalize('NFKC').toLowerCase() === username.trim().toLowerCase()) {
      return 'password must not be the same as the username';
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

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a valid phone number (national numbers are read in ${this.config.defaultPhoneRegion})`;
  }
}

export function IsPhone(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({ target: object.constructor, propertyName, options, validator: PhoneConstraint });
}
