import { admin, attempt, byId, cell, fillTable, renderPager, row } from './app.js';
import { t } from './i18n.js';

const PAGE_SIZE = 20;

/** The user list: search by username, phone (national or E.164) or email, in a stable order by id. */
export async function showUsers(query: URLSearchParams): Promise<void> {
  const q = query.get('q') ?? '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  byId<HTMLInputElement>('search').value = q;
  await attempt(byId('users-error'), async () => {
    const result = await admin.users({ q: q === '' ? undefined : q, page, page_size: PAGE_SIZE });
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
    renderPager('users-pager', '#/users', query, page, Math.ceil(result.total / PAGE_SIZE));
  });
}

export function setUpUsers(): void {
  byId<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const q = byId<HTMLInputElement>('search').value.trim();
    location.hash = `#/users?${new URLSearchParams(q === '' ? {} : { q }).toString()}`;
  });
}
