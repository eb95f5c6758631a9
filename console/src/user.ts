import type { AdminUserDetail } from '../../client/src/index.js';
import { admin, attempt, byId, cell, confirmAction, fillTable, newestOnly, row } from './app.js';
import { eventName, formatTime, t, type MessageKey } from './i18n.js';

let shown: AdminUserDetail | null = null;

function verified(value: string | null, isVerified: boolean): string {
  return value === null ? t('status.none') : `${value} (${t(isVerified ? 'status.verified' : 'status.unverified')})`;
}

function renderProfile(user: AdminUserDetail, roles: string[]): void {
  byId('user-title').textContent = t('user.title', { username: user.username });
  const entries: Array<[MessageKey, string]> = [
    ['col.id', String(user.id)],
    ['col.username', user.username],
    ['col.name', user.name],
    ['col.phone', verified(user.phone, user.phone_verified)],
    ['col.email', verified(user.email, user.email_verified)],
    ['col.role', user.role],
    ['col.status', t(user.disabled ? 'status.disabled' : 'status.active')],
    ['user.mfa', t(user.mfa_enabled ? 'user.mfa_on' : 'user.mfa_off')],
    ['col.created', formatTime(user.created_at)],
  ];
  byId('user-profile').replaceChildren(
    ...entries.flatMap(([label, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = t(label);
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  const select = byId<HTMLSelectElement>('role-select');
  select.replaceChildren(
    ...roles.map((role) => {
      const option = document.createElement('option');
      option.value = role;
      option.textContent = role;
      option.selected = role === user.role;
      return option;
    }),
  );
  byId('toggle-disabled').textContent = t(user.disabled ? 'user.enable' : 'user.disable');
  byId<HTMLButtonElement>('reset-mfa').disabled = !user.mfa_enabled;
}

function renderSessions(user: AdminUserDetail): void {
  fillTable(
    'sessions-table',
    user.sessions.map((session) => {
      const device = session.device_name ?? session.device_id ?? session.user_agent ?? session.id;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary outline';
      button.textContent = t('user.revoke');
      button.setAttribute('aria-label', `${t('user.revoke')}: ${device}`);
      button.addEventListener(
        'click',
        () =>
          void act(button, t('confirm.revoke', { device }), 'done.revoked', () =>
            admin.revokeSession(user.id, session.id),
          ),
      );
      const actions = cell('');
      actions.replaceChildren(button);
      return row(
        cell(device),
        cell(session.ip),
        cell(formatTime(session.created_at)),
        cell(formatTime(session.last_used_at)),
        actions,
      );
    }),
    'user.no_sessions',
  );
  fillTable(
    'devices-table',
    user.devices.map((d) =>
      row(cell(d.device_name ?? d.device_id), cell(formatTime(d.first_seen_at)), cell(formatTime(d.last_seen_at))),
    ),
    'user.no_devices',
  );
}

async function renderHistory(userId: number): Promise<void> {
  const events = await admin.auditEvents({ user_id: userId, page_size: 20 });
  fillTable(
    'history-table',
    events.items.map((e) => row(cell(formatTime(e.created_at)), cell(eventName(e.type)), cell(e.ip), cell(e.reason))),
    'user.no_history',
  );
}

/**
 * Asks first, then runs a destructive action and shows its outcome inline (SPEC §17), and reloads the page's data
 * so what is shown is what the server now holds.
 */
async function act(
  button: HTMLButtonElement,
  question: string,
  done: MessageKey,
  action: () => Promise<unknown>,
  params: Record<string, string | number> = {},
): Promise<void> {
  const user = shown;
  if (!user || !(await confirmAction(question))) {
    return;
  }
  const result = byId('user-result');
  result.textContent = '';
  await attempt(
    byId('user-error'),
    async () => {
      const outcome = await action();
      await showUser(user.id, false);
      const count: Record<string, number> = typeof outcome === 'number' ? { count: outcome } : {};
      result.textContent = t(done, { username: user.username, ...params, ...count });
    },
    button,
  );
}

/** One user's page: an answer for a user left for another is dropped (see newestOnly). */
const userLoad = newestOnly();

export async function showUser(id: number, clearResult = true): Promise<void> {
  const isNewest = userLoad();
  if (clearResult) {
    byId('user-result').textContent = '';
  }
  await attempt(byId('user-error'), async () => {
    const [user, roles] = await Promise.all([admin.user(id), admin.roles()]);
    if (!isNewest()) {
      return;
    }
    shown = user;
    renderProfile(user, roles);
    renderSessions(user);
    await renderHistory(id);
  });
}

export function setUpUser(): void {
  const toggle = byId<HTMLButtonElement>('toggle-disabled');
  toggle.addEventListener('click', () => {
    const user = shown;
    if (!user) {
      return;
    }
    const disable = !user.disabled;
    void act(
      toggle,
      t(disable ? 'confirm.disable' : 'confirm.enable', { username: user.username }),
      disable ? 'done.disabled' : 'done.enabled',
      () => admin.updateUser(user.id, { disabled: disable }),
    );
  });
  const unlock = byId<HTMLButtonElement>('unlock');
  unlock.addEventListener('click', () => {
    const user = shown;
    if (user) {
      void act(unlock, t('confirm.unlock', { username: user.username }), 'done.unlocked', () => admin.unlock(user.id));
    }
  });
  const resetMfa = byId<HTMLButtonElement>('reset-mfa');
  resetMfa.addEventListener('click', () => {
    const user = shown;
    if (user) {
      void act(resetMfa, t('confirm.reset_mfa', { username: user.username }), 'done.mfa_reset', () =>
        admin.resetMfa(user.id),
      );
    }
  });
  const revokeAll = byId<HTMLButtonElement>('revoke-all');
  revokeAll.addEventListener('click', () => {
    const user = shown;
    if (user) {
      void act(revokeAll, t('confirm.revoke_all', { username: user.username }), 'done.revoked_all', () =>
        admin.revokeSessions(user.id),
      );
    }
  });
  const roleForm = byId<HTMLFormElement>('role-form');
  roleForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const user = shown;
    const role = byId<HTMLSelectElement>('role-select').value;
    if (user && role !== user.role) {
      void act(
        roleForm.querySelector('button')!,
        t('confirm.role', { username: user.username, role }),
        'done.role',
        () => admin.updateUser(user.id, { role }),
        { role },
      );
    }
  });
}
