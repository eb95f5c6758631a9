import { ReportsModule } from '#src/examples/reports/reports.module.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * docs/extending.md's worked example, mounted the way a team adds a module: one import beside AppModule's
 * (`mount`), nothing else changed. It exercises every part the guide describes, on SQLite and MariaDB.
 */
describe('a module added by one import: the reports example (SPEC §13)', () => {
  let t: TestApp;
  let admin: Tokens;

  async function login(username: string): Promise<Tokens> {
    const res = await t.http().post(`${API}/auth/login`).send({ username, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    return res.body.data as Tokens;
  }

  /** A user the admin API made a `reporter`, the role the module defines; logged in again to carry it. */
  async function reporter(): Promise<Tokens> {
    const user = await register(t);
    const res = await t
      .http()
      .patch(`${API}/admin/users/${user.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ role: 'reporter' });
    expect(res.status).toBe(200);
    const again = await login(user.username);
    expect(again.userInfo.role).toBe('reporter');
    return again;
  }

  async function saveReport(tokens: Tokens, title = 'Quarterly logins'): Promise<number> {
    const res = await t.http().post(`${API}/reports`).set(bearer(tokens.access_token)).send({ title });
    expect(res.status).toBe(201);
    return res.body.data.id as number;
  }

  beforeAll(async () => {
    t = await createTestApp({}, { mount: [ReportsModule] });
    const user = await register(t);
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
    admin = await login(user.username);
  });

  afterAll(async () => {
    await t.close();
  });

  it('applies its own migration and saves rows for its own role', async () => {
    const tokens = await reporter();
    const res = await t.http().post(`${API}/reports`).set(bearer(tokens.access_token)).send({ title: 'Weekly' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 201,
      msg: 'success',
      data: { id: expect.any(Number), title: 'Weekly', created_by: tokens.userInfo.id },
    });
    const rows = await t.dataSource.query('SELECT title, created_by FROM example_reports WHERE id = ?', [
      res.body.data.id,
    ]);
    expect(rows).toEqual([{ title: 'Weekly', created_by: tokens.userInfo.id }]);
  });

  it('refuses a caller without the role with 403 FORBIDDEN, and validates its body with the global pipe', async () => {
    const plain = await register(t);
    const denied = await t.http().post(`${API}/reports`).set(bearer(plain.access_token)).send({ title: 'x' });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 403, error: 'FORBIDDEN', data: null });
    const tokens = await reporter();
    const bad = await t.http().post(`${API}/reports`).set(bearer(tokens.access_token)).send({ title: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'title']);
  });

  it('answers its own error code with the status and message it defined', async () => {
    const tokens = await reporter();
    const res = await t.http().get(`${API}/reports/987654/export`).set(bearer(tokens.access_token));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, msg: 'There is no such report', error: 'REPORT_NOT_FOUND', data: null });

    // Its own translations (i18n/zh-CN.ts, registered with defineTranslations): the message changes, the code not.
    const zh = await t
      .http()
      .get(`${API}/reports/987654/export`)
      .set(bearer(tokens.access_token))
      .set('Accept-Language', 'zh-CN');
    expect(zh.body).toEqual({ code: 404, msg: '没有这份报表', error: 'REPORT_NOT_FOUND', data: null });
  });

  it('audits each export with its own event type, counts it in its own metric, and the admin can filter by it', async () => {
    const tokens = await reporter();
    const id = await saveReport(tokens);
    const res = await t.http().get(`${API}/reports/${id}/export`).set(bearer(tokens.access_token));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      format: 'csv',
      content: `id,title,created_by\n${id},"Quarterly logins",${tokens.userInfo.id}`,
    });

    const events = await t
      .http()
      .get(`${API}/admin/audit-events?type=report_exported&user_id=${tokens.userInfo.id}`)
      .set(bearer(admin.access_token));
    expect(events.status).toBe(200);
    expect(events.body.data.items).toHaveLength(1);
    expect(events.body.data.items[0]).toMatchObject({ type: 'report_exported', user_id: tokens.userInfo.id });
    const [row] = await t.dataSource.query(
      "SELECT session_id FROM audit_events WHERE type = 'report_exported' AND user_id = ?",
      [tokens.userInfo.id],
    );
    expect(row.session_id).toEqual(expect.any(String));

    const metrics = await t.http().get('/metrics');
    expect(metrics.text).toMatch(/gatehouse_reports_exported_total\{format="csv"\} [1-9]/);
  });

  it('limits exports per user with its named limit: 429 with the real Retry-After, open again a minute later', async () => {
    const tokens = await reporter();
    const id = await saveReport(tokens);
    const exportOnce = () => t.http().get(`${API}/reports/${id}/export`).set(bearer(tokens.access_token));
    for (let i = 0; i < 5; i += 1) {
      expect((await exportOnce()).status).toBe(200);
    }
    const limited = await exportOnce();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another reporter has a budget of their own.
    const other = await reporter();
    expect((await t.http().get(`${API}/reports/${id}/export`).set(bearer(other.access_token))).status).toBe(200);

    t.clock.advance(retryAfter * 1000);
    expect((await exportOnce()).status).toBe(200);
  });

  it('reads its own configuration, and a bad value stops the start naming the variable', async () => {
    const json = await createTestApp({ REPORTS_EXPORT_FORMAT: 'json' }, { mount: [ReportsModule] });
    try {
      const user = await register(json);
      await json.dataSource.query("UPDATE users SET role = 'reporter' WHERE id = ?", [user.userInfo.id]);
      const res = await json
        .http()
        .post(`${API}/auth/login`)
        .send({ username: user.username, password: GOOD_PASSWORD });
      const tokens = res.body.data as Tokens;
      const saved = await json.http().post(`${API}/reports`).set(bearer(tokens.access_token)).send({ title: 'J' });
      const exported = await json
        .http()
        .get(`${API}/reports/${saved.body.data.id}/export`)
        .set(bearer(tokens.access_token));
      expect(exported.body.data.format).toBe('json');
      expect(JSON.parse(exported.body.data.content)).toMatchObject({ id: saved.body.data.id, title: 'J' });
    } finally {
      await json.close();
    }
    await expect(createTestApp({ REPORTS_EXPORT_FORMAT: 'xml' }, { mount: [ReportsModule] })).rejects.toThrow(
      /REPORTS_EXPORT_FORMAT/,
    );
  });
});
