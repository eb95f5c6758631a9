import Negotiator from 'negotiator';

/** SPEC §14: the languages every message exists in. `en` is the source language of every catalog. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const SOURCE_LOCALE: Locale = 'en';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale a language tag means: any Chinese (`zh`, `zh-Hans`, `zh-CN`, `zh-SG`…) reads zh-CN, any English en. */
export function localeOfTag(tag: string): Locale | undefined {
  const primary = tag.trim().toLowerCase().split('-')[0];
  if (primary === 'zh') {
    return 'zh-CN';
  }
  return primary === 'en' ? 'en' : undefined;
}

/**
 * The best locale on offer for an `Accept-Language` header (RFC 9110 §12.5.4): languages in order of their
 * q-values, the first one we speak wins, so `fr;q=0.9,zh;q=0.5` is Chinese. `negotiator` parses and orders
 * the header (q=0 is excluded); it does not treat `zh-Hans` as a form of `zh-CN`, so tags map through
 * `localeOfTag` rather than through its own matching. `*` or nothing we speak gives the fallback.
 */
export function negotiateLocale(acceptLanguage: string | string[] | undefined, fallback: Locale): Locale {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  if (!header) {
    return fallback;
  }
  for (const tag of new Negotiator({ headers: { 'accept-language': header } }).languages()) {
    const locale = localeOfTag(tag);
    if (locale) {
      return locale;
    }
  }
  return fallback;
}
