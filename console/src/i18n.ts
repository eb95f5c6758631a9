import { isLocale, LOCALES, localeOfTag, type Locale } from '../../src/common/i18n/locale-tags.js';
import en from './en.js';
import zhCN from './zh-CN.js';

export type MessageKey = keyof typeof en;

const STORAGE_KEY = 'gatehouse.console.locale';
const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The remembered choice, else the first browser language the console speaks (SPEC §14), else English. */
function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLocale(stored)) {
    return stored;
  }
  for (const tag of navigator.languages) {
    const match = localeOfTag(tag);
    if (match) {
      return match;
    }
  }
  return 'en';
}

let current: Locale = initialLocale();

export function locale(): Locale {
  return current;
}

export { LOCALES };

/**
 * A console string with `{{name}}` filled in. Values are inserted as plain text, never looked up or evaluated
 * (user-chosen text such as a username must not be read as a message key).
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogs[current][key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** An audit event type as a readable name; a type a module defined without a console name shows as is. */
export function eventName(type: string): string {
  const key = `event.${type}`;
  return key in en ? t(key as MessageKey) : type;
}

/** A date in the console's language, in the browser's time zone. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(current, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Writes every `data-i18n` text and `data-i18n-placeholder` attribute in the current language. */
export function translatePage(): void {
  document.documentElement.lang = current;
  document.title = t('page.title');
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n as MessageKey);
  }
  for (const node of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder as MessageKey);
  }
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nLabel as MessageKey));
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
    button.setAttribute('aria-pressed', String(button.dataset.locale === current));
  }
}

/** Switches the console's language and remembers it for the next visit. */
export function setLocale(next: Locale): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  translatePage();
}
