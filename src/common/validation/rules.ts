/**
 * SPEC §4 input rules as plain functions, with no framework imports, so the
 * server's DTOs and the demo page's forms share one definition.
 * Each returns an error message, or null when the value passes.
 */
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 50;
export const USERNAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 50;

/** Length in Unicode code points after NFKC: an emoji or a CJK character counts as one. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}

export function usernameError(username: string): string | null {
  const value = username.trim();
  if (value.length < USERNAME_MIN || value.length > USERNAME_MAX) {
    return `username must be ${USERNAME_MIN} to ${USERNAME_MAX} characters`;
  }
  if (!USERNAME_PATTERN.test(value)) {
    return 'username may contain only letters, digits, _ and -';
  }
  return null;
}

export function passwordError(password: string, minLength: number): string | null {
  const length = passwordLength(password);
  if (length < minLength) {
    return `password must be at least ${minLength} characters`;
  }
  if (length > PASSWORD_MAX) {
    return `password must be at most ${PASSWORD_MAX} characters`;
  }
  if (password.trim().length === 0) {
    return 'password must not be only whitespace';
  }
  return null;
}

/**
 * A password checked against a stored hash (login, current password): present and at most the maximum, nothing
 * else (SPEC §4). The minimum length and the common list apply to new passwords only, so raising
 * PASSWORD_MIN_LENGTH never locks out an account whose password met the old one (NIST SP 800-63B §3.1.1.2 sets
 * rules for passwords being chosen, not for ones being verified).
 */
export function existingPasswordError(password: string): string | null {
  const length = passwordLength(password);
  if (length < 1) {
    return 'password must not be empty';
  }
  return length > PASSWORD_MAX ? `password must be at most ${PASSWORD_MAX} characters` : null;
}

export function nameError(name: string): string | null {
  const length = [...name.trim()].length;
  return length < 1 || length > NAME_MAX ? `name must be 1 to ${NAME_MAX} characters` : null;
}
