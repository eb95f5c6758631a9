import { type AuthClient, GatehouseError, type LoginResult, type UserProfile } from '../../client/src/index.js';
import { byId, field, newPasswordMessage, validate } from './dom.js';
import type { RunOptions } from './feedback.js';
import { ruleMessage, t } from './i18n/index.js';

const CODE = /^\d{4,10}$/;

export interface CodeFlowHooks {
  client: AuthClient;
  passwordMinLength: number;
  run: (form: HTMLFormElement, action: () => Promise<void>, options?: RunOptions) => Promise<void>;
  say: (message: string) => void;
  /** A code login answered: a session, or the MFA challenge. */
  onLogin(result: LoginResult): Promise<void>;
  onProfile(profile: UserProfile): void;
}

/** `{phone}` or `{email}` from one input: an `@` means email. */
function contactOf(value: string): { phone: string } | { email: string } {
  const trimmed = value.trim();
  return trimmed.includes('@') ? { email: trimmed } : { phone: trimmed };
}

function codeError(value: string): string | null {
  return CODE.test(value.trim()) ? null : t('codes.code_invalid');
}

/** The phone field words "required" as the server does (SPEC §14 rule codes). */
function phoneError(value: string): string | null {
  return ruleMessage('phone', value.trim() ? null : { rule: 'required', params: {} });
}

function destinationError(value: string): string | null {
  return value.trim() ? null : t('codes.destination_required');
}

/**
 * Wait this long before "Send code" works again: the server's `resend_after`, or the `Retry-After` of a 429. The
 * button is disabled and counts the seconds down on its label; its text comes back when the wait is over.
 */
function coolDown(button: HTMLButtonElement, seconds: number): void {
  const until = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) {
      window.clearInterval(timer);
      button.disabled = false;
      button.textContent = t('codes.send');
      return;
    }
    button.disabled = true;
    button.textContent = t('codes.resend_in', { seconds: String(left) });
  };
  const timer = window.setInterval(tick, 1000);
  tick();
}

/**
 * The SPEC §12 flows of the demo page: log in with an SMS code, reset a forgotten password, verify a phone or email.
 * With the console provider (development) the codes are in the server log.
 */
export function setupCodeFlows(hooks: CodeFlowHooks): void {
  const { client, run, say } = hooks;
  const codeLogin = byId<HTMLFormElement>('code-login-form');
  const reset = byId<HTMLFormElement>('reset-form');
  const contact = byId<HTMLFormElement>('contact-form');

  const sendFrom = (
    form: HTMLFormElement,
    button: HTMLButtonElement,
    input: HTMLInputElement,
    check: (value: string) => string | null,
    send: () => Promise<number>,
    options?: RunOptions,
  ) =>
    void run(
      form,
      async () => {
        if (!validate([[input, check(input.value)]])) {
          return;
        }
        let seconds: number;
        try {
          seconds = await send();
        } catch (error) {
          // A 429 says how long; the button waits as long (the message beside the form says so too).
          if (error instanceof GatehouseError && error.status === 429 && error.retryAfter !== null) {
            coolDown(button, error.retryAfter);
          }
          throw error;
        }
        coolDown(button, seconds);
        say(t('codes.sent'));
        field(form, 'code').focus();
      },
      options,
    );

  byId<HTMLButtonElement>('code-login-send').addEventListener('click', (event) => {
    const phone = field(codeLogin, 'phone');
    sendFrom(
      codeLogin,
      event.currentTarget as HTMLButtonElement,
      phone,
      phoneError,
      async () => (await client.requestCode({ purpose: 'login', phone: phone.value.trim() })).resend_after,
    );
  });
  codeLogin.addEventListener('submit', (event) => {
    event.preventDefault();
    const phone = field(codeLogin, 'phone');
    const code = field(codeLogin, 'code');
    if (
      !validate([
        [phone, phoneError(phone.value)],
        [code, codeError(code.value)],
      ])
    ) {
      return;
    }
    void run(codeLogin, async () => {
      const result = await client.loginWithCode(phone.value.trim(), code.value.trim());
      code.value = '';
      await hooks.onLogin(result);
    });
  });

  byId<HTMLButtonElement>('reset-send').addEventListener('click', (event) => {
    const destination = field(reset, 'destination');
    sendFrom(
      reset,
      event.currentTarget as HTMLButtonElement,
      destination,
      destinationError,
      async () =>
        (await client.requestCode({ purpose: 'reset_password', ...contactOf(destination.value) })).resend_after,
    );
  });
  reset.addEventListener('submit', (event) => {
    event.preventDefault();
    const destination = field(reset, 'destination');
    const code = field(reset, 'code');
    const password = field(reset, 'new_password');
    if (
      !validate([
        [destination, destinationError(destination.value)],
        [code, codeError(code.value)],
        [password, newPasswordMessage('new_password', password.value, hooks.passwordMinLength)],
      ])
    ) {
      return;
    }
    void run(reset, async () => {
      await client.resetPassword({
        ...contactOf(destination.value),
        code: code.value.trim(),
        new_password: password.value,
      });
      code.value = '';
      password.value = '';
      say(t('codes.reset_done'));
    });
  });

  byId<HTMLButtonElement>('contact-send').addEventListener('click', (event) => {
    const value = field(contact, 'contact');
    sendFrom(
      contact,
      event.currentTarget as HTMLButtonElement,
      value,
      destinationError,
      // SPEC §3: a contact change asks for the password again; an account without one (a code sign-up) sends none
      // and is let through by a recent login instead.
      async () => {
        const password = field(contact, 'password').value;
        const input = password === '' ? contactOf(value.value) : { ...contactOf(value.value), password };
        return (await client.sendContactCode(input)).resend_after;
      },
      { password: 'password' },
    );
  });
  contact.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = field(contact, 'contact');
    const code = field(contact, 'code');
    if (
      !validate([
        [value, destinationError(value.value)],
        [code, codeError(code.value)],
      ])
    ) {
      return;
    }
    void run(contact, async () => {
      const profile = await client.verifyContact({ ...contactOf(value.value), code: code.value.trim() });
      code.value = '';
      hooks.onProfile(profile);
      say(t('codes.verified'));
    });
  });
}
