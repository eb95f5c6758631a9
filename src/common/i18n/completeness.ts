import { registeredErrorCodes } from '#src/common/error-registry.js';
import { LOCALES, SOURCE_LOCALE } from '#src/common/i18n/locales.js';
import {
  registeredMessages,
  registeredRules,
  registeredTemplates,
  type MessageSpec,
} from '#src/common/i18n/registry.js';

/** What must exist in every locale: by default everything registered when this runs. */
export interface CompletenessInput {
  errorCodes: ReadonlyArray<{ code: string; message: string }>;
  rules: ReadonlyMap<string, MessageSpec>;
  templates: ReadonlyMap<string, MessageSpec>;
  messages: (locale: (typeof LOCALES)[number]) => ReadonlyMap<string, string>;
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/**
 * Every translation SPEC §14 requires that is missing, or that quotes a param its rule or template does not
 * declare, as readable lines (`zh-CN: rules.otp_format is missing`). Empty when all is there.
 */
export function missingTranslations(input: Partial<CompletenessInput> = {}): string[] {
  const {
    errorCodes = registeredErrorCodes(),
    rules = registeredRules(),
    templates = registeredTemplates(),
    messages = registeredMessages,
  } = input;
  const problems: string[] = [];
  for (const locale of LOCALES) {
    const catalog = messages(locale);
    for (const { code, message } of errorCodes) {
      // English error messages are the codes' own (`defineErrorCodes`); a catalog may still override them.
      const text = catalog.get(`errors.${code}`) ?? (locale === SOURCE_LOCALE ? message : undefined);
      if (!text?.trim()) {
        problems.push(`${locale}: errors.${code} is missing`);
      }
    }
    const specs: Array<[string, ReadonlyMap<string, MessageSpec>, string[]]> = [
      ['rules', rules, ['field']],
      ['templates', templates, []],
    ];
    for (const [section, registered, implicit] of specs) {
      for (const [name, spec] of registered) {
        const key = `${section}.${name}`;
        const text = catalog.get(key);
        if (!text?.trim()) {
          problems.push(`${locale}: ${key} is missing`);
          continue;
        }
        for (const placeholder of placeholdersOf(text)) {
          if (![...spec.params, ...implicit].includes(placeholder)) {
            problems.push(`${locale}: ${key} quotes {{${placeholder}}}, which it does not declare`);
          }
        }
      }
    }
  }
  return problems;
}

/** Keys one flat catalog has and the other lacks or leaves empty, both ways (e.g. the demo page's strings). */
export function catalogDifferences(catalogs: Record<string, Record<string, string>>): string[] {
  const problems: string[] = [];
  const keys = new Set(Object.values(catalogs).flatMap((catalog) => Object.keys(catalog)));
  for (const [locale, catalog] of Object.entries(catalogs)) {
    for (const key of keys) {
      if (!catalog[key]?.trim()) {
        problems.push(`${locale}: ${key} is missing`);
      }
    }
  }
  return problems;
}
