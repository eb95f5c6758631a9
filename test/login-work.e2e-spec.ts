import bcrypt from 'bcryptjs';
import { PasswordService } from '#src/passwords/password.service.js';
import { API, GOOD_PASSWORD, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const WRONG = 'Wrong-Guess-55';

/**
 * Issue 22 / SPEC §6: a password login costs every account the same work as a wrong password for an unknown one
 * (one Argon2 verify), so timing does not single out code sign-ups, reclaimed accounts, malformed imports or cheap
 * bcrypt imports. Measured by the work done (which hashes were verified), never by the clock.
 */
describe('password login work is the same for every kind of account', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ARGON2_MEMORY_KIB: '2048' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function account(passwordHash: string): Promise<string> {
    const username = uniqueName('work');
    const now = Date.now();
    await t.dataSource.query(
      'INSERT INTO users (username, username_normalized, phone, name, password_hash, role, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [username, username.toLowerCase(), null, username, passwordHash, 'user', 0, now, now],
    );
    return username;
  }

  /** The kinds of hash a login verified ('argon2' or 'bcrypt'), and its answer. */
  async function workOf(username: string): Promise<{ status: number; verified: string[] }> {
    const passwords = t.app.get(PasswordService);
    const spy = vi.spyOn(passwords, 'verify');
    try {
      const res = await t.http().post(`${API}/auth/login`).send({ username, password: WRONG });
      const verified = spy.mock.calls.map(([hash]) =>
        hash.startsWith('$argon2') ? 'argon2' : hash ? 'bcrypt' : 'none',
      );
      return { status: res.status, verified };
    } finally {
      spy.mockRestore();
    }
  }

  it('an unknown account and a wrong password verify one Argon2 hash', async () => {
    expect(await workOf(uniqueName('nobody'))).toEqual({ status: 401, verified: ['argon2'] });
    const known = await account(await t.app.get(PasswordService).hash(GOOD_PASSWORD));
    expect(await workOf(known)).toEqual({ status: 401, verified: ['argon2'] });
  });

  it('an account without a usable hash (empty, malformed) does the same Argon2 work', async () => {
    for (const hash of ['', '$argon2id$v=19$garbage', 'not-a-hash']) {
      expect(await workOf(await account(hash)), JSON.stringify(hash)).toEqual({ status: 401, verified: ['argon2'] });
    }
  });

  it('an imported bcrypt-8 or -10 account does the Argon2 work on top of its own bcrypt check', async () => {
    for (const cost of [8, 10]) {
      const { status, verified } = await workOf(await account(bcrypt.hashSync(GOOD_PASSWORD, cost)));
      expect(status).toBe(401);
      expect(verified.sort()).toEqual(['argon2', 'bcrypt']);
    }
  });
});
