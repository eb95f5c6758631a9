/**
 * SPEC §4 input rules as plain functions, with no framework imports, so the
 * server's DTOs and the demo page's forms share one definition.
 * Each returns the rule that failed with its params (SPEC §14), or null when the value passes; the
 * message comes from the catalogs in the reader's language, on the server and in the demo page alike.
 */
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 50;
export const USERNAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 50;

/** A failed rule: the stable code clients branch on and the values its message quotes. */
export interface RuleFailure {
  rule: string;
  params: Record<string, string | number | string[]>;
}

const fail = (rule: string, params: RuleFailure['params'] = {}): RuleFailure => ({ rule, params });

/** Length in Unicode code points after NFKC: an emoji or a CJK character counts as one. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}

/**
 * Blank first, then the pattern, then the lengths: `小明` is told which characters are allowed, which it can act
 * on, rather than that it is too short (issue 28). The server's `@IsUsername()` checks in the same order.
 */
export function usernameError(username: string): RuleFailure | null {
  const value = username.trim();
  if (value === '') {
    return fail('required');
  }
  if (!USERNAME_PATTERN.test(value)) {
    return fail('pattern');
  }
  if (value.length < USERNAME_MIN) {
    return fail('min_length', { min: USERNAME_MIN });
  }
  return value.length > USERNAME_MAX ? fail('max_length', { max: USERNAME_MAX }) : null;
}

export function passwordError(password: string, minLength: number): RuleFailure | null {
  const length = passwordLength(password);
  if (length < minLength) {
    return fail('min_length', { min: minLength });
  }
  if (length > PASSWORD_MAX) {
    return fail('max_length', { max: PASSWORD_MAX });
  }
  // A password of blanks is no password: the same answer as a missing one.
  return password.trim().length === 0 ? fail('required') : null;
}

/**
 * A password checked against a stored hash (login, current password): present and at most the maximum, nothing
 * else (SPEC §4). The minimum length and the common list apply to new passwords only, so raising
 * PASSWORD_MIN_LENGTH never locks out an account whose password met the old one (NIST SP 800-63B §3.1.1.2 sets
 * rules for passwords being chosen, not for ones being verified).
 */
export function existingPasswordError(password: string): RuleFailure | null {
  const length = passwordLength(password);
  if (length < 1) {
    return fail('required');
  }
  return length > PASSWORD_MAX ? fail('max_length', { max: PASSWORD_MAX }) : null;
}

export function nameError(name: string): RuleFailure | null {
  const length = [...name.trim()].length;
  if (length < 1) {
    return fail('required');
  }
  return length > NAME_MAX ? fail('max_length', { max: NAME_MAX }) : null;
}
