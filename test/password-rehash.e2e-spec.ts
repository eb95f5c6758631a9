import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { API, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const PASSWORD = 'Old-Imported-Pw-7';
const ARGON2I = 1;

/** SPEC §6: after a successful login a bcrypt or weaker Argon2 hash is replaced by a fresh Argon2id one. */
describe('transparent password rehash', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ARGON2_MEMORY_KIB: '2048' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Inserts a user the way an import from another system would: only a hash, no password. */
  async function insertUser(passwordHash: string): Promise<string> {
    const username = uniqueName('legacy');
    const now = Date.now();
    await t.dataSource.query(
      'INSERT INTO users (username, username_normalized, phone, name, password_hash, role, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [username, username.toLowerCase(), null, username, passwordHash, 'user', 0, now, now],
    );
    return username;
  }

  async function storedHash(username: string): Promise<string> {
    const [row] = await t.dataSource.query('SELECT password_hash FROM users WHERE username = ?', [username]);
    return row.password_hash as string;
  }

  const login = (username: string, password: string) => t.http().post(`${API}/auth/login`).send({ username, password });

  async function expectUpgradedOnLogin(username: string): Promise<void> {
    const first = await login(username, PASSWORD);
    expect(first.status).toBe(200);
    const upgraded = await storedHash(username);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=2048,t=1,p=1\$/);
    const again = await login(username, PASSWORD);
    expect(again.status).toBe(200);
    expect(await storedHash(username)).toBe(upgraded);
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events WHERE type = ? AND user_id = ?', [
      'password_rehash',
      again.body.data.userInfo.id,
    ]);
    expect(Number(row.n)).toBe(1);
  }

  it.each(['$2a$', '$2b$', '$2y$'])('logs in a %s bcrypt user and replaces the hash with Argon2id', async (prefix) => {
    const legacy = bcrypt.hashSync(PASSWORD, 10).replace(/^\$2[aby]\$/, prefix);
    const username = await insertUser(legacy);
    await expectUpgradedOnLogin(username);
  });

  it('upgrades an Argon2id hash made with weaker parameters than configured', async () => {
    const weak = await argon2Hash(PASSWORD, { memoryCost: 1024, timeCost: 1, parallelism: 1 });
    expect(weak).toMatch(/^\$argon2id\$v=19\$m=1024,/);
    const username = await insertUser(weak);
    await expectUpgradedOnLogin(username);
  });

  it('upgrades an Argon2i hash to Argon2id', async () => {
    const argon2i = await argon2Hash(PASSWORD, { algorithm: ARGON2I, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(argon2i).toMatch(/^\$argon2i\$/);
    const username = await insertUser(argon2i);
    const res = await login(username, PASSWORD);
    expect(res.status).toBe(200);
    expect(await storedHash(username)).toMatch(/^\$argon2id\$v=19\$m=2048,/);
  });

  it('never rehashes on a wrong password', async () => {
    const legacy = bcrypt.hashSync(PASSWORD, 10);
    const weak = await argon2Hash(PASSWORD, { memoryCost: 1024, timeCost: 1, parallelism: 1 });
    for (const original of [legacy, weak]) {
      const username = await insertUser(original);
      const res = await login(username, 'Not-The-Password-1');
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('INVALID_CREDENTIALS');
      expect(await storedHash(username)).toBe(original);
    }
  });

  it('keeps a hash that already meets the configured parameters', async () => {
    const current = await argon2Hash(PASSWORD, { memoryCost: 2048, timeCost: 1, parallelism: 1 });
    const username = await insertUser(current);
    expect((await login(username, PASSWORD)).status).toBe(200);
    expect(await storedHash(username)).toBe(current);
  });

  it('answers a malformed stored hash like a wrong password, never 500', async () => {
    const username = await insertUser('$argon2id$garbage');
    const res = await login(username, PASSWORD);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('INVALID_CREDENTIALS');
    expect(await storedHash(username)).toBe('$argon2id$garbage');
  });
});
