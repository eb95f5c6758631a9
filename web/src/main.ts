import {
  createAuthClient,
  GatehouseError,
  localStorageAdapter,
  type LoginResult,
  type SessionInfo,
  type UserProfile,
} from '../../client/src/index.js';
import { nameError, passwordError, usernameError } from '../../src/common/validation/rules.js';
import { setupCodeFlows } from './code-flows.js';
import { setupSocial } from './social.js';
import { byId, element, field, setFieldError, validate } from './dom.js';
import { locale, ruleMessage, setLocale, t, translatePage } from './i18n/index.js';
import { isLocale } from '../../src/common/i18n/locale-tags.js';

/** SPEC §4 default; the server still checks its configured PASSWORD_MIN_LENGTH and its message shows here too. */
const PASSWORD_MIN_LENGTH = 6;
const TOTP_CODE = /^\d{6}$/;
const RECOVERY_CODE = /^[A-Za-z2-7 -]{16,31}$/;

/** The client sends this object's headers on every request; a language switch updates Accept-Language in it. */
const headers: Record<string, string> = { 'X-Device-Name': 'Gatehouse demo page', 'Accept-Language': locale() };

const client = createAuthClient({
  storage: localStorageAdapter(),
  headers,
  onSessionExpired: (reason) => {
    showSignedOut();
    showError(t('status.session_ended', { reason }));
  },
});

const loginForm = byId<HTMLFormElement>('login-form');
const registerForm = byId<HTMLFormElement>('register-form');
const mfaForm = byId<HTMLFormElement>('mfa-form');
const totpForm = byId<HTMLFormElement>('totp-enable-form');
let mfaToken: string | null = null;

function say(message: string): void {
  byId('status').textContent = message;
}

function showError(message: string): void {
  byId('error').textContent = message;
}

/** Server field errors go beside the field they name; anything else to the banner. */
function showServerError(error: unknown, form: HTMLFormElement): void {
  if (!(error instanceof GatehouseError)) {
    showError(error instanceof Error ? error.message : String(error));
    return;
  }
  let placed = 0;
  for (const { field: name, message } of error.errors) {
    // The login form has one identifier input for both username and phone.
    const inputName = form === loginForm && (name === 'username' || name === 'phone') ? 'identifier' : name;
    const input = form.elements.namedItem(inputName);
    if (input instanceof HTMLInputElement) {
      setFieldError(input, message);
      placed += 1;
    }
  }
  showError(placed > 0 && placed === error.errors.length ? t('status.fix_fields') : error.message);
}

/** Clears the previous outcome, runs the action, and reports a failure without losing the form. */
async function run(form: HTMLFormElement | null, action: () => Promise<void>): Promise<void> {
  showError('');
  say('');
  const button = form?.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button) {
    button.disabled = true;
  }
  try {
    await action();
  } catch (error) {
    showServerError(error, form ?? loginForm);
  } finally {
    if (button) {
      button.disabled = false;
    }
  }
}

function loginMethod(): 'username' | 'phone' {
  return (field(loginForm, 'method') as unknown as RadioNodeList).value === 'phone' ? 'phone' : 'username';
}

loginForm.addEventListener('change', () => {
  const label = loginForm.querySelector<HTMLLabelElement>('label[for="login-identifier"]');
  const phone = loginMethod() === 'phone';
  if (label) {
    label.dataset.i18n = phone ? 'login.phone' : 'login.username';
    label.textContent = t(phone ? 'login.phone' : 'login.username');
  }
  field(loginForm, 'identifier').setAttribute('autocomplete', phone ? 'tel' : 'username');
});

loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const identifier = field(loginForm, 'identifier');
  const password = field(loginForm, 'password');
  const method = loginMethod();
  const identifierError =
    method === 'username'
      ? ruleMessage('username', usernameError(identifier.value))
      : ruleMessage('phone', identifier.value.trim() ? null : { rule: 'required', params: {} });
  if (
    !validate([
      [identifier, identifierError],
      [password, ruleMessage('password', passwordError(password.value, PASSWORD_MIN_LENGTH))],
    ])
  ) {
    return;
  }
  void run(loginForm, async () => {
    const credentials =
      method === 'username'
        ? { username: identifier.value.trim(), password: password.value }
        : { phone: identifier.value.trim(), password: password.value };
    const result = await client.login(credentials);
    password.value = '';
    if (result.mfa_required) {
      mfaToken = result.mfa_token;
      mfaForm.hidden = false;
      field(mfaForm, 'code').focus();
      say(t('mfa.prompt'));
      return;
    }
    await showSignedIn();
  });
});

registerForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const [username, password, name, phone] = ['username', 'password', 'name', 'phone'].map((n) =>
    field(registerForm, n),
  );
  const ok = validate([
    [username, ruleMessage('username', usernameError(username.value))],
    [password, ruleMessage('password', passwordError(password.value, PASSWORD_MIN_LENGTH))],
    [name, name.value.trim() ? ruleMessage('name', nameError(name.value)) : null],
    [phone, null],
  ]);
  if (!ok) {
    return;
  }
  void run(registerForm, async () => {
    await client.register({
      username: username.value.trim(),
      password: password.value,
      ...(name.value.trim() ? { name: name.value } : {}),
      ...(phone.value.trim() ? { phone: phone.value } : {}),
    });
    registerForm.reset();
    await showSignedIn();
    say(t('status.welcome'));
  });
});

mfaForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const code = field(mfaForm, 'code');
  const value = code.value.trim();
  const isTotp = TOTP_CODE.test(value);
  if (!validate([[code, isTotp || RECOVERY_CODE.test(value) ? null : t('mfa.code_invalid')]])) {
    return;
  }
  void run(mfaForm, async () => {
    const token = mfaToken ?? '';
    await client.verifyMfa(isTotp ? { mfa_token: token, code: value } : { mfa_token: token, recovery_code: value });
    mfaToken = null;
    mfaForm.reset();
    mfaForm.hidden = true;
    await showSignedIn();
  });
});

totpForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const password = field(totpForm, 'password');
  const code = field(totpForm, 'code');
  if (
    !validate([
      [password, password.value ? null : t('totp.password_required')],
      [code, TOTP_CODE.test(code.value.trim()) ? null : t('totp.code_invalid')],
    ])
  ) {
    return;
  }
  void run(totpForm, async () => {
    const { recovery_codes } = await client.totpEnable(password.value, code.value.trim());
    totpForm.reset();
    byId('totp-enrol').hidden = true;
    byId('recovery-codes').replaceChildren(...recovery_codes.map((c) => element('li', c)));
    byId('recovery').hidden = false;
    renderProfile(await client.me());
    say(t('totp.on'));
  });
});

byId('totp-setup').addEventListener('click', () => {
  void run(null, async () => {
    const setup = await client.totpSetup();
    byId<HTMLImageElement>('totp-qr').src = setup.qr_code;
    byId('totp-secret').textContent = setup.secret;
    byId('totp-enrol').hidden = false;
    field(totpForm, 'code').focus();
  });
});

byId('reload-profile').addEventListener('click', () => {
  void run(null, async () => {
    renderProfile(await client.me());
    say(t('profile.reloaded'));
  });
});

byId('reload-sessions').addEventListener('click', () => void run(null, renderSessions));

byId('logout').addEventListener('click', () => {
  void run(null, async () => {
    await client.logout();
    showSignedOut();
    say(t('logout.done'));
  });
});

byId('logout-all').addEventListener('click', () => {
  void run(null, async () => {
    await client.logoutAll();
    showSignedOut();
    say(t('logout.all_done'));
  });
});

/** A phone or email with whether the user proved it is theirs (SPEC §12). */
function contact(value: string | null, verified: boolean): string {
  return value ? `${value} (${t(verified ? 'profile.verified' : 'profile.not_verified')})` : '—';
}

function renderProfile(profile: UserProfile): void {
  const rows: Array<[string, string]> = [
    [t('profile.username'), profile.username],
    [t('profile.name'), profile.name],
    [t('profile.phone'), contact(profile.phone, profile.phone_verified)],
    [t('profile.email'), contact(profile.email, profile.email_verified)],
    [t('profile.role'), profile.role],
    [t('profile.two_factor'), t(profile.mfa_enabled ? 'profile.on' : 'profile.off')],
    [t('profile.member_since'), new Date(profile.created_at).toLocaleString(locale())],
  ];
  byId('profile').replaceChildren(...rows.flatMap(([term, value]) => [element('dt', term), element('dd', value)]));
  byId('totp-state').textContent = t(profile.mfa_enabled ? 'totp.on' : 'totp.off');
  byId('totp-setup').hidden = profile.mfa_enabled;
}

function sessionRow(session: SessionInfo): HTMLTableRowElement {
  const device = session.device_name ?? session.user_agent ?? t('sessions.unknown_device');
  const name = element('td', device);
  if (session.current) {
    name.append(element('span', t('sessions.this_device'), { class: 'badge' }));
  }
  const action = element('td');
  if (!session.current) {
    const revoke = element('button', t('sessions.revoke'), {
      type: 'button',
      class: 'danger',
      'aria-label': t('sessions.revoke_label', { device, ip: session.ip ?? t('sessions.unknown_ip') }),
    });
    revoke.addEventListener('click', () => {
      void run(null, async () => {
        await client.revokeSession(session.id);
        await renderSessions();
        say(t('sessions.revoked', { device }));
      });
    });
    action.append(revoke);
  }
  const row = element('tr');
  row.append(
    name,
    element('td', session.ip ?? '—'),
    element('td', new Date(session.last_used_at).toLocaleString(locale())),
    action,
  );
  return row;
}

async function renderSessions(): Promise<void> {
  const sessions = await client.sessions();
  byId('sessions').replaceChildren(...sessions.map(sessionRow));
}

async function showSignedIn(): Promise<void> {
  renderProfile(await client.me());
  await renderSessions();
  byId('recovery').hidden = true;
  byId('totp-enrol').hidden = true;
  byId('signed-out').hidden = true;
  byId('signed-in').hidden = false;
}

function showSignedOut(): void {
  byId('signed-in').hidden = true;
  byId('signed-out').hidden = false;
  mfaForm.hidden = true;
}

/** The 中文 / English switch: the page, its later messages and the server's answers follow it. */
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-locale]')) {
  button.addEventListener('click', () => {
    const next = button.dataset.locale;
    if (isLocale(next)) {
      setLocale(next);
      headers['Accept-Language'] = next;
      showError('');
      say('');
    }
  });
}

async function start(): Promise<void> {
  translatePage();
  if (await client.hasSession()) {
    try {
      await showSignedIn();
      return;
    } catch {
      // The stored session is gone; onSessionExpired has said so when it applies.
    }
  }
  showSignedOut();
}

/** A code or social sign-in answered: a session, or the MFA challenge. */
async function afterLogin(result: LoginResult): Promise<void> {
  if (result.mfa_required) {
    mfaToken = result.mfa_token;
    mfaForm.hidden = false;
    field(mfaForm, 'code').focus();
    say(t('mfa.prompt'));
    return;
  }
  await showSignedIn();
}

setupCodeFlows({
  client,
  passwordMinLength: PASSWORD_MIN_LENGTH,
  run,
  say,
  onProfile: renderProfile,
  onLogin: afterLogin,
});
setupSocial({ client, run, onLogin: afterLogin });

void start();
