import { API, GOOD_PASSWORD, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** The unique indexes decide a race: exactly one winner, the others 409, never a 500 or a second row. */
describe('concurrent registrations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const registerAll = (bodies: object[]) =>
    Promise.all(bodies.map((body) => t.http().post(`${API}/auth/register`).send(body)));

  it('lets exactly one of 20 concurrent registrations of one name win; the rest get 409 USERNAME_TAKEN', async () => {
    const username = uniqueName('race');
    const answers = await registerAll(Array.from({ length: 20 }, () => ({ username, password: GOOD_PASSWORD })));
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    const losers = answers.filter((res) => res.status !== 201);
    expect(losers).toHaveLength(19);
    for (const res of losers) {
      expect(res.body).toEqual({ code: 409, msg: expect.any(String), error: 'USERNAME_TAKEN', data: null });
    }
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM users WHERE username_normalized = ?', [
      username.toLowerCase(),
    ]);
    expect(Number(row.n)).toBe(1);
  });

  it('treats names differing only in case as one in a race', async () => {
    const base = uniqueName('case');
    const variants = [base, base.toUpperCase(), base.toLowerCase(), `  ${base}  `, base.replace(/^c/, 'C')];
    const answers = await registerAll(
      Array.from({ length: 10 }, (_, i) => ({ username: variants[i % variants.length], password: GOOD_PASSWORD })),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    expect(answers.filter((res) => res.status === 409 && res.body.error === 'USERNAME_TAKEN')).toHaveLength(9);
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM users WHERE username_normalized = ?', [
      base.toLowerCase(),
    ]);
    expect(Number(row.n)).toBe(1);
  });

  it('lets exactly one of 10 concurrent registrations of one phone win; the rest get 409 PHONE_TAKEN', async () => {
    const answers = await registerAll(
      Array.from({ length: 10 }, (_, i) => ({
        username: uniqueName('phone'),
        password: GOOD_PASSWORD,
        phone: i % 2 === 0 ? '13500135000' : '+86 135 0013 5000',
      })),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    const losers = answers.filter((res) => res.status !== 201);
    for (const res of losers) {
      expect(res.body).toEqual({ code: 409, msg: expect.any(String), error: 'PHONE_TAKEN', data: null });
    }
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM users WHERE phone = ?', ['+8613500135000']);
    expect(Number(row.n)).toBe(1);
  });
});
