import type { LoginCredentials } from '../../client/src/index.js';
import { attempt, byId, client } from './app.js';
import { t } from './i18n.js';

const TOTP_CODE = /^\d{6}$/;
const PHONE = /^\+?\d[\d\s-]{5,}$/;

/** The login body for what was typed: an email has `@`, a phone is digits (national or +E.164), else a username. */
function credentials(identifier: string, password: string): LoginCredentials {
  if (identifier.includes('@')) {
    return { email: identifier, password };
  }
  return PHONE.test(identifier) ? { phone: identifier, password } : { username: identifier, password };
}

/** Empty required fields are named beside the form before anything is sent; the first gets focus. */
function required(form: HTMLFormElement, errorSlot: HTMLElement, fields: Array<[string, string]>): boolean {
  for (const [name, label] of fields) {
    const input = form.elements.namedItem(name) as HTMLInputElement;
    if (input.value.trim() === '') {
      errorSlot.textContent = t('signin.required', { field: label });
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return false;
    }
    input.removeAttribute('aria-invalid');
  }
  return true;
}

/**
 * Sign-in as an admin: the password, then the TOTP step when the account has it on. The IP allow-list applies as
 * for any API call (a refused login reads like a wrong password). A non-admin is signed out again at once.
 */
export function setUpSignIn(onSignedIn: () => Promise<void>): void {
  const form = byId<HTMLFormElement>('signin-form');
  const totpForm = byId<HTMLFormElement>('totp-form');
  const error = byId('signin-error');
  const totpError = byId('totp-error');
  let mfaToken: string | null = null;

  const admitIfAdmin = async () => {
    const me = await client.me();
    if (me.role !== 'admin') {
      await client.logout();
      throw new Error('not_admin');
    }
    form.reset();
    totpForm.reset();
    totpForm.hidden = true;
    form.hidden = false;
    await onSignedIn();
  };
  const showNotAdmin = (e: unknown) => {
    if (e instanceof Error && e.message === 'not_admin') {
      totpForm.hidden = true;
      form.hidden = false;
      error.textContent = t('signin.not_admin');
      byId('signin-identifier').focus();
      return;
    }
    throw e;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (
      !required(form, error, [
        ['identifier', t('signin.identifier')],
        ['password', t('signin.password')],
      ])
    ) {
      return;
    }
    const identifier = (form.elements.namedItem('identifier') as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    void attempt(
      error,
      async () => {
        const result = await client.login(credentials(identifier, password));
        if (result.mfa_required) {
          mfaToken = result.mfa_token;
          form.hidden = true;
          totpForm.hidden = false;
          byId('totp-code').focus();
          return;
        }
        await admitIfAdmin().catch(showNotAdmin);
      },
      form.querySelector('button'),
    );
  });

  totpForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!required(totpForm, totpError, [['code', t('signin.totp_code')]])) {
      return;
    }
    const code = (totpForm.elements.namedItem('code') as HTMLInputElement).value.trim();
    void attempt(
      totpError,
      async () => {
        const factor = TOTP_CODE.test(code) ? { code } : { recovery_code: code };
        await client.verifyMfa({ mfa_token: mfaToken ?? '', ...factor });
        mfaToken = null;
        await admitIfAdmin().catch(showNotAdmin);
      },
      totpForm.querySelector('button'),
    );
  });
}
