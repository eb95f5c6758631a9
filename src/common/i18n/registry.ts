import { LOCALES, type Locale } from '#src/common/i18n/locales.js';

/**
 * A module's messages in one language. Every section is flat: `errors` by error code, `rules` by validation
 * rule, `fields` by field name (used in field messages), `templates` by SMS / email template name.
 * Placeholders are i18next's `{{name}}`.
 */
export interface Catalog {
  errors?: Record<string, string>;
  rules?: Record<string, string>;
  fields?: Record<string, string>;
  templates?: Record<string, string>;
}

/** The shape another language must have: every key of the source catalog, each a string. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

/** What a validation rule or a message template declares: the params its messages may use. */
export interface MessageSpec {
  params: readonly string[];
}

type Listener = (locale: Locale, entries: Record<string, string>) => void;

const entries = new Map<Locale, Map<string, string>>(LOCALES.map((locale) => [locale, new Map()]));
const owners = new Map<string, string>();
const rules = new Map<string, MessageSpec>();
const templates = new Map<string, MessageSpec>();
const listeners = new Set<Listener>();

function flatten(catalog: Catalog): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [section, messages] of Object.entries(catalog) as Array<[string, Record<string, string>]>) {
    for (const [key, text] of Object.entries(messages)) {
      flat[`${section}.${key}`] = text;
    }
  }
  return flat;
}

/**
 * Registers a module's catalogs, one per locale, usually `src/<module>/i18n/en.ts` and `zh-CN.ts`. Called at
 * module top level beside `defineErrorCodes`, so a module's messages load when its code does and no central
 * list names them. A key two modules both define stops the start, as a twice-defined error code does.
 */
export function defineTranslations(owner: string, catalogs: Record<Locale, Catalog>): void {
  for (const locale of LOCALES) {
    const flat = flatten(catalogs[locale]);
    const target = entries.get(locale)!;
    for (const [key, text] of Object.entries(flat)) {
      const previous = owners.get(`${locale}:${key}`);
      if (previous !== undefined && previous !== owner) {
        throw new Error(`Message ${key} (${locale}) is defined by both ${previous} and ${owner}`);
      }
      owners.set(`${locale}:${key}`, owner);
      target.set(key, text);
    }
    for (const listener of listeners) {
      listener(locale, flat);
    }
  }
}

function defineSpecs(kind: string, into: Map<string, MessageSpec>, specs: Record<string, MessageSpec>): void {
  for (const [name, spec] of Object.entries(specs)) {
    if (!/^[a-z][a-z0-9_.]*$/.test(name)) {
      throw new Error(`${kind} ${name} must be lower_snake_case`);
    }
    if (into.has(name)) {
      throw new Error(`${kind} ${name} is defined twice`);
    }
    into.set(name, Object.freeze({ params: [...spec.params] }));
  }
}

/**
 * Registers validation rules a field error may name (SPEC §14), with the params their messages use, e.g.
 * `defineValidationRules({ otp_format: { params: ['length'] } })`; the module's catalogs bring `rules.otp_format`
 * in every locale and the completeness spec checks they do.
 */
export function defineValidationRules(specs: Record<string, MessageSpec>): void {
  defineSpecs('Validation rule', rules, specs);
}

/**
 * Registers SMS / email message templates, e.g. `defineMessageTemplates({ 'sms.login_code': { params: ['code',
 * 'minutes'] } })`, rendered with `I18nService.template(locale, name, params)`; the catalogs bring
 * `templates.sms.login_code` in every locale.
 */
export function defineMessageTemplates(specs: Record<string, MessageSpec>): void {
  defineSpecs('Message template', templates, specs);
}

export function registeredRules(): ReadonlyMap<string, MessageSpec> {
  return rules;
}

export function registeredTemplates(): ReadonlyMap<string, MessageSpec> {
  return templates;
}

/** The merged messages of one locale, as flat `section.key` entries. */
export function registeredMessages(locale: Locale): ReadonlyMap<string, string> {
  return entries.get(locale)!;
}

/** Lets the translator take messages a module registers after it was built (modules load in any order). */
export function onTranslations(listener: Listener): void {
  listeners.add(listener);
  for (const locale of LOCALES) {
    listener(locale, Object.fromEntries(entries.get(locale)!));
  }
}
