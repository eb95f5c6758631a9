import { AuditService, defineAuditEventTypes, MetricsService } from '#src/platform/index.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

// What a team's module does at its top level: registers the audit type it records (SPEC §8, §13).
const ReportAudit = defineAuditEventTypes(['report_export']);

async function createAdmin(t: TestApp): Promise<Tokens & { username: string }> {
  const user = await register(t);
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
  const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
  return { ...(login.body.data as Tokens), username: user.username };
}

async function roleOf(t: TestApp, id: number): Promise<string> {
  const [row] = await t.dataSource.query<{ role: string }[]>('SELECT role FROM users WHERE id = ?', [id]);
  return row.role;
}

describe('registries: roles from ROLES=, module audit types and metrics', () => {
  let t: TestApp;
  let admin: Tokens & { username: string };

  beforeAll(async () => {
    t = await createTestApp({ ROLES: 'auditor,support' });
    admin = await createAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives a user a role from ROLES=, which their next login carries', async () => {
    const user = await register(t);
    const res = await t
      .http()
      .patch(`${API}/admin/users/${user.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ role: 'auditor' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 200, msg: 'success', data: { id: user.userInfo.id, role: 'auditor' } });
    expect(await roleOf(t, user.userInfo.id)).toBe('auditor');
    const login = await t.http().post(`${API}/auth/login`).send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.body.data.userInfo.role).toBe('auditor');
  });

  it('refuses a role nobody registered with 400 VALIDATION_FAILED on role, and changes nothing', async () => {
    const user = await register(t);
    const res = await t
      .http()
      .patch(`${API}/admin/users/${user.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ role: 'wizard' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED', data: null });
    expect(res.body.errors).toEqual([
      {
        field: 'role',
        rule: 'one_of',
        params: { values: expect.arrayContaining(['auditor']) as string[] },
        message: expect.stringContaining('auditor') as string,
      },
    ]);
    for (const role of ['Auditor', '', 42]) {
      const other = await t
        .http()
        .patch(`${API}/admin/users/${user.userInfo.id}`)
        .set(bearer(admin.access_token))
        .send({ role });
      expect(other.status).toBe(400);
      expect(other.body.errors[0].field).toBe('role');
    }
    expect(await roleOf(t, user.userInfo.id)).toBe('user');
    // Nothing happened: the user's token still works and no admin action was recorded.
    expect((await t.http().get(`${API}/users/me`).set(bearer(user.access_token))).status).toBe(200);
    const actions = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'admin_action' AND identifier = ?",
      [user.username],
    );
    expect(actions).toEqual([]);
  });

  it('filters the audit trail by a type a module registered, and refuses an unknown type with 400 on type', async () => {
    const user = await register(t);
    await t.app.get(AuditService).record({ type: ReportAudit.report_export, userId: user.userInfo.id, reason: 'csv' });
    const res = await t
      .http()
      .get(`${API}/admin/audit-events?type=report_export&user_id=${user.userInfo.id}`)
      .set(bearer(admin.access_token));
    expect(res.status).toBe(200);
    expect(res.body.data.total).toBe(1);
    expect(res.body.data.items[0]).toMatchObject({ type: 'report_export', user_id: user.userInfo.id, reason: 'csv' });

    const unknown = await t.http().get(`${API}/admin/audit-events?type=report_burn`).set(bearer(admin.access_token));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 400, error: 'VALIDATION_FAILED', data: null });
    expect(unknown.body.errors).toEqual([
      {
        field: 'type',
        rule: 'one_of',
        params: { values: expect.arrayContaining(['login_success', 'report_export']) as string[] },
        message: expect.stringContaining('must be one of: login_success') as string,
      },
    ]);
    expect(unknown.body.errors[0].message).toContain('report_export');
  });

  it("shows a module's own metric on /metrics", async () => {
    const reports = t.app.get(MetricsService).counter({
      name: 'reports_exported_total',
      help: 'Reports exported, by format',
      labelNames: ['format'],
    });
    reports.inc({ format: 'csv' });
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('# TYPE reports_exported_total counter');
    expect(res.text).toContain('reports_exported_total{format="csv"} 1');
  });
});

describe('registries: without ROLES=', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a role only another deployment configured', async () => {
    const admin = await createAdmin(t);
    const user = await register(t);
    const res = await t
      .http()
      .patch(`${API}/admin/users/${user.userInfo.id}`)
      .set(bearer(admin.access_token))
      .send({ role: 'auditor' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('role');
    expect(await roleOf(t, user.userInfo.id)).toBe('user');
  });
});
