import { API } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** A JSON body of about 15 KB whose unknown keys are built by `key(i)`. */
function bodyOf(key: (i: number) => string): string {
  const body: Record<string, unknown> = { username: 'someone', password: 'irrelevant-pass' };
  for (let i = 0; JSON.stringify(body).length < 15_000; i++) {
    body[key(i)] = 1;
  }
  return JSON.stringify(body);
}

/** SPEC §10: user-chosen text is never evaluated by the message library, and an error lists at most 20 fields. */
describe('field errors for user-chosen JSON keys', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (body: string | Record<string, unknown>, lang = 'en') =>
    t
      .http()
      .post(`${API}/auth/login`)
      .set('Content-Type', 'application/json')
      .set('Accept-Language', lang)
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it.each(['en', 'zh-CN'])('shows $t(…) and {{…}} in a key as typed, never evaluated (%s)', async (lang) => {
    const res = await login({ username: 'a', password: 'b', '$t(fields.username)': 1, '{{field}}x': 2 }, lang);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries(
      (res.body.errors as Array<{ field: string; rule: string; message: string }>).map((e) => [e.field, e]),
    );
    expect(byField['$t(fields.username)'].rule).toBe('unknown_field');
    expect(byField['$t(fields.username)'].message).toContain('$t(fields.username)');
    expect(byField['{{field}}x'].message).toContain('{{field}}x');
  });

  it('lists at most 20 field errors, names cut at 64 characters', async () => {
    const keys: Record<string, number> = {};
    for (let i = 0; i < 1500; i++) {
      keys[`k${i}`] = 1;
    }
    const res = await login({ username: 'a', password: 'b', ...keys });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(20);
    expect(res.text.length).toBeLessThan(6000);

    const long = 'x'.repeat(500);
    const one = await login({ username: 'a', password: 'b', [long]: 1 });
    const unknown = (one.body.errors as Array<{ field: string; rule: string }>).filter(
      (e) => e.rule === 'unknown_field',
    );
    expect(unknown.map((e) => e.field)).toEqual(['x'.repeat(64)]);
  });

  it('answers a 15 KB body of nested $t( in under 3× the time of a plain one of the same size', async () => {
    const nested = bodyOf((i) => `$t(${i}${'$t('.repeat(30)}`);
    const plain = bodyOf((i) => `p${i}${'abc'.repeat(30)}`);
    expect(Math.abs(nested.length - plain.length)).toBeLessThan(200);
    // Compared within one run, alternating, the best of five each: the machine's load falls on both alike.
    const best = { nested: Infinity, plain: Infinity };
    for (let round = 0; round < 5; round++) {
      for (const [name, body] of [
        ['nested', nested],
        ['plain', plain],
      ] as const) {
        const started = process.hrtime.bigint();
        const res = await login(body);
        best[name] = Math.min(best[name], Number(process.hrtime.bigint() - started));
        expect(res.status).toBe(400);
      }
    }
    expect(best.nested).toBeLessThan(3 * best.plain);
  });
});
