import { CanonicalIdentities1765150000000 } from '#src/users/migrations/1765150000000-canonical-identities.js';
import { API, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { startWebhookSink, webhookEnv, WEBHOOK_SECRET } from './helpers/code-sinks.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const NEW_PASSWORD = 'Green-Teapot-73';

/**
 * Issue 22 (critical): under MySQL's accent-folding collation `victim@gmàil.com` found `victim@gmail.com`, and the
 * reset code went to the look-alike mailbox. Emails are canonical (NFKC, lower case, IDNA domain) and compared
 * byte for byte on every database (SPEC §4).
 */
describe('canonical emails and usernames, compared byte for byte (SPEC §4)', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;

  beforeAll(async () => {
    sink = await startWebhookSink(WEBHOOK_SECRET);
    t = await createTestApp({ ...webhookEnv(sink.url), CODE_IP_MAX: '100000', CODE_GLOBAL_MAX: '100000' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const post = (path: string, body: Record<string, unknown>) => t.http().post(`${API}${path}`).send(body);
  const login = (body: Record<string, unknown>) => post('/auth/login', { password: GOOD_PASSWORD, ...body });
  /** A fresh local part at gmail.com and its look-alike at gmàil.com. */
  const victimAndLookAlike = () => {
    const local = uniqueName('victim').toLowerCase();
    return { victim: `${local}@gmail.com`, lookAlike: `${local}@gmàil.com` };
  };
  /** The next code delivered to any of `addresses` (the typed or the stored form). */
  const nextCode = (...addresses: string[]) =>
    Promise.race(addresses.map((to) => sink.inbox.next(to, sink.inbox.count(to))));

  it('sends nothing to a look-alike of a held email, and no code for the look-alike resets the holder', async () => {
    const { victim, lookAlike } = victimAndLookAlike();
    const holder = await register(t, { email: victim });
    const res = await post('/auth/codes', { purpose: 'reset_password', email: lookAlike });
    expect(res.body).toEqual({ code: 200, msg: 'success', data: { resend_after: 60, expires_in: 300 } });
    // Deliveries run in request order: once a later one arrived, the look-alike's job has finished.
    const control = `${uniqueName('control')}@example.com`;
    await register(t, { email: control });
    const arrived = nextCode(control);
    await post('/auth/codes', { purpose: 'reset_password', email: control });
    await arrived;
    expect(sink.inbox.count(lookAlike)).toBe(0);
    expect(sink.inbox.count(victim)).toBe(0);
    const sent = await t.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_events WHERE type = 'code_sent' AND user_id = ?",
      [holder.userInfo.id],
    );
    expect(Number(sent[0].n)).toBe(0);

    for (const code of ['000000', '123456']) {
      const reset = await post('/auth/password/reset', { email: lookAlike, code, new_password: NEW_PASSWORD });
      expect(reset.status).toBe(400);
      expect(reset.body.error).toBe('CODE_INVALID');
    }
    expect((await login({ email: victim })).body.data.userInfo.id).toBe(holder.userInfo.id);
    expect((await login({ email: victim, password: NEW_PASSWORD })).status).toBe(401);
  });

  it('registers a look-alike as an account of its own, whose reset never touches the one it imitates', async () => {
    const { victim, lookAlike } = victimAndLookAlike();
    const holder = await register(t, { email: victim });
    const attacker = await register(t, { email: lookAlike });
    expect(attacker.userInfo.id).not.toBe(holder.userInfo.id);
    const [row] = await t.dataSource.query('SELECT email_normalized FROM users WHERE id = ?', [attacker.userInfo.id]);
    expect(row.email_normalized).toBe(lookAlike.replace('gmàil.com', 'xn--gmil-1na.com'));

    const arrived = nextCode(lookAlike);
    await post('/auth/codes', { purpose: 'reset_password', email: lookAlike });
    const { code } = await arrived;
    const reset = await post('/auth/password/reset', { email: lookAlike, code, new_password: NEW_PASSWORD });
    expect(reset.body).toEqual({ code: 200, msg: 'success', data: null });
    expect((await login({ email: lookAlike, password: NEW_PASSWORD })).body.data.userInfo.id).toBe(
      attacker.userInfo.id,
    );
    expect((await login({ email: victim, password: NEW_PASSWORD })).status).toBe(401);
    expect((await login({ email: victim })).body.data.userInfo.id).toBe(holder.userInfo.id);
    expect(sink.inbox.count(victim)).toBe(0);
  });

  it('keeps Admin and admin one username, and VICTIM@GMAIL.COM the account of victim@gmail.com', async () => {
    const username = uniqueName('Casey');
    const casey = await register(t, { username });
    const twin = await post('/auth/register', { username: username.toLowerCase(), password: GOOD_PASSWORD });
    expect(twin.status).toBe(409);
    expect(twin.body.error).toBe('USERNAME_TAKEN');
    expect((await login({ username: username.toUpperCase() })).body.data.userInfo.id).toBe(casey.userInfo.id);

    const { victim } = victimAndLookAlike();
    const holder = await register(t, { email: victim });
    const upper = victim.toUpperCase();
    expect((await login({ email: upper })).body.data.userInfo.id).toBe(holder.userInfo.id);
    const arrived = nextCode(upper, victim);
    await post('/auth/codes', { purpose: 'reset_password', email: upper });
    const { code } = await arrived;
    const reset = await post('/auth/password/reset', { email: upper, code, new_password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await login({ email: victim, password: NEW_PASSWORD })).body.data.userInfo.id).toBe(holder.userInfo.id);
  });

  it('stores the domain in ASCII: acmé.com and xn--acm-dma.com are one mailbox', async () => {
    const local = uniqueName('idn').toLowerCase();
    const user = await register(t, { email: `${local}@Acmé.com` });
    const [row] = await t.dataSource.query('SELECT email, email_normalized FROM users WHERE id = ?', [
      user.userInfo.id,
    ]);
    expect(row).toEqual({ email: `${local}@Acmé.com`, email_normalized: `${local}@xn--acm-dma.com` });
    expect((await login({ email: `${local}@xn--acm-dma.com` })).body.data.userInfo.id).toBe(user.userInfo.id);
    const twin = await post('/auth/register', {
      username: uniqueName(),
      password: GOOD_PASSWORD,
      email: `${local.toUpperCase()}@XN--ACM-DMA.COM`,
    });
    expect(twin.status).toBe(409);
    expect(twin.body.error).toBe('EMAIL_TAKEN');
  });

  it('migrates: binary collation on MySQL, and stored emails recomputed to the canonical form', async () => {
    if (t.db.kind === 'mysql') {
      const columns: Array<{ name: string; collation: string }> = await t.dataSource.query(
        "SELECT COLUMN_NAME AS name, COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND ((TABLE_NAME = 'users' AND COLUMN_NAME IN ('username_normalized', 'email_normalized')) OR (TABLE_NAME = 'verification_codes' AND COLUMN_NAME = 'destination')) ORDER BY COLUMN_NAME",
      );
      expect(columns).toEqual([
        { name: 'destination', collation: 'utf8mb4_bin' },
        { name: 'email_normalized', collation: 'utf8mb4_bin' },
        { name: 'username_normalized', collation: 'utf8mb4_bin' },
      ]);
    }
    // A row written before the canonical form: only lower-cased, the domain in Unicode.
    const local = uniqueName('legacy').toLowerCase();
    const legacy = await register(t, { email: `${local}@example.com` });
    await t.dataSource.query('UPDATE users SET email = ?, email_normalized = ? WHERE id = ?', [
      `${local}@Acmé.com`,
      `${local}@acmé.com`,
      legacy.userInfo.id,
    ]);
    const runner = t.dataSource.createQueryRunner();
    try {
      await new CanonicalIdentities1765150000000().up(runner);
    } finally {
      await runner.release();
    }
    const [row] = await t.dataSource.query('SELECT email_normalized FROM users WHERE id = ?', [legacy.userInfo.id]);
    expect(row.email_normalized).toBe(`${local}@xn--acm-dma.com`);
    expect((await login({ email: `${local}@acmé.com` })).body.data.userInfo.id).toBe(legacy.userInfo.id);
  });
});
