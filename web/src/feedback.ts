import { GatehouseError } from '../../client/src/index.js';
import { byId, element, setFieldError } from './dom.js';
import { t } from './i18n/index.js';

/** How a form reads the server's refusals. */
export interface RunOptions {
  /**
   * The name of the form's password input when a password is the only credential it asks for (password change,
   * contact change, TOTP disable): a 401 INVALID_CREDENTIALS then means that password was wrong, and says so beside
   * it, not the login form's "wrong username, phone or password".
   */
  password?: string;
}

/** The field a 409 is about: the taken username, phone or email. */
const CONFLICT_FIELDS: Record<string, string> = {
  USERNAME_TAKEN: 'username',
  PHONE_TAKEN: 'phone',
  EMAIL_TAKEN: 'email',
};

export function say(message: string): void {
  byId('status').textContent = message;
}

/** The page-wide banner: for what belongs to no form (a session that ended, a failed reload). */
export function showError(message: string): void {
  byId('error').textContent = message;
}

/**
 * The error slot of a form or panel, made on first use right under its heading: a server error shows next to the
 * form it answers (issue 28). `role="alert"` announces it; `tabindex="-1"` lets focus move to it (WCAG 2.2 SC 3.3.1).
 */
function slotOf(scope: HTMLElement): HTMLElement {
  let slot = scope.querySelector<HTMLElement>(':scope > .form-error');
  if (!slot) {
    slot = element('p', '', { class: 'form-error', role: 'alert', tabindex: '-1' });
    const heading = scope.querySelector(':scope > h2');
    if (heading) {
      heading.after(slot);
    } else {
      scope.prepend(slot);
    }
  }
  return slot;
}

function showIn(scope: HTMLElement | null, message: string): void {
  if (!scope) {
    showError(message);
    return;
  }
  const slot = slotOf(scope);
  slot.textContent = message;
  slot.focus();
}

/** Marks `name` in `scope` invalid with `message` and moves focus to it; false when the form has no such input. */
function showAtField(scope: HTMLElement | null, name: string, message: string): boolean {
  const input = scope instanceof HTMLFormElement ? scope.elements.namedItem(name) : null;
  if (!(input instanceof HTMLInputElement)) {
    return false;
  }
  setFieldError(input, message);
  input.focus();
  return true;
}

/** A 429 or 503 says how long to wait, from `Retry-After`. */
export function waitMessage(error: GatehouseError): string | null {
  if ((error.status === 429 || error.status === 503) && error.retryAfter !== null) {
    return t(error.status === 429 ? 'errors.rate_limited' : 'errors.unavailable', {
      seconds: String(error.retryAfter),
    });
  }
  return null;
}

/**
 * A failed action, shown where the user looks: field errors beside their fields (focus on the first), anything else
 * in the form's own error slot (focused), or the banner when the action belongs to no form.
 */
export function showServerError(error: unknown, scope: HTMLElement | null, options: RunOptions = {}): void {
  if (!(error instanceof GatehouseError)) {
    showIn(scope, error instanceof Error ? error.message : String(error));
    return;
  }
  if (error.code === 'INVALID_CREDENTIALS' && options.password) {
    if (showAtField(scope, options.password, t('errors.wrong_password'))) {
      return;
    }
  }
  const conflict = CONFLICT_FIELDS[error.code];
  if (conflict && showAtField(scope, conflict, error.message)) {
    return;
  }
  const form = scope instanceof HTMLFormElement ? scope : null;
  const placed = form ? error.errors.filter(({ field, message }) => placeFieldError(form, field, message)) : [];
  if (placed.length > 0) {
    form?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
  }
  if (placed.length === 0 || placed.length < error.errors.length) {
    showIn(scope, waitMessage(error) ?? error.message);
  }
}

function placeFieldError(form: HTMLFormElement, name: string, message: string): boolean {
  // The login form has one identifier input for username, phone and email.
  const inputName = form.id === 'login-form' && ['username', 'phone', 'email'].includes(name) ? 'identifier' : name;
  const input = form.elements.namedItem(inputName);
  if (input instanceof HTMLInputElement) {
    setFieldError(input, message);
    return true;
  }
  return false;
}

/**
 * Stale outcomes go when any form is used again, this one or another: every error slot, field error and the
 * banner clear before the new attempt shows its own (issue 28). Capturing listeners run before the forms' own.
 */
export function clearStaleOnUse(): void {
  const clear = () => {
    showError('');
    for (const slot of document.querySelectorAll<HTMLElement>('.form-error')) {
      slot.textContent = '';
    }
    for (const input of document.querySelectorAll<HTMLInputElement>('input[aria-invalid="true"]')) {
      setFieldError(input, null);
    }
  };
  document.addEventListener('submit', clear, true);
  document.addEventListener(
    'click',
    (event) => {
      if ((event.target as Element | null)?.closest('button')) {
        clear();
      }
    },
    true,
  );
}

/** Clears the previous outcome, runs the action with its button disabled, and reports a failure in `scope`. */
export async function run(
  scope: HTMLElement | null,
  action: () => Promise<void>,
  options: RunOptions = {},
): Promise<void> {
  say('');
  const buttons = scope instanceof HTMLFormElement ? [...scope.querySelectorAll('button[type="submit"]')] : [];
  const toggle = (disabled: boolean) =>
    buttons.forEach((button) => ((button as HTMLButtonElement).disabled = disabled));
  toggle(true);
  try {
    await action();
  } catch (error) {
    showServerError(error, scope, options);
  } finally {
    toggle(false);
  }
}
