import { findErrorCode } from '#src/common/error-registry.js';
import { API } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Example {
  value: Record<string, unknown>;
}
interface ErrorContent {
  schema?: { allOf?: { properties?: { error?: { enum?: string[] } } }[] };
  example?: { code: number; msg: string; error: string; data: null };
}
interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { examples?: Record<string, Example> }> };
  responses: Record<string, { content?: Record<string, ErrorContent> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Issue 28 item 1: what "Try it out" pre-fills is valid as sent, each named example on its own, and each error status
 * shows the codes that operation can answer with one real example. Sent here with supertest, fast and exact; the
 * browser walk (browser-swagger) sends them through Swagger UI itself.
 */
describe('Swagger examples', { shuffle: false }, () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await createTestApp({ SMS_PROVIDER: 'console', EMAIL_PROVIDER: 'console' });
    doc = (await t.http().get('/docs-json')).body as Document;
  });
  afterAll(() => t.close());

  const examples = (path: string): [string, Record<string, unknown>][] =>
    Object.entries(doc.paths[`${API}${path}`].post.requestBody?.content['application/json'].examples ?? {}).map(
      ([name, example]) => [name, example.value],
    );

  it('never requires Accept-Language, which Swagger UI would then refuse to send without', () => {
    const required = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.flatMap((m) =>
        (item[m]?.parameters ?? [])
          .filter((p) => p.in === 'header' && p.required === true)
          .map((p) => `${m.toUpperCase()} ${path} ${p.name}`),
      ),
    );
    expect(required).toEqual([]);
  });

  it('registers each named example as sent: 201, a new account each', async () => {
    const names = examples('/auth/register');
    expect(names.map(([name]) => name)).toEqual(['everything', 'username', 'phone', 'email']);
    for (const [name, body] of names) {
      const res = await t.http().post(`${API}/auth/register`).send(body);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(201);
    }
  });

  it('logs in with each named example as sent, as the account the first register example made', async () => {
    const ids = new Set<unknown>();
    for (const [name, body] of examples('/auth/login')) {
      const res = await t.http().post(`${API}/auth/login`).send(body);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
      ids.add(res.body.data.userInfo.id);
    }
    expect(ids.size).toBe(1);
  });

  it('sends a code for each named example as sent: one destination each, no 400', async () => {
    const names = examples('/auth/codes');
    expect(names.map(([name]) => name)).toEqual(['login_phone', 'reset_phone', 'reset_email']);
    for (const [name, body] of names) {
      const res = await t.http().post(`${API}/auth/codes`).send(body);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
      // A destination takes one code per resend interval, as the answer says: wait it out as a user would.
      t.clock.advance(Number(res.body.data.resend_after) * 1000);
    }
  });

  it('code login, reset and MFA examples pass validation: only the placeholder code or token is refused', async () => {
    const expected: [string, number, string][] = [
      ['/auth/login/code', 400, 'CODE_INVALID'],
      ['/auth/password/reset', 400, 'CODE_INVALID'],
      ['/auth/mfa/verify', 401, 'TOKEN_INVALID'],
    ];
    for (const [path, status, error] of expected) {
      const named = examples(path);
      expect(named.length, path).toBeGreaterThan(0);
      for (const [name, body] of named) {
        const res = await t.http().post(`${API}${path}`).send(body);
        expect([res.status, res.body.error], `${path} ${name}`).toEqual([status, error]);
      }
    }
    // One of code / recovery_code in each MFA example, never both (both answered a misleading "recovery code invalid").
    for (const [, body] of examples('/auth/mfa/verify')) {
      expect(['code' in body, 'recovery_code' in body].filter(Boolean)).toHaveLength(1);
    }
  });

  it("shows one example per error status, with that status's real code and message, among the listed codes", () => {
    const wrong: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const m of METHODS) {
        for (const [status, response] of Object.entries(item[m]?.responses ?? {})) {
          const content = response.content?.['application/json'];
          const codes = content?.schema?.allOf?.[1]?.properties?.error?.enum;
          if (Number(status) < 400 || codes === undefined) {
            continue;
          }
          const example = content?.example;
          const real = example && findErrorCode(example.error);
          if (!example || example.code !== Number(status) || !codes.includes(example.error) || !real) {
            wrong.push(`${m.toUpperCase()} ${path} ${status}: ${JSON.stringify(example)}`);
          } else if (real.status !== Number(status) || real.message !== example.msg) {
            wrong.push(`${m.toUpperCase()} ${path} ${status}: ${example.error} is not "${example.msg}"`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lists only the codes an operation can answer, not every code of the status', () => {
    const codes = (path: string, method: string, status: string) =>
      doc.paths[`${API}${path}`][method].responses[status].content?.['application/json'].schema?.allOf?.[1]?.properties
        ?.error?.enum;
    expect(codes('/auth/login', 'post', '401')).toEqual(['INVALID_CREDENTIALS']);
    expect(codes('/auth/login', 'post', '400')).toEqual(['VALIDATION_FAILED']);
    expect(codes('/auth/register', 'post', '403')).toEqual(['REGISTRATION_DISABLED']);
    expect(codes('/users/me', 'get', '401')).toEqual([
      'UNAUTHORIZED',
      'TOKEN_INVALID',
      'TOKEN_EXPIRED',
      'TOKEN_REVOKED',
    ]);
  });
});
