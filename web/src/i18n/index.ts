import i18next from 'i18next';
import type { RuleFailure } from '../../../src/common/validation/rules.js';
import coreEn from '../../../src/common/i18n/catalogs/en.js';
import coreZhCN from '../../../src/common/i18n/catalogs/zh-CN.js';
import { isLocale, LOCALES, localeOfTag, type Locale } from '../../../src/common/i18n/locale-tags.js';
import en from './en.js';
import zhCN from './zh-CN.js';

const STORAGE_KEY = 'gatehouse.locale';

function flat(section: string, messages: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).map(([key, text]) => [`${section}.${key}`, text]));
}

/**
 * The server's rule and field messages plus the page's own strings, so both speak the same rule codes; the page's
 * win where a form words a rule its own way ("请输入用户名" for an empty field, not "用户名不能为空").
 */
const resources = {
  en: { translation: { ...flat('rules', coreEn.rules), ...flat('fields', coreEn.fields), ...en } },
  'zh-CN': { translation: { ...flat('rules', coreZhCN.rules), ...flat('fields', coreZhCN.fields), ...zhCN } },
};

/** The remembered choice, else the first browser language we speak (SPEC §14), else English. */
function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLocale(stored)) {
    return stored;
  }
  for (const tag of navigator.languages) {
    const locale = localeOfTag(tag);
    if (locale) {
      return locale;
    }
  }
  return 'en';
}

const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: initialLocale(),
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  load: 'currentOnly',
  keySeparator: false,
  nsSeparator: false,
  // Text goes in with textContent, never innerHTML.
  interpolation: { escapeValue: false },
  showSupportNotice: false,
  resources,
});

export function locale(): Locale {
  return i18n.language as Locale;
}

export function t(key: keyof typeof en, params: Record<string, string> = {}): string {
  return i18n.t(key, params);
}

/** A string chosen at run time (a role, an event type): its text when the page has one, else `fallback`. */
export function tOr(key: string, fallback: string): string {
  return i18n.t(key, { defaultValue: fallback });
}

/** A failed rule in the page's language, worded as the server words it. */
export function ruleMessage(field: string, failure: RuleFailure | null): string | null {
  if (!failure) {
    return null;
  }
  const params = Object.fromEntries(
    Object.entries(failure.params).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  );
  const label = i18n.t(`fields.${field}`, { defaultValue: field });
  const general = i18n.t(`rules.${failure.rule}`, { ...params, field: label });
  return i18n.t(`rules.${failure.rule}.${field}`, { ...params, field: label, defaultValue: general });
}

/** Writes every `data-i18n` text and `data-i18n-alt` attribute in the current language. */
export function translatePage(): void {
  document.documentElement.lang = locale();
  document.title = t('page.title');
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n as keyof typeof en);
  }
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n-alt]')) {
    node.setAttribute('alt', t(node.dataset.i18nAlt as keyof typeof en));
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
    button.setAttribute('aria-pressed', String(button.dataset.locale === locale()));
  }
}

/** Switches the page and remembers the choice for the next visit. */
export function setLocale(next: Locale): void {
  localStorage.setItem(STORAGE_KEY, next);
  void i18n.changeLanguage(next);
  translatePage();
}
