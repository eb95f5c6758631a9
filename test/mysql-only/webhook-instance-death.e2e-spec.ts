import { WebhookDispatcher } from '#src/webhooks/webhook-dispatcher.service.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from '../helpers/auth-client.js';
import { buildServer, startChildInstance, type ChildInstance } from '../helpers/child-instance.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { createTestRedis, type TestRedis } from '../helpers/test-redis.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const LEASE_MS = 60_000;

describe('a webhook delivery whose instance is killed mid-delivery (SPEC §16)', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let survivor: TestApp;
  let doomed: ChildInstance | undefined;
  let r: WebhookReceiver;

  beforeAll(async () => {
    buildServer();
    db = await createTestDatabase();
    redis = createTestRedis();
    r = await startWebhookReceiver(200);
    // The survivor never polls on its own: the test moves its clock past the lease and then lets it poll.
    survivor = await createTestApp(
      { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, WEBHOOK_POLL_INTERVAL: '0' },
      { database: db },
    );
  }, 300_000);
  afterAll(async () => {
    await doomed?.kill();
    await survivor?.close();
    await r?.close();
    await redis?.drop();
    await db?.drop();
  });

  it('is delivered exactly once by another instance after the lease, with the same webhook-id', async () => {
    const admin = await register(survivor);
    await survivor.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [admin.userInfo.id]);
    const adminLogin = await survivor
      .http()
      .post(`${API}/auth/login`)
      .send({ username: admin.username, password: GOOD_PASSWORD });
    const hook = await survivor
      .http()
      .post(`${API}/admin/webhooks`)
      .set(bearer((adminLogin.body.data as Tokens).access_token))
      .send({ url: r.url, events: ['logout'] });
    expect(hook.status).toBe(201);
    const user = await register(survivor);

    // The receiver holds the request open: the child is killed while the delivery is on the wire.
    r.hold();
    doomed = await startChildInstance({
      DATABASE_URL: db.url,
      DATA_DIR: db.dataDir,
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      WEBHOOK_POLL_INTERVAL: '100ms',
      WEBHOOK_LEASE: `${LEASE_MS / 1000}s`,
    });
    expect((await survivor.http().post(`${API}/auth/logout`).set(bearer(user.access_token))).status).toBe(200);
    await r.waitFor(1);
    await doomed.kill();
    r.release();

    // The dead instance's lease is still live: nobody else may take the row yet.
    await survivor.app.get(WebhookDispatcher).poll();
    expect(r.received).toHaveLength(1);
    survivor.clock.advance(LEASE_MS + 1000);
    await survivor.app.get(WebhookDispatcher).poll();

    expect(r.received).toHaveLength(2);
    expect(r.received[1].headers['webhook-id']).toBe(r.received[0].headers['webhook-id']);
    const deliveries = await survivor.dataSource.query(
      'SELECT status, attempts, lease_owner FROM webhook_deliveries WHERE endpoint_id = ?',
      [hook.body.data.id],
    );
    expect(deliveries).toEqual([{ status: 'delivered', attempts: 1, lease_owner: null }]);
    const attempts = await survivor.dataSource.query(
      'SELECT attempt, status_code FROM webhook_attempts WHERE endpoint_id = ?',
      [hook.body.data.id],
    );
    expect(attempts).toEqual([{ attempt: 1, status_code: 200 }]);
  }, 180_000); // A process of its own boots Nest from scratch: on 2 loaded cores, close to a minute.
});
