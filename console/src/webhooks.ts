import { createWebhooksAdmin, type Webhook, type WebhookAttempt } from '../../client/src/index.js';
import { admin, attempt, byId, cell, client, confirmAction, fillTable, newestOnly, renderPager, row } from './app.js';
import { eventName, formatTime, t, type MessageKey } from './i18n.js';

const hooks = createWebhooksAdmin(client);
const PAGE_SIZE = 20;
/** The endpoint the form edits; null while it adds one. */
let editing: Webhook | null = null;
let types: string[] | null = null;

function button(label: string, name: string, onClick: (b: HTMLButtonElement) => void, style = 'secondary outline') {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = style;
  b.textContent = label;
  b.setAttribute('aria-label', `${label}: ${name}`);
  b.addEventListener('click', () => onClick(b));
  return b;
}

function actionsCell(...nodes: HTMLElement[]): HTMLTableCellElement {
  const td = cell('');
  const wrap = document.createElement('div');
  wrap.className = 'actions';
  wrap.append(...nodes);
  td.replaceChildren(wrap);
  return td;
}

const DELIVERY: Record<string, MessageKey> = {
  pending: 'delivery.pending',
  delivered: 'delivery.delivered',
  failed: 'delivery.failed',
};

/** "Delivered (200)", "Failed (500)", "Pending": where the newest attempt left its delivery. */
function attemptStatus(a: Pick<WebhookAttempt, 'delivery_status' | 'status_code'>): string {
  const key = DELIVERY[a.delivery_status];
  const label = key ? t(key) : a.delivery_status;
  return a.status_code === null ? label : `${label} (${a.status_code})`;
}

/** Shows a secret once, with a copy button and a warning; it lives only in this page until dismissed. */
function showSecret(title: string, secret: string): void {
  byId('secret-title').textContent = title;
  byId<HTMLInputElement>('secret-value').value = secret;
  byId('secret-copied').textContent = '';
  byId('secret-box').hidden = false;
  byId('secret-value').focus();
}

function hideSecret(): void {
  byId<HTMLInputElement>('secret-value').value = '';
  byId('secret-box').hidden = true;
}

function result(text: string): void {
  byId('webhooks-result').textContent = text;
}

/** Asks first, then runs the action and shows its outcome inline next to the list (SPEC §17). */
async function act(b: HTMLButtonElement, question: string | null, action: () => Promise<string>): Promise<void> {
  if (question !== null && !(await confirmAction(question))) {
    return;
  }
  result('');
  await attempt(
    byId('webhooks-error'),
    async () => {
      const done = await action();
      await renderList();
      result(done);
    },
    b,
  );
}

function parseEvents(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，]+/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

function resetForm(): void {
  editing = null;
  const form = byId<HTMLFormElement>('webhook-form');
  form.reset();
  byId<HTMLInputElement>('webhook-url').disabled = false;
  byId('webhook-enabled-label').hidden = true;
  byId('webhook-cancel').hidden = true;
  byId('webhook-form-title').textContent = t('webhooks.add');
  byId('webhook-submit').textContent = t('webhooks.create');
  byId('webhook-form-error').textContent = '';
}

function startEdit(hook: Webhook): void {
  editing = hook;
  byId<HTMLInputElement>('webhook-url').value = hook.url;
  byId<HTMLInputElement>('webhook-url').disabled = true;
  byId<HTMLInputElement>('webhook-events').value = hook.events.join(', ');
  byId<HTMLInputElement>('webhook-description').value = hook.description ?? '';
  byId<HTMLInputElement>('webhook-enabled').checked = hook.enabled;
  byId('webhook-enabled-label').hidden = false;
  byId('webhook-cancel').hidden = false;
  byId('webhook-form-title').textContent = t('webhooks.edit_title', { id: hook.id });
  byId('webhook-submit').textContent = t('webhooks.save');
  byId('webhook-form-error').textContent = '';
  byId('webhook-form-title').focus();
}

