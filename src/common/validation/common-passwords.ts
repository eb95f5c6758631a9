import { COMMON_PASSWORD_LIST } from '#src/common/validation/common-passwords.data.js';

/**
 * Passwords that attackers try first (OWASP ASVS 5.0 V6.2.4, NIST SP 800-63B §3.1.1.2: refuse new passwords found
 * in a list of commonly used ones). The list is generated from zxcvbn's frequency-ranked breach list (the npm
 * package @zxcvbn-ts/language-common, MIT; see common-passwords.generate.mjs) and parsed once, at first import.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(COMMON_PASSWORD_LIST.split('\n').filter(Boolean));

/** Common substitutions undone before a second look-up: `P@ssw0rd1` is `password1` to a cracking rule set. */
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '3': 'e', $: 's', '5': 's' };

/**
 * Cracking tools try each list entry with the usual mangling rules (a trailing symbol, a capital, l33t); a password
 * that is a listed one plus such a rule is no stronger (NIST SP 800-63B §3.1.1.2 "commonly-used, expected"). So the
 * password is also looked up without trailing symbols and with substitutions undone, without regard to case.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  const bare = lower.replace(/[^\p{L}\p{N}]+$/u, '');
  const variants = [lower, bare, deLeet(lower), deLeet(bare)];
  return variants.some((variant) => COMMON_PASSWORDS.has(variant));
}

/** Substitutes letters for look-alike symbols, but keeps a trailing run of digits (`password1` stays). */
function deLeet(password: string): string {
  const [, body, digits] = /^(.*?)(\d*)$/su.exec(password)!;
  return body.replace(/[@4035$]/g, (c) => LEET[c]) + digits;
}
