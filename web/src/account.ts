import type { AuthClient, LoginHistoryPage, UserProfile } from '../../client/src/index.js';
import { existingPasswordError } from '../../src/common/validation/rules.js';
import { byId, element, field, newPasswordMessage, validate } from './dom.js';
import { run, say } from './feedback.js';
import { locale, ruleMessage, t, tOr } from './i18n/index.js';

/** A current TOTP code, or one unused recovery code (the server's DisableTotpDto and RegenerateRecoveryCodesDto). */
const TOTP_OR_RECOVERY = /^(\d{6}|[A-Za-z2-7 -]{16,31})$/;
/** The newest sign-ins shown; the route pages the rest (SPEC §3 `GET /auth/events`). */
const HISTORY_SIZE = 10;

export interface AccountHooks {
  client: AuthClient;
  passwordMinLength: number;
  onProfile(profile: UserProfile): void;
  onRecoveryCodes(codes: string[]): void;
}

type HistoryEvent = LoginHistoryPage['items'][number];

function historyRow(event: HistoryEvent): HTMLTableRowElement {
  const row = element('tr');
  row.append(
    element('td', new Date(event.created_at).toLocaleString(locale())),
    element('td', tOr(`history.event_${event.type}`, event.type)),
    element('td', event.ip ?? '—'),
    element('td', event.user_agent ?? '—'),
  );
  return row;
}

const currentPasswordMessage = (name: string, value: string) => ruleMessage(name, existingPasswordError(value));

/**
 * The signed-in panels that change the account with the password asked again (SPEC §3, OWASP ASVS 5.0 V6.2.3,
 * V7.5.1): password change and TOTP disable / recovery-code regeneration; and the login history.
 */
export function setupAccount(hooks: AccountHooks): { renderHistory(): Promise<void> } {
  const { client } = hooks;
  const passwordForm = byId<HTMLFormElement>('password-form');
  const totpForm = byId<HTMLFormElement>('totp-manage-form');
  const history = byId('history');

  const renderHistory = async (): Promise<void> => {
    const page = await client.events({ pageSize: HISTORY_SIZE });
    const rows = page.items.map(historyRow);
    if (rows.length === 0) {
      const empty = element('td', t('history.empty'), { colspan: '4' });
      rows.push(element('tr'));
      rows[0].append(empty);
    }
    byId('history-rows').replaceChildren(...rows);
  };

  byId('reload-history').addEventListener('click', () => void run(history, renderHistory));

  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const current = field(passwordForm, 'current_password');
    const next = field(passwordForm, 'new_password');
    if (
      !validate([
        [current, currentPasswordMessage('current_password', current.value)],
        [next, newPasswordMessage('new_password', next.value, hooks.passwordMinLength)],
      ])
    ) {
      return;
    }
    void run(
      passwordForm,
      async () => {
        await client.changePassword(current.value, next.value);
        passwordForm.reset();
        say(t('password.done'));
        await renderHistory();
      },
      { password: 'current_password' },
    );
  });

  totpForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const password = field(totpForm, 'password');
    const code = field(totpForm, 'code');
    if (
      !validate([
        [password, currentPasswordMessage('password', password.value)],
        [code, TOTP_OR_RECOVERY.test(code.value.trim()) ? null : t('mfa.code_invalid')],
      ])
    ) {
      return;
    }
    const regenerate = (event.submitter as HTMLButtonElement | null)?.value === 'regenerate';
    void run(
      totpForm,
      async () => {
        if (regenerate) {
          const { recovery_codes } = await client.regenerateRecoveryCodes(password.value, code.value.trim());
          totpForm.reset();
          hooks.onRecoveryCodes(recovery_codes);
          say(t('totp.regenerated'));
          await renderHistory();
          return;
        }
        await client.totpDisable(password.value, code.value.trim());
        totpForm.reset();
        byId('recovery').hidden = true;
        hooks.onProfile(await client.me());
        say(t('totp.off'));
        await renderHistory();
      },
      { password: 'password' },
    );
  });

  return { renderHistory };
}
