import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** E.164 (`+8613800138000`), reading national numbers in `region`; null when it is not a valid number. */
export function normalizePhone(raw: string, region: string): string | null {
  if (raw.length > 32) {
    return null;
  }
  const parsed = parsePhoneNumberFromString(raw, region as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}
