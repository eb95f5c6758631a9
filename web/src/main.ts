import {
  createAuthClient,
  localStorageAdapter,
  type LoginResult,
  type SessionInfo,
  type UserProfile,
} from '../../client/src/index.js';
import { existingPasswordError, nameError, usernameError } from '../../src/common/validation/rules.js';
import { setupAccount } from './account.js';
import { setupCodeFlows } from './code-flows.js';
import { setupSocial } from './social.js';
import { byId, element, field, newPasswordMessage, validate } from './dom.js';
import { clearStaleOnUse, run, say, showError } from './feedback.js';
import { locale, ruleMessage, setLocale, t, tOr, translatePage } from './i18n/index.js';
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

clearStaleOnUse();

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
      // SPEC §4: login checks only that a password is there; its length rules are for new passwords.
      [password, ruleMessage('password', existingPasswordError(password.value))],
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
    await afterLogin(result);
  });
});

registerForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const [username, password, name, phone] = ['username', 'password', 'name', 'phone'].map((n) =>
    field(registerForm, n),
  );
  const ok = validate([
    [username, ruleMessage('username', usernameError(username.value))],
    [password, newPasswordMessage('password', password.value, PASSWORD_MIN_LENGTH)],
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
    showRecoveryCodes(recovery_codes, 'totp.recovery');
    renderProfile(await client.me());
    say(t('totp.on'));
    await account.renderHistory();
  });
});

byId('totp-setup').addEventListener('click', () => {
  void run(byId('totp'), async () => {
    const setup = await client.totpSetup();
    byId<HTMLImageElement>('totp-qr').src = setup.qr_code;
    byId('totp-secret').textContent = setup.secret;
    byId('totp-enrol').hidden = false;
    field(totpForm, 'code').focus();
  });
});

byId('reload-profile').addEventListener('click', () => {
  void run(byId('profile-title').parentElement, async () => {
    renderProfile(await client.me());
    say(t('profile.reloaded'));
  });
});

byId('reload-sessions').addEventListener('click', () => void run(byId('sessions-title').parentElement, renderSessions));

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
    [t('profile.role'), tOr(`profile.role_${profile.role}`, profile.role)],
    [t('profile.two_factor'), t(profile.mfa_enabled ? 'profile.on' : 'profile.off')],
    [t('profile.member_since'), new Date(profile.created_at).toLocaleString(locale())],
  ];
  byId('profile').replaceChildren(...rows.flatMap(([term, value]) => [element('dt', term), element('dd', value)]));
  byId('totp-state').textContent = t(profile.mfa_enabled ? 'totp.on' : 'totp.off');
  byId('totp-setup').hidden = profile.mfa_enabled;
  byId('totp-manage-form').hidden = !profile.mfa_enabled;
}

/** Recovery codes, shown once: after enabling TOTP or regenerating them. */
function showRecoveryCodes(codes: string[], note: 'totp.recovery' | 'totp.regenerated'): void {
  const text = byId('recovery-note');
  text.dataset.i18n = note;
  text.textContent = t(note);
  byId('recovery-codes').replaceChildren(...codes.map((c) => element('li', c)));
  byId('recovery').hidden = false;
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
      void run(byId('sessions-title').parentElement, async () => {
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
  await account.renderHistory();
  byId('recovery').hidden = true;
  byId('totp-enrol').hidden = true;
  byId('signed-out').hidden = true;
  byId('signed-in').hidden = false;
  // Issue 28: after a login, focus lands on what it opened, so a screen reader says where the user is.
  byId('profile-title').focus();
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

const account = setupAccount({
  client,
  passwordMinLength: PASSWORD_MIN_LENGTH,
  onProfile: renderProfile,
  onRecoveryCodes: (codes) => showRecoveryCodes(codes, 'totp.regenerated'),
});

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
