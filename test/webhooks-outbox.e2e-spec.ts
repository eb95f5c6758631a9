import { Injectable, Module } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { RecordedAuditEvent } from '#src/platform/index.js';
import { WebhookDispatcher } from '#src/webhooks/webhook-dispatcher.service.js';
import { WebhookRetentionJob } from '#src/webhooks/webhook-retention.job.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

/** What an in-process subscriber heard: a module reacting to audit events without webhooks (SPEC §16). */
const heard: RecordedAuditEvent[] = [];

@Injectable()
class NewLoginListener {
  @OnEvent('audit.login_success')
  onLogin(event: RecordedAuditEvent): void {
    heard.push(event);
  }
}

@Module({ providers: [NewLoginListener] })
class ListenerModule {}

const login = (t: TestApp, username: string) =>
  t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });

/** An admin's bearer header: a new admin, or the named one logged in again (after a restart or a clock move). */
async function adminOf(t: TestApp, username?: string): Promise<{ auth: { Authorization: string }; username: string }> {
  const name = username ?? (await register(t)).username;
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE username = ?", [name]);
  const res = await login(t, name);
  return { auth: bearer((res.body.data as Tokens).access_token), username: name };
}

async function subscribe(t: TestApp, url: string, events: string[]): Promise<{ id: number; secret: string }> {
  const { auth } = await adminOf(t);
  const res = await t.http().post(`${API}/admin/webhooks`).set(auth).send({ url, events });
  expect(res.status).toBe(201);
  return res.body.data as { id: number; secret: string };
}

/** Each delivery of an endpoint: where it stands and how many attempts it took (a number on both databases). */
async function statusOf(t: TestApp, endpointId: number): Promise<{ status: string; attempts: number }[]> {
  const rows: { status: string; attempts: number | string }[] = await t.dataSource.query(
    'SELECT status, attempts FROM webhook_deliveries WHERE endpoint_id = ?',
    [endpointId],
  );
  return rows.map((row) => ({ status: row.status, attempts: Number(row.attempts) }));
}

