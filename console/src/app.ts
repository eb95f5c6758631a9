import { createAdminApi, createAuthClient, GatehouseError, memoryStorage } from '../../client/src/index.js';
import { locale, t, type MessageKey } from './i18n.js';

/** Sent on every request; a language switch updates Accept-Language in place, so errors come back in it. */
export const headers: Record<string, string> = { 'X-Device-Name': 'Gatehouse console', 'Accept-Language': locale() };

let onSessionEnd: (reason: string) => void = () => undefined;

/**
 * The refresh token stays in memory (OWASP Session Management Cheat Sheet: an admin session should not outlive its
 * tab): a reload asks for the password again, and nothing of the console's session is in localStorage.
 */
export const client = createAuthClient({
  storage: memoryStorage(),
  headers,
  onSessionExpired: (reason) => onSessionEnd(reason),
});
export const admin = createAdminApi(client);

export function whenSessionEnds(handler: (reason: string) => void): void {
  onSessionEnd = handler;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) {
    throw new Error(`#${id} is missing from index.html`);
  }
  return node as T;
}

export function cell(text: string | number | null | undefined): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined || text === '' ? t('status.none') : String(text);
  return td;
}

export function row(...cells: HTMLTableCellElement[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

/** Replaces a table's rows; an empty list shows `empty` across the table. */
export function fillTable(id: string, rows: HTMLTableRowElement[], empty: MessageKey): void {
  const body = byId<HTMLTableElement>(id).tBodies[0];
  if (rows.length === 0) {
    const td = cell(t(empty));
    td.colSpan = byId<HTMLTableElement>(id).tHead?.rows[0]?.cells.length ?? 1;
    body.replaceChildren(row(td));
  } else {
    body.replaceChildren(...rows);
  }
}

/** The server's message in the caller's language, with the wait of a 429/503; a network failure says so. */
export function messageOf(error: unknown): string {
  if (error instanceof GatehouseError) {
    const detail = error.errors.map((e) => e.message).join(' ');
    const message = detail === '' ? error.message : `${error.message} ${detail}`;
    return error.retryAfter === null ? message : t('error.retry_after', { message, seconds: error.retryAfter });
  }
  return t('error.network');
}

/**
 * Numbers one section's loads so that only the newest may draw: an answer to an earlier query (a search typed over,
 * a page left, the section's link followed by a filter) that arrives after a newer one is dropped, instead of
 * replacing the newer table. Each load calls the counter once and asks the answer it gets after each await.
 */
export function newestOnly(): () => () => boolean {
  let newest = 0;
  return () => {
    const mine = ++newest;
    return () => mine === newest;
  };
}

/** Runs `action` with `button` busy; a failure is shown in `errorSlot`, next to where it happened. */
export async function attempt(
  errorSlot: HTMLElement,
  action: () => Promise<void>,
  button?: HTMLButtonElement | null,
): Promise<boolean> {
  errorSlot.textContent = '';
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    await action();
    return true;
  } catch (error) {
    errorSlot.textContent = messageOf(error);
    return false;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}

/** Asks before a destructive action (SPEC §17): resolves true only on Confirm; Escape or Cancel is false. */
export function confirmAction(text: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm');
  byId('confirm-text').textContent = text;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const finish = (answer: boolean) => {
      dialog.close();
      ok.removeEventListener('click', yes);
      cancel.removeEventListener('click', no);
      dialog.removeEventListener('cancel', no);
      opener?.focus();
      resolve(answer);
    };
    const yes = () => finish(true);
    const no = (event?: Event) => {
      event?.preventDefault();
      finish(false);
    };
    const ok = byId<HTMLButtonElement>('confirm-ok');
    const cancel = byId<HTMLButtonElement>('confirm-cancel');
    ok.addEventListener('click', yes);
    cancel.addEventListener('click', no);
    dialog.addEventListener('cancel', no);
    dialog.showModal();
    cancel.focus();
  });
}

/**
 * A pager under a list: "Page n of m" with previous/next links that keep the other query parameters. `hashFor`
 * overrides where a link goes (null disables it): the user list pages by cursor, not by page number.
 */
export function renderPager(
  id: string,
  base: string,
  query: URLSearchParams,
  page: number,
  pages: number,
  hashFor?: (target: number) => string | null,
): void {
  const pager = byId(id);
  const link = (label: MessageKey, target: number) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary outline';
    button.textContent = t(label);
    const next = new URLSearchParams(query);
    next.set('page', String(target));
    const hash = hashFor ? hashFor(target) : target < 1 || target > pages ? null : `${base}?${next.toString()}`;
    button.disabled = hash === null;
    button.addEventListener('click', () => {
      if (hash !== null) {
        location.hash = hash;
      }
    });
    return button;
  };
  const label = document.createElement('span');
  label.textContent = t('users.page', { page, pages: Math.max(pages, 1) });
  pager.replaceChildren(link('users.previous', page - 1), label, link('users.next', page + 1));
}
