import { admin, attempt, byId, cell, fillTable, newestOnly, renderPager, row } from './app.js';
import { t } from './i18n.js';

const PAGE_SIZE = 20;

/**
 * The keyset cursor that starts each page already seen, by search and page number (page 1 starts at 0): Next uses
 * the answer's `next_after`, Previous the cursor remembered for the page before, so neither makes the server skip
 * rows (issue 27). A page reached without one (a link with only `page=`) is read by page number once.
 */
const cursors = new Map<string, number>();
const cursorKey = (q: string, page: number) => `${page}\n${q}`;

/** A search answered after a newer one is dropped (see newestOnly). */
const usersLoad = newestOnly();

/** The user list: search by username, phone (national or E.164) or email, in a stable order by id. */
export async function showUsers(query: URLSearchParams): Promise<void> {
  const isNewest = usersLoad();
  const q = query.get('q') ?? '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const afterParam = query.get('after');
  const after = afterParam !== null && /^\d+$/.test(afterParam) ? Number(afterParam) : cursors.get(cursorKey(q, page));
  byId<HTMLInputElement>('search').value = q;
  await attempt(byId('users-error'), async () => {
    const result = await admin.users({
      q: q === '' ? undefined : q,
      ...(after !== undefined || page === 1 ? { after: after ?? 0 } : { page }),
      page_size: PAGE_SIZE,
    });
    if (!isNewest()) {
      return;
    }
    if (result.next_after !== null) {
      cursors.set(cursorKey(q, page + 1), result.next_after);
    }
    fillTable(
      'users-table',
      result.items.map((user) => {
        const name = document.createElement('a');
        name.href = `#/users/${user.id}`;
        name.textContent = user.username;
        const link = cell('');
        link.replaceChildren(name);
        return row(
          cell(user.id),
          link,
          cell(user.phone),
          cell(user.email),
          cell(user.role),
          cell(t(user.disabled ? 'status.disabled' : 'status.active')),
        );
      }),
      'users.empty',
    );
    byId('users-count').textContent = t('users.count', { total: result.total });
    // `total` may be a few seconds old: Next follows `next_after`, and the page count never reads less than the page.
    const pages = Math.max(Math.ceil(result.total / PAGE_SIZE), page + (result.next_after === null ? 0 : 1));
    renderPager('users-pager', '#/users', query, page, pages, (target) => {
      if (target < 1 || (target > page && result.next_after === null)) {
        return null;
      }
      const cursor = target === 1 ? 0 : cursors.get(cursorKey(q, target));
      const next = new URLSearchParams(q === '' ? {} : { q });
      next.set('page', String(target));
      if (cursor !== undefined) {
        next.set('after', String(cursor));
      }
      return `#/users?${next.toString()}`;
    });
  });
}

export function setUpUsers(): void {
  byId<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const q = byId<HTMLInputElement>('search').value.trim();
    location.hash = `#/users?${new URLSearchParams(q === '' ? {} : { q }).toString()}`;
  });
}