async function lastStatus(hook: Webhook): Promise<string> {
  const newest = (await hooks.deliveries(hook.id, { page_size: 1 })).items[0];
  return newest ? attemptStatus(newest) : t('webhooks.no_delivery');
}

function endpointRow(hook: Webhook, last: string): HTMLTableRowElement {
  const name = hook.description ? `${hook.url} (${hook.description})` : hook.url;
  const deliveries = document.createElement('a');
  deliveries.href = `#/webhooks/${hook.id}`;
  deliveries.textContent = t('webhooks.deliveries');
  deliveries.setAttribute('aria-label', `${t('webhooks.deliveries')}: ${hook.url}`);
  const enabled = hook.enabled
    ? t('status.active')
    : `${t('status.disabled')}${hook.disabled_reason ? `: ${hook.disabled_reason}` : ''}`;
  return row(
    cell(hook.id),
    cell(name),
    cell(hook.events.join(', ')),
    cell(enabled),
    cell(last),
    actionsCell(
      deliveries,
      button(t('webhooks.edit'), hook.url, () => startEdit(hook)),
      button(
        t('webhooks.test'),
        hook.url,
        (b) =>
          void act(b, null, async () => {
            const queued = await hooks.test(hook.id);
            return t('done.webhook_test', { id: queued.event_id });
          }),
      ),
      button(
        t('webhooks.rotate'),
        hook.url,
        (b) =>
          void act(b, t('confirm.webhook_rotate', { url: hook.url }), async () => {
            const rotated = await hooks.rotateSecret(hook.id);
            showSecret(t('webhooks.new_secret', { url: hook.url }), rotated.secret);
            return t('done.webhook_rotated', { until: formatTime(rotated.previous_secret_expires_at) });
          }),
      ),
      button(
        t('webhooks.delete'),
        hook.url,
        (b) =>
          void act(b, t('confirm.webhook_delete', { url: hook.url }), async () => {
            await hooks.remove(hook.id);
            if (editing?.id === hook.id) {
              resetForm();
            }
            return t('done.webhook_deleted', { url: hook.url });
          }),
        'contrast outline',
      ),
    ),
  );
}

async function renderList(): Promise<void> {
  const list = await hooks.list();
  const statuses = await Promise.all(list.map((hook) => lastStatus(hook)));
  fillTable(
    'webhooks-table',
    list.map((hook, i) => endpointRow(hook, statuses[i])),
    'webhooks.empty',
  );
}

async function fillTypes(): Promise<void> {
  types ??= await admin.auditEventTypes();
  byId('webhook-event-types').replaceChildren(
    ...['*', ...types].map((type) => {
      const option = document.createElement('option');
      option.value = type;
      option.label = type === '*' ? t('webhooks.all_events') : eventName(type);
      return option;
    }),
  );
}

/** The endpoints: URL, event types, enabled, how the last delivery went, and what can be done to each. */
export async function showWebhooks(): Promise<void> {
  hideSecret();
  result('');
  resetForm();
  await attempt(byId('webhooks-error'), async () => {
    await Promise.all([renderList(), fillTypes()]);
  });
}

let shownEndpoint: number | null = null;
/** A page of the log answered after a newer one is dropped (see newestOnly). */
const deliveriesLoad = newestOnly();

