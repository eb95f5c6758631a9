import Negotiator from 'negotiator';
import { localeOfTag, type Locale } from '#src/common/i18n/locale-tags.js';

export * from '#src/common/i18n/locale-tags.js';

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
