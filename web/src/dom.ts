import { passwordError } from '../../src/common/validation/rules.js';
import { ruleMessage } from './i18n/index.js';

/** The element with `id`; the page's markup is fixed, so a missing one is a bug. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`#${id} is missing from index.html`);
  }
  return element as T;
}

export function field(form: HTMLFormElement, name: string): HTMLInputElement {
  return form.elements.namedItem(name) as HTMLInputElement;
}

/** Shows `message` under the input (`<p id="{input.id}-error">`) and marks the input invalid, or clears both. */
export function setFieldError(input: HTMLInputElement, message: string | null): void {
  const slot = document.getElementById(`${input.id}-error`);
  if (slot) {
    slot.textContent = message ?? '';
  }
  if (message) {
    input.setAttribute('aria-invalid', 'true');
  } else {
    input.removeAttribute('aria-invalid');
  }
}

/** Runs each check, shows its message beside its field, focuses the first invalid one; true when all pass. */
export function validate(checks: Array<[HTMLInputElement, string | null]>): boolean {
  let first: HTMLInputElement | null = null;
  for (const [input, message] of checks) {
    setFieldError(input, message);
    first ??= message ? input : null;
  }
  first?.focus();
  return first === null;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) {
    node.textContent = text;
  }
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  return node;
}

/** A new password's rule message; an empty one is asked for ("请输入新密码"), not told it is too short. */
export function newPasswordMessage(name: string, value: string, minLength: number): string | null {
  return ruleMessage(name, value === '' ? { rule: 'required', params: {} } : passwordError(value, minLength));
}