describe('the webhook outbox (SPEC §16)', () => {
  let t: TestApp;
  const receivers: WebhookReceiver[] = [];
  const receiver = async (...statuses: number[]) => {
    const r = await startWebhookReceiver(...statuses);
    receivers.push(r);
    return r;
  };
  const poll = (app: TestApp = t) => app.app.get(WebhookDispatcher).poll();

  beforeAll(async () => {
    t = await createTestApp(
      { WEBHOOK_POLL_INTERVAL: '0', WEBHOOK_RETRY_SCHEDULE: '1s,2s', WEBHOOK_ENDPOINT_CONCURRENCY: '1' },
      { mount: [ListenerModule] },
    );
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('writes the delivery beside its audit row, and delivers it after a restart', async () => {
    const r = await receiver();
    const hook = await subscribe(t, r.url, ['login_success']);
    const user = await register(t);
    await login(t, user.username);
    const [event] = await t.dataSource.query(
      "SELECT id FROM audit_events WHERE type = 'login_success' AND user_id = ? ORDER BY id DESC",
      [user.userInfo.id],
    );
    const queued = await t.dataSource.query('SELECT payload FROM webhook_deliveries WHERE endpoint_id = ?', [hook.id]);
    expect(queued.map((row: { payload: string }) => JSON.parse(row.payload).data.id)).toContain(Number(event.id));

    await t.restart();
    await poll();
    const mine = r.received.filter((m) => m.json.data.user_id === user.userInfo.id);
    expect(mine).toHaveLength(1);
    expect((await statusOf(t, hook.id)).every((d) => d.status === 'delivered')).toBe(true);
  });

  it('gives up after the schedule and marks the delivery failed; a redelivery makes one more attempt', async () => {
    const r = await receiver(503);
    const hook = await subscribe(t, r.url, ['login_failure']);
    const user = await register(t);
    await t.http().post(`${API}/auth/login`).send({ username: user.username, password: 'Wrong-Password-1' });
    await poll();
    t.clock.advance(1300);
    await poll();
    t.clock.advance(2500);
    await poll();
    t.clock.advance(60_000);
    await poll();
    expect(r.received).toHaveLength(3);
    expect(await statusOf(t, hook.id)).toEqual([{ status: 'failed', attempts: 3 }]);
    const { auth } = await adminOf(t);
    const log = await t.http().get(`${API}/admin/webhooks/${hook.id}/deliveries`).set(auth);
    const [last] = log.body.data.items as { delivery_id: number; delivery_status: string; next_attempt_at: null }[];
    expect(last).toMatchObject({ delivery_status: 'failed', next_attempt_at: null });
    r.answer(200);
    const again = await t
      .http()
      .post(`${API}/admin/webhooks/${hook.id}/deliveries/${last.delivery_id}/redeliver`)
      .set(auth);
    expect(again.status).toBe(202);
    await poll();
    expect(r.received).toHaveLength(4);
    expect(new Set(r.received.map((m) => m.headers['webhook-id'])).size).toBe(1);
    expect(await statusOf(t, hook.id)).toEqual([{ status: 'delivered', attempts: 4 }]);
  });

  it('keeps one delivery in flight per endpoint at the cap, and lets a second claimer take an expired lease', async () => {
    const r = await receiver();
    const hook = await subscribe(t, r.url, ['logout']);
    for (let i = 0; i < 2; i++) {
      const user = await register(t);
      await t.http().post(`${API}/auth/logout`).set(bearer(user.access_token));
    }
    r.hold();
    const first = poll();
    await r.waitFor(1);
    // The cap is 1: the second delivery waits, and the first one's lease is live, so nobody else takes it.
    await poll();
    expect(r.received).toHaveLength(1);
    const leases = await t.dataSource.query('SELECT lease_owner FROM webhook_deliveries WHERE endpoint_id = ?', [
      hook.id,
    ]);
    expect(leases.filter((row: { lease_owner: string | null }) => row.lease_owner !== null)).toHaveLength(1);

    // A second instance on the same database, once the lease (1 m) has run out, as after a crash.
    const other = await createTestApp({ WEBHOOK_POLL_INTERVAL: '0' }, { database: t.db });
    try {
      // Its clock agrees with the first one's (other tests moved that one), then passes the lease.
      other.clock.advance(t.clock.now() - other.clock.now() + 61_000);
      const second = poll(other);
      await r.waitFor(3);
      r.release();
      await Promise.all([first, second]);
      const ids = r.received.map((m) => m.headers['webhook-id']);
      expect(new Set(ids).size).toBe(2);
      expect(ids.filter((id) => id === ids[0])).toHaveLength(2);
      expect((await statusOf(t, hook.id)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
      // The first instance lost its lease: only the instance that held it when answering logged the attempt.
      const [attempts] = await t.dataSource.query('SELECT COUNT(*) AS n FROM webhook_attempts WHERE endpoint_id = ?', [
        hook.id,
      ]);
      expect(Number(attempts.n)).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('shows deliveries by outcome, outbox depth and oldest age on /metrics', async () => {
    const r = await receiver();
    await subscribe(t, r.url, ['register']);
    await register(t);
    t.clock.advance(30_000);
    const before = (await t.http().get('/metrics')).text;
    expect(Number(/^gatehouse_webhook_outbox_depth (\d+)/m.exec(before)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^gatehouse_webhook_outbox_oldest_age_seconds ([\d.]+)/m.exec(before)?.[1])).toBeGreaterThanOrEqual(
      30,
    );
    await poll();
    const after = (await t.http().get('/metrics')).text;
    expect(after).toMatch(/^gatehouse_webhook_outbox_depth 0$/m);
    expect(after).toMatch(/^gatehouse_webhook_deliveries_total\{outcome="delivered"\} [1-9]/m);
  });

  it('prunes finished deliveries and attempts past the retention, and keeps pending ones', async () => {
    const r = await receiver();
    const hook = await subscribe(t, r.url, ['logout_all']);
    const user = await register(t);
    await t.http().post(`${API}/auth/logout-all`).set(bearer(user.access_token));
    await poll();
    const other = await register(t);
    t.clock.advance(31 * 24 * 3600_000);
    await t
      .http()
      .post(`${API}/auth/logout-all`)
      .set(bearer((await login(t, other.username)).body.data.access_token));
    const removed = await t.app.get(WebhookRetentionJob).prune();
    expect(removed.deliveries).toBeGreaterThanOrEqual(1);
    expect(await statusOf(t, hook.id)).toEqual([{ status: 'pending', attempts: 0 }]);
  });

  it('tells in-process subscribers each audit event once it is written', async () => {
    const user = await register(t);
    await login(t, user.username);
    const event = heard.find((e) => e.userId === user.userInfo.id);
    expect(event).toMatchObject({ type: 'login_success', identifier: user.username, id: expect.any(Number) });
    const [row] = await t.dataSource.query('SELECT type FROM audit_events WHERE id = ?', [event!.id]);
    expect(row.type).toBe('login_success');
  });
});

describe('the webhook URL guard in production (SPEC §16)', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_ACCESS_SECRET: 'prod-access-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    JWT_REFRESH_SECRET: 'prod-refresh-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    WEBHOOK_POLL_INTERVAL: '0',
  };
  let db: TestDatabase;
  let r: WebhookReceiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    r = await startWebhookReceiver();
  });
  afterAll(async () => {
    await r.close();
    await db.drop();
  });

  it('refuses loopback and plain http, allows an allow-listed network, and re-checks the address at send time', async () => {
    const t = await createTestApp(production, { database: db });
    try {
      const { auth, username } = await adminOf(t);
      for (const url of [r.url, r.url.replace('127.0.0.1', 'localhost'), 'https://169.254.169.254/latest']) {
        const res = await t
          .http()
          .post(`${API}/admin/webhooks`)
          .set(auth)
          .send({ url, events: ['*'] });
        expect(res.status, url).toBe(400);
        expect(res.body).toMatchObject({ code: 400, error: 'WEBHOOK_URL_NOT_ALLOWED', data: null });
      }
      await t.restart({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' });
      const { auth: again } = await adminOf(t, username);
      const created = await t
        .http()
        .post(`${API}/admin/webhooks`)
        .set(again)
        .send({ url: r.url, events: ['logout'] });
      expect(created.status).toBe(201);
      const user = await register(t);
      await t.http().post(`${API}/auth/logout`).set(bearer(user.access_token));
      // The network is no longer allowed when the delivery goes out: nothing is sent, the attempt says why.
      await t.restart({ WEBHOOK_ALLOWED_NETWORKS: '' });
      await poll(t);
      expect(r.received).toHaveLength(0);
      const [attempt] = await t.dataSource.query('SELECT status_code, error FROM webhook_attempts');
      expect(attempt).toEqual({ status_code: null, error: 'address 127.0.0.1 is private, loopback or link-local' });
    } finally {
      await t.close();
    }
  });
});

const poll = (app: TestApp) => app.app.get(WebhookDispatcher).poll();