/** One endpoint's delivery log: one row per attempt, newest first; a failed delivery can be sent again. */
export async function showDeliveries(id: number, query: URLSearchParams, clearResult = true): Promise<void> {
  const isNewest = deliveriesLoad();
  shownEndpoint = id;
  const page = Math.max(1, Number(query.get('page')) || 1);
  if (clearResult) {
    byId('webhook-result').textContent = '';
  }
  await attempt(byId('webhook-error'), async () => {
    const [list, attempts] = await Promise.all([hooks.list(), hooks.deliveries(id, { page, page_size: PAGE_SIZE })]);
    if (!isNewest()) {
      return;
    }
    const hook = list.find((h) => h.id === id);
    byId('webhook-title').textContent = t('webhooks.deliveries_of', { url: hook?.url ?? `#${id}` });
    // Redeliver sits on the newest attempt of each failed delivery: the rows come newest first.
    const seen = new Set<number>();
    fillTable(
      'deliveries-table',
      attempts.items.map((a) => {
        const newest = !seen.has(a.delivery_id);
        seen.add(a.delivery_id);
        const actions =
          newest && a.delivery_status === 'failed'
            ? actionsCell(
                button(t('webhooks.redeliver'), `${a.event_type} ${a.event_id}`, (b) => void redeliver(b, id, a)),
              )
            : cell('');
        return row(
          cell(formatTime(a.created_at)),
          cell(`${eventName(a.event_type)} · ${a.event_id}`),
          cell(a.attempt),
          cell(attemptStatus(a)),
          cell(a.status_code),
          cell(t('webhooks.ms', { ms: a.duration_ms })),
          cell(a.error),
          cell(a.next_attempt_at === null ? null : formatTime(a.next_attempt_at)),
          actions,
        );
      }),
      'webhooks.no_deliveries',
    );
    byId('deliveries-count').textContent = t('webhooks.attempt_count', { total: attempts.total });
    renderPager('deliveries-pager', `#/webhooks/${id}`, query, page, Math.ceil(attempts.total / PAGE_SIZE));
  });
}

async function redeliver(b: HTMLButtonElement, id: number, a: WebhookAttempt): Promise<void> {
  if (!(await confirmAction(t('confirm.webhook_redeliver', { id: a.event_id })))) {
    return;
  }
  byId('webhook-result').textContent = '';
  await attempt(
    byId('webhook-error'),
    async () => {
      await hooks.redeliver(id, a.delivery_id);
      await showDeliveries(id, new URLSearchParams(location.hash.split('?')[1] ?? ''), false);
      byId('webhook-result').textContent = t('done.webhook_redelivered', { id: a.event_id });
    },
    b,
  );
}

export function setUpWebhooks(): void {
  const form = byId<HTMLFormElement>('webhook-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = byId<HTMLButtonElement>('webhook-submit');
    const url = byId<HTMLInputElement>('webhook-url').value.trim();
    const events = parseEvents(byId<HTMLInputElement>('webhook-events').value);
    const description = byId<HTMLInputElement>('webhook-description').value.trim();
    result('');
    void attempt(
      byId('webhook-form-error'),
      async () => {
        const hook = editing;
        if (hook) {
          const enabled = byId<HTMLInputElement>('webhook-enabled').checked;
          await hooks.update(hook.id, { events, description, enabled });
          resetForm();
          await renderList();
          result(t('done.webhook_saved', { url: hook.url }));
        } else {
          const created = await hooks.create({ url, events, ...(description === '' ? {} : { description }) });
          resetForm();
          await renderList();
          result(t('done.webhook_created', { url: created.url }));
          showSecret(t('webhooks.secret_of', { url: created.url }), created.secret);
        }
      },
      submit,
    );
  });
  byId('webhook-cancel').addEventListener('click', () => resetForm());
  byId('secret-copy').addEventListener('click', () => {
    const value = byId<HTMLInputElement>('secret-value');
    value.select();
    void navigator.clipboard.writeText(value.value).then(
      () => (byId('secret-copied').textContent = t('webhooks.copied')),
      () => (byId('secret-copied').textContent = t('webhooks.copy_manually')),
    );
  });
  byId('secret-done').addEventListener('click', () => {
    hideSecret();
    byId('webhooks-title').focus();
  });
  byId('deliveries-refresh').addEventListener('click', () => {
    if (shownEndpoint !== null) {
      void showDeliveries(shownEndpoint, new URLSearchParams(location.hash.split('?')[1] ?? ''));
    }
  });
}
