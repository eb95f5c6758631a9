import { isEmail } from 'class-validator';
import { isCommonPassword } from '#src/common/validation/common-passwords.js';
import { nameError, passwordError, type RuleFailure, usernameError } from '#src/common/validation/rules.js';
import { fieldMessage } from '#src/common/i18n/translator.js';
import type { UsersService } from '#src/users/users.service.js';
import { BuiltInRoles } from '#src/common/role-registry.js';

export const ROLES: readonly string[] = Object.values(BuiltInRoles);
const EMAIL_MAX = 254;

/** The CLI speaks English, as logs and the audit trail do (SPEC §14: operators search them). */
const english = (field: string, failure: RuleFailure | null): string | null =>
  failure ? fieldMessage('en', field, failure.rule, failure.params) : null;

export interface ProfileFields {
  username: string;
  phone?: string;
  /** Stored unverified: only a code sent to it proves ownership (SPEC §12). */
  email?: string;
  name?: string;
  role?: string;
}

/** The registration rules of SPEC §4 for everything but the password; one message per broken rule. */
export function profileErrors(users: UsersService, fields: ProfileFields): string[] {
  const errors = [english('username', usernameError(fields.username))];
  if (fields.phone !== undefined) {
    errors.push(phoneError(users, fields.phone));
  }
  if (fields.email !== undefined) {
    errors.push(emailError(fields.email));
  }
  if (fields.name !== undefined) {
    errors.push(english('name', nameError(fields.name)));
  }
  if (fields.role !== undefined && !ROLES.includes(fields.role)) {
    errors.push(`role must be one of ${ROLES.join(', ')}`);
  }
  return errors.filter((error): error is string => error !== null);
}

/**
 * The rules a new password meets at registration: length after NFKC, and
 * NIST SP 800-63B §3.1.1.2 (not a common password, not the username).
 */
export function newPasswordError(password: string, username: string, minLength: number): string | null {
  const error = english('password', passwordError(password, minLength));
  if (error) {
    return error;
  }
  if (isCommonPassword(password)) {
    return 'password is too common; choose a less guessable one';
  }
  if (password.normalize('NFKC').toLowerCase() === username.trim().toLowerCase()) {
    return 'password must not be the same as the username';
  }
  return null;
}

function phoneError(users: UsersService, phone: string): string | null {
  try {
    users.toE164(phone);
    return null;
  } catch {
    return 'phone must be a valid phone number';
  }
}

/** SPEC §4, as `RegisterDto` checks it: trimmed, then at most 254 characters (RFC 5321 §4.5.3.1.3) and `isEmail`. */
export function emailError(email: string): string | null {
  const trimmed = email.trim();
  if (trimmed.length > EMAIL_MAX) {
    return english('email', { rule: 'max_length', params: { max: EMAIL_MAX } });
  }
  return isEmail(trimmed) ? null : english('email', { rule: 'email', params: {} });
}
