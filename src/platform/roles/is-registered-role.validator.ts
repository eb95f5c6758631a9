import { Injectable } from '@nestjs/common';
import {
  registerDecorator,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { encodeRuleFailure } from '#src/common/validation/rule-failure.js';
import { RolesService } from '#src/platform/roles/roles.service.js';

/**
 * Resolved from Nest's container (`useContainer` in configureApp), because `ROLES=` is configuration:
 * only a role this deployment knows may be given to an account (OWASP ASVS 5.0 V8.2.1, access by defined roles).
 */
@ValidatorConstraint({ name: 'isRegisteredRole' })
@Injectable()
export class RegisteredRoleConstraint implements ValidatorConstraintInterface {
  constructor(private readonly roles: RolesService) {}

  validate(value: unknown): boolean {
    return typeof value === 'string' && this.roles.has(value);
  }

  defaultMessage(): string {
    return encodeRuleFailure({ rule: 'one_of', params: { values: [...this.roles.list()] } });
  }
}

/** A role name that is built in, defined by a module or configured with `ROLES=`. */
export function IsRegisteredRole(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({ target: object.constructor, propertyName, options, validator: RegisteredRoleConstraint });
}
