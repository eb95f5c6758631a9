import i18next from 'i18next';
import '#src/common/i18n/core-messages.js';
import { findErrorCode } from '#src/common/error-registry.js';
import { LOCALES, SOURCE_LOCALE, type Locale } from '#src/common/i18n/locales.js';
import { onTranslations } from '#src/common/i18n/registry.js';

/**
 * i18next (ESM, maintained) does the lookup, fallback to English and `{{param}}` interpolation, behind these
 * few functions. nestjs-i18n (CommonJS; issue #786 on NestJS 12 ESM under Vitest) loads catalogs from one
 * directory tree, while each module here registers its own in code; docs/toolchain.md has the comparison.
 */
const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: SOURCE_LOCALE,
  fallbackLng: SOURCE_LOCALE,
  supportedLngs: [...LOCALES],
  load: 'currentOnly',
  // Keys are flat (`rules.min_length`, `templates.sms.login_code`), and the text goes into JSON, not HTML.
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  resources: {},
  // Logs are JSON lines for operators: no banner on stdout.
  showSupportNotice: false,
});
onTranslations((locale, entries) => i18n.addResources(locale, 'translation', entries));

export type MessageParams = Record<string, unknown>;

function interpolatable(params: MessageParams): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : value]),
  );
}

export function translate(locale: Locale, key: string, params: MessageParams = {}, defaultValue?: string): string {
  return i18n.t(key, { ...interpolatable(params), lng: locale, defaultValue: defaultValue ?? key });
}

/** True when `locale` itself (not the English fallback) has a message for `key`. */
export function hasTranslation(locale: Locale, key: string): boolean {
  return i18n.exists(key, { lng: locale, fallbackLng: false });
}

/**
 * An error `msg`. In English it is the throw site's message (which may be more precise than the code's,
 * e.g. "User not found"); in another language the code's own translation, since throw sites write English.
 */
export function errorMessage(locale: Locale, code: string, sourceMessage?: string): string {
  const english = sourceMessage ?? findErrorCode(code)?.message ?? code;
  return locale === SOURCE_LOCALE ? english : translate(locale, `errors.${code}`, {}, english);
}

/** A field error's message: its rule's message, naming the field in the reader's language. */
export function fieldMessage(locale: Locale, field: string, rule: string, params: MessageParams): string {
  const name = field.split('.').pop() ?? field;
  const label = translate(locale, `fields.${name}`, {}, name);
  const values = { ...params, field: label };
  const general = translate(locale, `rules.${rule}`, values, translate(locale, 'rules.invalid', values));
  return translate(locale, `rules.${rule}.${name}`, values, general);
}

/** An SMS or email text registered with `defineMessageTemplates`, in the recipient's language. */
export function templateMessage(locale: Locale, name: string, params: MessageParams): string {
  return translate(locale, `templates.${name}`, params);
}
