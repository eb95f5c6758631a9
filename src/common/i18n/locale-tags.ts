/**
 * The locales and how a language tag maps to one, with no imports, so the demo page shares them.
 * SPEC §14: the languages every message exists in; `en` is the source language of every catalog.
 */
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
