import { ReportsModule } from '#src/examples/reports/reports.module.js';
import { API, bearer, GOOD_PASSWORD, register, type Tokens } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Response {
  content?: { 'application/json'?: { schema?: { allOf?: { properties?: { error?: { enum?: string[] } } }[] } } };
  'x-gatehouse-shared-codes'?: string[];
}
interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, Response>;
}
interface Call {
  method: string;
  path: string;
  operation: Operation;
}

/** The codes an operation names itself for a status, leaving out those the shared pipeline adds everywhere. */
function ownCodes(operation: Operation, status: number): string[] {
  const response = operation.responses[String(status)];
  const codes = response?.content?.['application/json']?.schema?.allOf?.[1]?.properties?.error?.enum ?? [];
  const shared = new Set(response?.['x-gatehouse-shared-codes'] ?? []);
  return codes.filter((code) => !shared.has(code));
}

/** Every path parameter filled with an id no row has, so the request reaches no data whoever sends it. */
const missing = (path: string) => path.replace(/\{[^}]+\}/g, '987654321');

/** Where the admin network is: loopback, supertest's address, is outside it unless a forwarded address says else. */
const INSIDE = '10.20.30.40';

/**
 * Issue 28 item 2: the role and network refusals and the 404 of a missing id are the same code path on every
 * operation, so one loop over the operations of /docs-json produces them on each, and a new admin route is
 * covered the day it is added.
 */
describe('every role-restricted operation of /docs-json refuses the wrong caller and a missing id', () => {
  let t: TestApp;
  let calls: Call[];
  let admin: Tokens;

  const send = (call: Call, path: string, token: string, from?: string) => {
    let req = t.http()[call.method as 'get'](path).set(bearer(token));
    req = from === undefined ? req : req.set('X-Forwarded-For', from);
    return call.operation.requestBody === undefined ? req : req.send({});
  };

  beforeAll(async () => {
    // The reports example is mounted, as a team adds a module, so its role-restricted routes are in the loop too.
    t = await createTestApp(
      { IP_ALLOWLIST_ADMIN: `${INSIDE}/32`, TRUST_PROXY: 'loopback', WEBHOOK_POLL_INTERVAL: '0' },
      { mount: [ReportsModule] },
    );
    const doc = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, Operation>> };
    calls = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
    );
    const user = await register(t);
    await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [user.userInfo.id]);
    const login = await t
      .http()
      .post(`${API}/auth/login`)
      .set('X-Forwarded-For', INSIDE)
      .send({ username: user.username, password: GOOD_PASSWORD });
    expect(login.status).toBe(200);
    admin = login.body.data as Tokens;
  });
  afterAll(async () => {
    await t.close();
  });

  /** The operations `@Auth(role)` restricts: those that name 403 FORBIDDEN themselves. */
  const restricted = () => calls.filter((call) => ownCodes(call.operation, 403).includes('FORBIDDEN'));

  it('finds every admin and reports operation among the role-restricted ones', () => {
    const names = restricted().map((call) => `${call.method.toUpperCase()} ${call.path}`);
    const expected = calls
      .filter((call) => call.path.startsWith(`${API}/admin/`) || call.path.startsWith(`${API}/reports`))
      .map((call) => `${call.method.toUpperCase()} ${call.path}`);
    expect(expected.length).toBeGreaterThan(15);
    expect(names.sort()).toEqual(expected.sort());
  });

  it("answers a user's token with 403 FORBIDDEN on each, in the caller's language, before reading the body", async () => {
    const user = await register(t);
    for (const call of restricted()) {
      const name = `${call.method.toUpperCase()} ${call.path}`;
      const res = await send(call, missing(call.path), user.access_token).set('Accept-Language', 'zh-CN');
      expect(res.status, name).toBe(403);
      expect(res.body, name).toEqual({
        code: 403,
        msg: expect.stringMatching(/[\u4e00-\u9fff]/),
        error: 'FORBIDDEN',
        data: null,
      });
    }
  });

  it("answers an admin's token from outside the admin network with 403 IP_NOT_ALLOWED on each, and audits it", async () => {
    for (const call of restricted()) {
      const name = `${call.method.toUpperCase()} ${call.path}`;
      const res = await send(call, missing(call.path), admin.access_token);
      expect(res.status, name).toBe(403);
      expect(res.body, name).toEqual({ code: 403, msg: expect.any(String), error: 'IP_NOT_ALLOWED', data: null });
    }
    const [row] = await t.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_events WHERE type = 'ip_not_allowed' AND user_id = ?",
      [admin.userInfo.id],
    );
    expect(Number(row.n)).toBe(restricted().length);
  });

  it('answers an admin inside the network 404 NOT_FOUND for a missing id on each operation that documents it', async () => {
    const byId = restricted().filter(
      (call) => call.path.includes('{') && ownCodes(call.operation, 404).includes('NOT_FOUND'),
    );
    expect(byId.length).toBeGreaterThan(10);
    for (const call of byId) {
      const name = `${call.method.toUpperCase()} ${call.path}`;
      const res = await send(call, missing(call.path), admin.access_token, INSIDE);
      expect(res.status, name).toBe(404);
      expect(res.body, name).toEqual({ code: 404, msg: expect.any(String), error: 'NOT_FOUND', data: null });
    }
  });

  it('checks a changed webhook like a new one: unknown events and a URL with credentials are 400, nothing changes', async () => {
    const auth = { ...bearer(admin.access_token), 'X-Forwarded-For': INSIDE };
    const created = await t
      .http()
      .post(`${API}/admin/webhooks`)
      .set(auth)
      .send({ url: 'http://127.0.0.1:9/hook', events: ['login_success'] });
    expect(created.status).toBe(201);
    const id = created.body.data.id as number;
    const events = await t
      .http()
      .patch(`${API}/admin/webhooks/${id}`)
      .set(auth)
      .set('Accept-Language', 'zh-CN')
      .send({ events: ['no_such_event'] });
    expect(events.status).toBe(400);
    expect(events.body).toEqual({
      code: 400,
      msg: '事件必须是已注册的审计事件类型，或 ["*"]',
      error: 'WEBHOOK_EVENT_UNKNOWN',
      data: null,
    });
    // OWASP SSRF Prevention Cheat Sheet: no credentials in a webhook URL, whatever the environment.
    const url = await t
      .http()
      .patch(`${API}/admin/webhooks/${id}`)
      .set(auth)
      .send({ url: 'https://user:secret@hooks.example.com/x' });
    expect(url.status).toBe(400);
    expect(url.body).toEqual({ code: 400, msg: expect.any(String), error: 'WEBHOOK_URL_NOT_ALLOWED', data: null });
    expect(JSON.stringify(url.body)).not.toContain('secret');
    const list = await t.http().get(`${API}/admin/webhooks`).set(auth);
    expect(list.body.data.find((w: { id: number }) => w.id === id)).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      events: ['login_success'],
    });
  });
});
