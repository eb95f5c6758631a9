import { admin, attempt, byId, cell, fillTable, newestOnly, renderPager, row } from './app.js';
import { eventName, formatTime, t } from './i18n.js';

const PAGE_SIZE = 50;
const FILTERS = ['type', 'user_id', 'ip', 'from', 'to'] as const;
let types: string[] | null = null;

/** `datetime-local` has no zone: it is the browser's local time, sent to the API as ISO 8601 UTC. */
function toIso(local: string): string | undefined {
  return local === '' ? undefined : new Date(local).toISOString();
}

function toLocalInput(iso: string | null): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 19);
}

function fillTypes(names: string[], selected: string): void {
  const select = byId<HTMLSelectElement>('audit-type');
  const any = document.createElement('option');
  any.value = '';
  any.textContent = t('audit.any_type');
  select.replaceChildren(
    any,
    ...names.map((type) => {
      const option = document.createElement('option');
      option.value = type;
      option.textContent = `${eventName(type)} (${type})`;
      return option;
    }),
  );
  select.value = selected;
}

/** The table and the form always show the latest query (see newestOnly). */
const auditLoad = newestOnly();

/** The audit trail filtered by type, user, IP and time range; names readable in the console's language. */
export async function showAudit(query: URLSearchParams): Promise<void> {
  const page = Math.max(1, Number(query.get('page')) || 1);
  const isNewest = auditLoad();
  await attempt(byId('audit-error'), async () => {
    types ??= await admin.auditEventTypes();
    if (!isNewest()) {
      return;
    }
    fillTypes(types, query.get('type') ?? '');
    byId<HTMLInputElement>('audit-user').value = query.get('user_id') ?? '';
    byId<HTMLInputElement>('audit-ip').value = query.get('ip') ?? '';
    byId<HTMLInputElement>('audit-from').value = toLocalInput(query.get('from'));
    byId<HTMLInputElement>('audit-to').value = toLocalInput(query.get('to'));
    const userId = query.get('user_id');
    const result = await admin.auditEvents({
      type: query.get('type') ?? undefined,
      user_id: userId ? Number(userId) : undefined,
      ip: query.get('ip') ?? undefined,
      from: query.get('from') ?? undefined,
      to: query.get('to') ?? undefined,
      page,
      page_size: PAGE_SIZE,
    });
    if (!isNewest()) {
      return;
    }
    fillTable(
      'audit-table',
      result.items.map((e) => {
        const user = cell('');
        if (e.user_id !== null) {
          const link = document.createElement('a');
          link.href = `#/users/${e.user_id}`;
          link.textContent = String(e.user_id);
          user.replaceChildren(link);
        }
        return row(
          cell(formatTime(e.created_at)),
          cell(eventName(e.type)),
          user,
          cell(e.identifier),
          cell(e.ip),
          cell(e.reason),
        );
      }),
      'audit.empty',
    );
    byId('audit-count').textContent = t('audit.count', { total: result.total });
    renderPager('audit-pager', '#/audit', query, page, Math.ceil(result.total / PAGE_SIZE));
  });
}

export function setUpAudit(): void {
  const form = byId<HTMLFormElement>('audit-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values: Record<string, string | undefined> = {
      type: byId<HTMLSelectElement>('audit-type').value,
      user_id: byId<HTMLInputElement>('audit-user').value.trim(),
      ip: byId<HTMLInputElement>('audit-ip').value.trim(),
      from: toIso(byId<HTMLInputElement>('audit-from').value),
      to: toIso(byId<HTMLInputElement>('audit-to').value),
    };
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const value = values[name];
      if (value) {
        query.set(name, value);
      }
    }
    location.hash = `#/audit?${query.toString()}`;
  });
  form.addEventListener('reset', () => {
    location.hash = '#/audit';
  });
}
