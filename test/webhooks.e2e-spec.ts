import type { AddressInfo } from 'node:net';
import { createAuthClient, createWebhooksAdmin, GatehouseError } from '../client/src/index.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, TEST_ENV, type TestApp } from './helpers/test-app.js';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from './helpers/webhook-receiver.js';
import { randomBytes } from 'node:crypto';
import { WebhookSecretsSealed1765427000000 } from '#src/webhooks/migrations/1765427000000-webhook-secrets-sealed.js';
import { WebhookDispatcher } from '#src/webhooks/webhook-dispatcher.service.js';

/** Seconds, as `webhook-timestamp` carries them. */
const stampOf = (headers: Record<string, unknown>) => Number(headers['webhook-timestamp']);

async function createAdmin(t: TestApp): Promise<string> {
  const user = await register(t);
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
  return user.username;
}

describe('signed webhooks (SPEC §16)', () => {
  let t: TestApp;
  let adminName: string;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    // No poller: each test delivers by calling poll() after moving the clock, so nothing races its assertions.
    t = await createTestApp({ WEBHOOK_POLL_INTERVAL: '0', REFRESH_REUSE_GRACE: '1s' });
    adminName = await createAdmin(t);
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  const poll = () => t.app.get(WebhookDispatcher).poll();

  /** A fresh admin token each time: some tests move the clock by a day, past any token's life. */
  async function asAdmin(): Promise<{ Authorization: string }> {
    const res = await t.http().post(`${API}/auth/login`).send({ username: adminName, password: GOOD_PASSWORD });
    return bearer((res.body.data as Tokens).access_token);
  }

  async function receiver(...statuses: number[]): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver(...statuses);
    receivers.push(r);
    return r;
  }

  async function subscribe(url: string, events: string[]) {
    const res = await t
      .http()
      .post(`${API}/admin/webhooks`)
      .set(await asAdmin())
      .send({ url, events, description: 'test receiver' });
    expect(res.status).toBe(201);
    return res.body.data as { id: number; secret: string; url: string; events: string[]; enabled: boolean };
  }

  /** Only the deliveries of a user this test made, so events of other tests never count. */
  const loginsOf = (r: WebhookReceiver, userId: number, type = 'login_success') =>
    r.received.filter((m) => m.json.type === type && m.json.data.user_id === userId);

  const login = (username: string) => t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });

  it('creates a subscription with a whsec_ secret shown once, and lists it without the secret', async () => {
    const r = await receiver();
    const created = await subscribe(r.url, ['login_success', 'refresh_reuse']);
    expect(created).toMatchObject({ url: r.url, events: ['login_success', 'refresh_reuse'], enabled: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await t
      .http()
      .get(`${API}/admin/webhooks`)
      .set(await asAdmin());
    expect(list.status).toBe(200);
    const shown = (list.body.data as Record<string, unknown>[]).find((w) => w.id === created.id);
    expect(shown).toMatchObject({ id: created.id, description: 'test receiver', disabled_reason: null });
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
    const audit = await t.dataSource.query('SELECT reason FROM audit_events WHERE type = ?', ['webhook_created']);
    expect(audit).toContainEqual({ reason: `webhook ${created.id}` });
  });

  it('refuses empty or unknown events, a bad URL and a non-admin, in the caller language', async () => {
    const r = await receiver();
    const empty = await t
      .http()
      .post(`${API}/admin/webhooks`)
      .set(await asAdmin())
      .send({ url: r.url, events: [] });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field: 'events' })],
    });
    const unknown = await t
      .http()
      .post(`${API}/admin/webhooks`)
      .set(await asAdmin())
      .set('Accept-Language', 'zh-CN')
      .send({ url: r.url, events: ['no_such_event'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      code: 400,
      msg: '事件必须是已注册的审计事件类型，或 ["*"]',
      error: 'WEBHOOK_EVENT_UNKNOWN',
      data: null,
    });
    const ftp = await t
      .http()
      .post(`${API}/admin/webhooks`)
      .set(await asAdmin())
      .send({ url: 'ftp://x.example/', events: ['*'] });
    expect(ftp.status).toBe(400);
    expect(ftp.body.error).toBe('VALIDATION_FAILED');
    const user = await register(t);
    const forbidden = await t.http().get(`${API}/admin/webhooks`).set(bearer(user.access_token));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toBe('FORBIDDEN');
  });

  it('retries 500, 500 then 200 with one webhook-id, a fresh timestamp each time, and logs 3 attempts', async () => {
    const r = await receiver(500, 500, 200);
    const hook = await subscribe(r.url, ['login_success']);
    const user = await register(t);
    expect((await login(user.username)).status).toBe(200);
    await poll();
    t.clock.advance(10_000); // past the first retry (5 s + at most 20 % jitter)
    await poll();
    t.clock.advance(75_000); // past the second (1 m + jitter)
    await poll();
    const got = loginsOf(r, user.userInfo.id);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((m) => m.headers['webhook-id'])).size).toBe(1);
    expect(stampOf(got[1].headers)).toBeGreaterThanOrEqual(stampOf(got[0].headers) + 5);
    expect(stampOf(got[2].headers)).toBeGreaterThanOrEqual(stampOf(got[1].headers) + 60);
    expect(verifyWebhook(hook.secret, got[2], stampOf(got[2].headers) * 1000)).toMatchObject({
      type: 'login_success',
      data: { user_id: user.userInfo.id, identifier: user.username },
    });
    // The audit fields only: `reason` may name the login method (`password`), never a secret.
    expect(got[2].body).not.toMatch(/eyJ|Blue-Kettle|password_hash|\$argon2/);

    const log = await t
      .http()
      .get(`${API}/admin/webhooks/${hook.id}/deliveries`)
      .set(await asAdmin());
    expect(log.status).toBe(200);
    const attempts = (log.body.data.items as Record<string, unknown>[]).filter(
      (a) => a.event_id === got[0].headers['webhook-id'],
    );
    expect(attempts.map((a) => [a.attempt, a.status_code, a.delivery_status])).toEqual([
      [3, 200, 'delivered'],
      [2, 500, 'delivered'],
      [1, 500, 'delivered'],
    ]);
    expect(attempts[2]).toMatchObject({
      event_type: 'login_success',
      error: 'HTTP 500',
      next_attempt_at: expect.any(String),
    });
    expect(attempts[0]).toMatchObject({ error: null, next_attempt_at: null });
  });

  it('disables the endpoint on 410 with the reason, and queues nothing more for it', async () => {
    const r = await receiver(410);
    const hook = await subscribe(r.url, ['login_success']);
    const user = await register(t);
    await login(user.username);
    await poll();

    expect(loginsOf(r, user.userInfo.id)).toHaveLength(1);
    const list = await t
      .http()
      .get(`${API}/admin/webhooks`)
      .set(await asAdmin());
    expect((list.body.data as Record<string, unknown>[]).find((w) => w.id === hook.id)).toMatchObject({
      enabled: false,
      disabled_reason: 'receiver answered 410 Gone',
    });
    await login(user.username);
    const [queued] = await t.dataSource.query('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?', [
      hook.id,
    ]);
    expect(Number(queued.n)).toBe(1);
    t.clock.advance(10 * 60_000);
    await poll();
    expect(loginsOf(r, user.userInfo.id)).toHaveLength(1);
  });

  it('signs so that a tampered body, or another secret, fails verification', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url, ['login_success']);
    const user = await register(t);
    await login(user.username);
    await poll();
    const [message] = loginsOf(r, user.userInfo.id);
    const now = stampOf(message.headers) * 1000;
    expect(() => verifyWebhook(hook.secret, message, now)).not.toThrow();
    const tampered = { ...message, body: message.body.replace(`"user_id":${user.userInfo.id}`, '"user_id":1') };
    expect(tampered.body).not.toBe(message.body);
    expect(() => verifyWebhook(hook.secret, tampered, now)).toThrow(/signature/i);
    const other = await subscribe(r.url, ['refresh_reuse']);
    expect(() => verifyWebhook(other.secret, message, now)).toThrow(/signature/i);
  });

  it('signs with the new and the rotated secret for 24 h after a rotation, then with the new one only', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url, ['login_success']);
    const rotated = await t
      .http()
      .post(`${API}/admin/webhooks/${hook.id}/rotate-secret`)
      .set(await asAdmin());
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.data.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(hook.secret);
    const user = await register(t);
    await login(user.username);
    await poll();
    const [during] = loginsOf(r, user.userInfo.id);
    const at = stampOf(during.headers) * 1000;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => verifyWebhook(fresh, during, at)).not.toThrow();
    expect(() => verifyWebhook(hook.secret, during, at)).not.toThrow();

    t.clock.advance(24 * 3600_000 + 1000);
    await login(user.username);
    await poll();
    const after = loginsOf(r, user.userInfo.id)[1];
    const later = stampOf(after.headers) * 1000;
    expect(() => verifyWebhook(fresh, after, later)).not.toThrow();
    expect(() => verifyWebhook(hook.secret, after, later)).toThrow(/signature/i);
  });

  it('keeps both secrets sealed in the database: the row holds no whsec_ text, and deliveries still verify', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url, ['login_success']);
    const rotated = await t
      .http()
      .post(`${API}/admin/webhooks/${hook.id}/rotate-secret`)
      .set(await asAdmin());
    const fresh = rotated.body.data.secret as string;
    const [row] = await t.dataSource.query('SELECT secret, previous_secret FROM webhook_endpoints WHERE id = ?', [
      hook.id,
    ]);
    for (const stored of [row.secret, row.previous_secret] as string[]) {
      expect(stored).toMatch(/^v1\./);
      expect(stored).not.toContain('whsec_');
    }
    for (const shown of [hook.secret, fresh]) {
      expect(JSON.stringify(row)).not.toContain(shown.slice('whsec_'.length, -1));
    }
    // A sealed secret copied onto another endpoint does not sign for it: the ciphertext is bound to its row.
    const other = await subscribe(r.url, ['login_success']);
    const test = await t
      .http()
      .post(`${API}/admin/webhooks/${hook.id}/test`)
      .set(await asAdmin());
    expect(test.status).toBe(202);
    await poll();
    const message = r.received.find((m) => m.headers['webhook-id'] === test.body.data.event_id)!;
    const at = stampOf(message.headers) * 1000;
    expect(() => verifyWebhook(fresh, message, at)).not.toThrow();
    expect(() => verifyWebhook(hook.secret, message, at)).not.toThrow();
    expect(() => verifyWebhook(other.secret, message, at)).toThrow(/signature/i);
  });

  it('logs a failed attempt that names the key when a stored secret does not open, and sends nothing', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url, ['login_success']);
    // Another endpoint's sealed secret: the ciphertext is bound to its own row, as after a key change.
    const other = await subscribe(r.url, ['login_success']);
    await t.dataSource.query(
      'UPDATE webhook_endpoints SET secret = (SELECT secret FROM (SELECT secret FROM webhook_endpoints WHERE id = ?) s) WHERE id = ?',
      [other.id, hook.id],
    );
    const test = await t
      .http()
      .post(`${API}/admin/webhooks/${hook.id}/test`)
      .set(await asAdmin());
    await poll();
    expect(r.received.filter((m) => m.headers['webhook-id'] === test.body.data.event_id)).toEqual([]);
    const log = await t
      .http()
      .get(`${API}/admin/webhooks/${hook.id}/deliveries`)
      .set(await asAdmin());
    expect(log.body.data.items[0]).toMatchObject({
      event_id: test.body.data.event_id,
      status_code: null,
      error: expect.stringContaining('MFA_ENCRYPTION_KEY'),
    });
  });

  it('seals the clear secrets of an endpoint created before sealing, which then still signs with them', async () => {
    const r = await receiver();
    const clear = `whsec_${randomBytes(32).toString('base64')}`;
    const old = `whsec_${randomBytes(32).toString('base64')}`;
    const now = t.clock.now();
    await t.dataSource.query(
      'INSERT INTO webhook_endpoints (url, events, description, enabled, disabled_reason, secret, previous_secret, ' +
        'previous_secret_expires_at, created_at, updated_at) VALUES (?, ?, NULL, 1, NULL, ?, ?, ?, ?, ?)',
      [r.url, '["*"]', clear, old, now + 3600_000, now, now],
    );
    const [{ id }] = await t.dataSource.query('SELECT id FROM webhook_endpoints WHERE secret = ?', [clear]);
    // The migration reads the key from the environment, as the app does at start.
    const runner = t.dataSource.createQueryRunner();
    const saved = process.env.MFA_ENCRYPTION_KEY;
    process.env.MFA_ENCRYPTION_KEY = TEST_ENV.MFA_ENCRYPTION_KEY;
    try {
      await new WebhookSecretsSealed1765427000000().up(runner);
    } finally {
      if (saved === undefined) {
        delete process.env.MFA_ENCRYPTION_KEY;
      } else {
        process.env.MFA_ENCRYPTION_KEY = saved;
      }
      await runner.release();
    }
    const [row] = await t.dataSource.query('SELECT secret, previous_secret FROM webhook_endpoints WHERE id = ?', [id]);
    expect(row.secret).toMatch(/^v1\./);
    expect(row.previous_secret).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('whsec_');

    const test = await t
      .http()
      .post(`${API}/admin/webhooks/${Number(id)}/test`)
      .set(await asAdmin());
    expect(test.status).toBe(202);
    await poll();
    const message = r.received.find((m) => m.headers['webhook-id'] === test.body.data.event_id)!;
    const at = stampOf(message.headers) * 1000;
    expect(() => verifyWebhook(clear, message, at)).not.toThrow();
    expect(() => verifyWebhook(old, message, at)).not.toThrow();
  });

  it('delivers a refresh-token reuse to the receiver as refresh_reuse', async () => {
    const r = await receiver();
    await subscribe(r.url, ['refresh_reuse']);
    const user = await register(t);
    const rotated = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token });
    expect(rotated.status).toBe(200);
    t.clock.advance(2000); // past REFRESH_REUSE_GRACE
    const reuse = await t.http().post(`${API}/auth/refresh`).send({ refresh_token: user.refresh_token });
    expect(reuse.body.error).toBe('REFRESH_TOKEN_REUSED');
    await poll();
    const [message] = loginsOf(r, user.userInfo.id, 'refresh_reuse');
    expect(message.json).toMatchObject({ type: 'refresh_reuse', data: { user_id: user.userInfo.id } });
    expect(message.body).not.toContain(user.refresh_token);
  });

  it('test-sends webhook.test whatever the filter, and redelivers a delivery with the same webhook-id', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url, ['refresh_reuse']);
    const test = await t
      .http()
      .post(`${API}/admin/webhooks/${hook.id}/test`)
      .set(await asAdmin());
    expect(test.status).toBe(202);
    expect(test.body.data).toMatchObject({ event_type: 'webhook.test', event_id: expect.stringMatching(/^msg_/) });
    const pending = await t
      .http()
      .post(`${API}/admin/webhooks/${hook.id}/deliveries/${test.body.data.delivery_id}/redeliver`)
      .set(await asAdmin());
    expect(pending.status).toBe(409);
    expect(pending.body.error).toBe('WEBHOOK_DELIVERY_PENDING');
    await poll();
    expect(r.received.map((m) => m.json)).toEqual([
      { type: 'webhook.test', timestamp: expect.any(String), data: { endpoint_id: hook.id } },
    ]);
    const again = await t
      .http()
      .post(`${API}/admin/webhooks/${hook.id}/deliveries/${test.body.data.delivery_id}/redeliver`)
      .set(await asAdmin());
    expect(again.status).toBe(202);
    await poll();
    expect(r.received).toHaveLength(2);
    expect(r.received[1].headers['webhook-id']).toBe(test.body.data.event_id);
    const log = await t
      .http()
      .get(`${API}/admin/webhooks/${hook.id}/deliveries`)
      .set(await asAdmin());
    expect((log.body.data.items as { attempt: number }[]).map((a) => a.attempt)).toEqual([2, 1]);
  });

  it('answers 404 for a webhook or delivery that does not exist', async () => {
    for (const [method, path] of [
      ['patch', '/admin/webhooks/999999'],
      ['delete', '/admin/webhooks/999999'],
      ['post', '/admin/webhooks/999999/rotate-secret'],
      ['post', '/admin/webhooks/999999/test'],
      ['get', '/admin/webhooks/999999/deliveries'],
      ['post', '/admin/webhooks/999999/deliveries/1/redeliver'],
    ] as const) {
      const res = await t
        .http()
        [method](`${API}${path}`)
        .set(await asAdmin())
        .send({});
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 404, error: 'NOT_FOUND', data: null });
    }
  });

  it('updates and deletes a subscription; a disabled one gets nothing queued', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url, ['refresh_reuse']);
    const patched = await t
      .http()
      .patch(`${API}/admin/webhooks/${hook.id}`)
      .set(await asAdmin())
      .send({ enabled: false, events: ['*'] });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ enabled: false, events: ['*'] });
    const user = await register(t);
    await login(user.username);
    const count = async () =>
      Number(
        (await t.dataSource.query('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?', [hook.id]))[0]
          .n,
      );
    expect(await count()).toBe(0);
    await t
      .http()
      .patch(`${API}/admin/webhooks/${hook.id}`)
      .set(await asAdmin())
      .send({ enabled: true });
    await login(user.username);
    expect(await count()).toBeGreaterThan(0);
    const removed = await t
      .http()
      .delete(`${API}/admin/webhooks/${hook.id}`)
      .set(await asAdmin());
    expect(removed.status).toBe(200);
    expect(await count()).toBe(0);
    const list = await t
      .http()
      .get(`${API}/admin/webhooks`)
      .set(await asAdmin());
    expect((list.body.data as { id: number }[]).map((w) => w.id)).not.toContain(hook.id);
  });

  it('is covered by the TypeScript client, errors included', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const client = createAuthClient({ baseUrl: `http://127.0.0.1:${port}` });
    await client.login({ username: adminName, password: GOOD_PASSWORD });
    const hooks = createWebhooksAdmin(client);
    const r = await receiver();
    const created = await hooks.create({ url: r.url, events: ['login_success'], description: 'from the client' });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await hooks.list()).map((w) => w.id)).toContain(created.id);
    expect(await hooks.update(created.id, { events: ['*'] })).toMatchObject({ events: ['*'] });
    expect((await hooks.rotateSecret(created.id)).secret).not.toBe(created.secret);
    const queued = await hooks.test(created.id);
    await poll();
    const page = await hooks.deliveries(created.id);
    expect(page.items.find((a) => a.delivery_id === queued.delivery_id)).toMatchObject({ status_code: 200 });
    expect((await hooks.redeliver(created.id, queued.delivery_id)).event_id).toBe(queued.event_id);
    const refused = await hooks.create({ url: r.url, events: ['nope'] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GatehouseError);
    expect((refused as GatehouseError).code).toBe('WEBHOOK_EVENT_UNKNOWN');
    await hooks.remove(created.id);
    expect((await hooks.list()).map((w) => w.id)).not.toContain(created.id);
  });
});
