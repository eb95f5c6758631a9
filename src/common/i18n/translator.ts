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

/**
 * Text values stand in as inert markers while i18next runs and are put in afterwards, so no user text (a field
 * name, a value) ever reaches it: even as an interpolation value, a `$t(` in it sent i18next's nesting parser into
 * seconds of work per message (issue 23), whatever `skipOnVariables` says.
 */
function interpolatable(params: MessageParams): { values: Record<string, unknown>; texts: string[] } {
  const texts: string[] = [];
  const values = Object.fromEntries(
    Object.entries(params).map(([key, raw]) => {
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      if (typeof value !== 'string') {
        return [key, value];
      }
      texts.push(value);
      return [key, `\uE000${texts.length - 1}\uE000`];
    }),
  );
  return { values, texts };
}

const MARKER = /\uE000(\d+)\uE000/g;

/**
 * The message for `key`, or `fallback` (default: the key) as given when no catalog has it. SPEC §10: text a user
 * chose (a JSON key, a header) never reaches i18next as a key to resolve or as a `defaultValue`, both of which it
 * runs through interpolation and `$t(…)` nesting (a 16 KB body of nested `$t(` once cost half a second of event
 * loop, issue 23). A fallback is returned untouched, and parameter text is put in after i18next has run.
 */
export function translate(locale: Locale, key: string, params: MessageParams = {}, fallback?: string): string {
  if (!i18n.exists(key, { lng: locale })) {
    return fallback ?? key;
  }
  const { values, texts } = interpolatable(params);
  const message = i18n.t(key, { ...values, lng: locale });
  return message.replace(MARKER, (_marker, index: string) => texts[Number(index)] ?? '');
}

/** A field name that may be a catalog key: our DTOs' names. Anything else is user text, shown as typed. */
const CATALOG_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

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
  const known = CATALOG_NAME.test(name);
  const label = known ? translate(locale, `fields.${name}`, {}, name) : field;
  const values = { ...params, field: label };
  const general = translate(locale, `rules.${rule}`, values, translate(locale, 'rules.invalid', values));
  return known ? translate(locale, `rules.${rule}.${name}`, values, general) : general;
}

/** An SMS or email text registered with `defineMessageTemplates`, in the recipient's language. */
export function templateMessage(locale: Locale, name: string, params: MessageParams): string {
  return translate(locale, `templates.${name}`, params);
}
