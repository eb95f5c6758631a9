import bcrypt from 'bcryptjs';
import { hashSync as argon2HashSync } from '@node-rs/argon2';
import { CliError } from '#src/cli/cli-error.js';
import { cliServices, type CliServices } from '#src/cli/cli.module.js';
import { createUser } from '#src/cli/users-create.command.js';
import { importUsers } from '#src/cli/users-import.command.js';
import { API, bearer, GOOD_PASSWORD, register, uniqueName } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** `Algorithm` of @node-rs/argon2 is an ambient const enum: 0 = argon2d, 1 = argon2i. */
const ARGON2I = 1;
/** The lowest cost users:import accepts by default (SPEC §6). */
const BCRYPT_COST = 8;
const SALT_AND_HASH = 'a'.repeat(53);
const ARGON2_TAIL = 'c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

describe('command-line users:create and users:import', () => {
  let t: TestApp;
  let services: CliServices;

  beforeAll(async () => {
    t = await createTestApp();
    services = cliServices(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (username: string, password = GOOD_PASSWORD) =>
    t.http().post(`${API}/auth/login`).send({ username, password });
  const hashOf = async (username: string): Promise<string | undefined> => {
    const rows = await t.dataSource.query('SELECT password_hash FROM users WHERE username_normalized = ?', [
      username.toLowerCase(),
    ]);
    return rows[0]?.password_hash;
  };
  const userCount = async (): Promise<number> =>
    Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM users'))[0].n);

  it('imports a bcrypt user who can then log in, and upgrades the hash to Argon2id at that login', async () => {
    const username = uniqueName('legacy');
    const legacy = bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST);
    const result = await importUsers(services, [{ username, password_hash: legacy, name: 'Legacy User' }]);
    expect(result).toEqual({ imported: 1, skipped: [], ignoredFields: [], dryRun: false });
    expect(await hashOf(username)).toBe(legacy);

    const res = await login(username);
    expect(res.status).toBe(200);
    expect(res.body.data.userInfo).toMatchObject({ name: 'Legacy User', role: 'user' });
    expect(await hashOf(username)).toMatch(/^\$argon2id\$/);
    expect((await login(username)).status).toBe(200);
    expect((await login(username, 'wrong-password-1')).body.error).toBe('INVALID_CREDENTIALS');
  });

  it('accepts $2y$ bcrypt and argon2i hashes from other systems', async () => {
    const fromPhp = uniqueName('php');
    const fromArgon2i = uniqueName('a2i');
    const result = await importUsers(services, [
      { username: fromPhp, password_hash: bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST).replace(/^\$2b\$/, '$2y$') },
      {
        username: fromArgon2i,
        password_hash: argon2HashSync(GOOD_PASSWORD, { algorithm: ARGON2I, memoryCost: 1024, timeCost: 1 }),
      },
    ]);
    expect(result.imported).toBe(2);
    for (const username of [fromPhp, fromArgon2i]) {
      expect((await login(username)).status).toBe(200);
      expect(await hashOf(username)).toMatch(/^\$argon2id\$/);
    }
  });

  it('imports the good records of a mixed file and reports every other one by index', async () => {
    const existing = await register(t);
    const [good1, good2, good3] = [uniqueName('good'), uniqueName('good'), uniqueName('good')];
    const hash = bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST);
    const before = await userCount();
    const result = await importUsers(services, [
      { username: good1, password_hash: hash, phone: '13900139000', role: 'admin' },
      'not an object',
      { username: 'x', password_hash: hash },
      { username: uniqueName('bad'), password_hash: 'plaintext-password' },
      { username: existing.username.toUpperCase(), password_hash: hash },
      { username: good2, password_hash: hash, name: '  Good Two  ' },
      { username: good1, password_hash: hash },
      { username: uniqueName('bad'), password_hash: hash, role: 'root' },
      { username: uniqueName('bad'), password_hash: hash, phone: '12' },
      { username: uniqueName('bad'), password: GOOD_PASSWORD },
      { username: uniqueName('bad'), password_hash: hash, phone: '+86 139 0013 9000' },
      { username: good3, password_hash: hash },
    ]);

    expect(result.imported).toBe(3);
    expect(result.skipped.map((s) => s.index)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.index, s.reason]));
    expect(reasons[1]).toBe('not an object');
    expect(reasons[2]).toMatch(/username must be at least 3 characters/);
    expect(reasons[3]).toMatch(/password_hash must be a bcrypt/);
    expect(reasons[4]).toBe('username already exists');
    expect(reasons[6]).toBe('username already exists');
    expect(reasons[7]).toMatch(/role must be one of user, admin/);
    expect(reasons[8]).toMatch(/phone/);
    expect(reasons[9]).toBe('password_hash must be a string');
    expect(result.ignoredFields).toEqual(['password']);
    expect(JSON.stringify(result)).not.toContain(GOOD_PASSWORD);
    expect(reasons[10]).toBe('phone already registered');
    expect(JSON.stringify(result)).not.toContain(hash);
    expect(await userCount()).toBe(before + 3);

    const admin = await login(good1);
    expect(admin.body.data.userInfo.role).toBe('admin');
    const me = await t.http().get(`${API}/users/me`).set(bearer(admin.body.data.access_token));
    expect(me.body.data).toMatchObject({ username: good1, phone: '+8613900139000', role: 'admin' });
    expect((await login(good2)).body.data.userInfo.name).toBe('Good Two');
    expect((await login(good3)).status).toBe(200);
  });

  it('ignores the unknown fields of a real export, imports the record and names each field once', async () => {
    const [first, second] = [uniqueName('export'), uniqueName('export')];
    const hash = bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST);
    const result = await importUsers(services, [
      { username: first, password_hash: hash, created_at: '2024-01-02T03:04:05Z', nickname: 'secret-ish value' },
      { username: second, password_hash: hash, email: `${second}@example.com`, last_login: null },
    ]);

    expect(result).toEqual({
      imported: 2,
      skipped: [],
      ignoredFields: ['created_at', 'last_login', 'nickname'],
      dryRun: false,
    });
    expect(JSON.stringify(result)).not.toContain('secret-ish value');
    expect((await login(first)).status).toBe(200);
    expect((await login(second)).status).toBe(200);
  });

  it('checks every record in a dry run, duplicates within the file included, and writes nothing', async () => {
    const existing = await register(t);
    const [fresh, other] = [uniqueName('dry'), uniqueName('dry')];
    const hash = bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST);
    const records = [
      { username: fresh, password_hash: hash, phone: '13500135000', email: `${fresh}@example.com` },
      { username: existing.username, password_hash: hash },
      { username: fresh.toUpperCase(), password_hash: hash },
      { username: other, password_hash: hash, phone: '+86 135 0013 5000' },
      { username: uniqueName('dry'), password_hash: '$2b$31$' + SALT_AND_HASH },
    ];
    const before = await userCount();
    const auditBefore = Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events'))[0].n);

    const dry = await importUsers(services, records, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.imported).toBe(1);
    expect(dry.ignoredFields).toEqual([]);
    expect(dry.skipped.map(({ index, reason }) => [index, reason])).toEqual([
      [1, 'username already exists'],
      [2, 'username already exists'],
      [3, 'phone already registered'],
      [4, 'bcrypt cost 31 is outside the accepted 8–14'],
    ]);
    expect(await userCount()).toBe(before);
    expect(await hashOf(fresh)).toBeUndefined();
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events'))[0].n)).toBe(auditBefore);

    // The real run answers what the dry run announced.
    const real = await importUsers(services, records);
    expect(real.imported).toBe(dry.imported);
    expect(real.skipped).toEqual(dry.skipped);
    expect(await userCount()).toBe(before + 1);
  });

  it('skips hashes whose cost is out of bounds with the reason, and goes on with the rest', async () => {
    const names = Array.from({ length: 9 }, () => uniqueName('cost'));
    const argon2 = (params: string) => `$argon2id$v=19$${params}$${ARGON2_TAIL}`;
    const result = await importUsers(services, [
      { username: names[0], password_hash: '$2b$31$' + SALT_AND_HASH },
      { username: names[1], password_hash: bcrypt.hashSync(GOOD_PASSWORD, 7) },
      { username: names[2], password_hash: argon2('m=8,t=1,p=1') },
      { username: names[3], password_hash: argon2('m=2097152,t=1,p=1') },
      { username: names[4], password_hash: argon2('m=1024,t=11,p=1') },
      { username: names[5], password_hash: argon2('m=1024,t=1,p=17') },
      { username: names[6], password_hash: '$2y$14$' + SALT_AND_HASH },
      { username: names[7], password_hash: argon2('m=1048576,t=10,p=16') },
      {
        username: names[8],
        password_hash: argon2HashSync(GOOD_PASSWORD, { memoryCost: 1024, timeCost: 1, parallelism: 1 }),
      },
    ]);

    expect(Object.fromEntries(result.skipped.map((s) => [s.index, s.reason]))).toEqual({
      0: 'bcrypt cost 31 is outside the accepted 8–14',
      1: 'bcrypt cost 7 is outside the accepted 8–14',
      2: 'Argon2 memory (KiB) 8 is outside the accepted 1024–1048576',
      3: 'Argon2 memory (KiB) 2097152 is outside the accepted 1024–1048576',
      4: 'Argon2 time cost 11 is outside the accepted 1–10',
      5: 'Argon2 parallelism 17 is outside the accepted 1–16',
    });
    expect(result.imported).toBe(3);
    for (const skipped of names.slice(0, 6)) {
      expect(await hashOf(skipped)).toBeUndefined();
    }
    expect((await login(names[8])).status).toBe(200);
  });

  it('applies configured cost bounds instead of the defaults', async () => {
    const username = uniqueName('bounds');
    const hash = bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST);
    const limits = {
      bcryptCost: { min: 10, max: 12 },
      argon2MemoryKib: { min: 1024, max: 1024 },
      argon2TimeCost: { min: 1, max: 1 },
      argon2Parallelism: { min: 1, max: 1 },
    };
    const result = await importUsers(services, [{ username, password_hash: hash }], { limits });
    expect(result.skipped).toEqual([{ index: 0, username, reason: 'bcrypt cost 8 is outside the accepted 10–12' }]);
    expect(await hashOf(username)).toBeUndefined();
  });

  const emailRow = async (username: string) =>
    (
      await t.dataSource.query(
        'SELECT email, email_normalized, email_verified FROM users WHERE username_normalized = ?',
        [username.toLowerCase()],
      )
    )[0] as { email: string | null; email_normalized: string | null; email_verified: unknown } | undefined;
  const emailLogin = (email: string, password = GOOD_PASSWORD) =>
    t.http().post(`${API}/auth/login`).send({ email, password });

  it('stores an imported email trimmed and unverified, and the user logs in with it in any case', async () => {
    const username = uniqueName('mail');
    const email = `${username}@Example.COM`;
    const result = await importUsers(services, [
      { username, password_hash: bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST), email: `  ${email} ` },
    ]);
    expect(result).toEqual({ imported: 1, skipped: [], ignoredFields: [], dryRun: false });
    const row = await emailRow(username);
    expect(row).toMatchObject({ email, email_normalized: email.toLowerCase() });
    expect(Number(row?.email_verified)).toBe(0);

    const res = await emailLogin(email.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 200, data: { userInfo: { name: username, role: 'user' } } });
    const me = await t.http().get(`${API}/users/me`).set(bearer(res.body.data.access_token));
    expect(me.body.data).toMatchObject({ username, email, email_verified: false });
    expect((await emailLogin(email, 'wrong-password-1')).body.error).toBe('INVALID_CREDENTIALS');
  });

  it('skips an email already registered or repeated in the file, in any case, with the reason', async () => {
    const taken = `${uniqueName('taken')}@example.com`;
    await register(t, { email: taken });
    const [first, inFile, inDb, other] = ['first', 'infile', 'indb', 'other'].map((p) => uniqueName(p));
    const repeated = `${first}@example.com`;
    const hash = bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST);
    const records = [
      { username: first, password_hash: hash, email: repeated },
      { username: inFile, password_hash: hash, email: ` ${repeated.toUpperCase()}` },
      { username: inDb, password_hash: hash, email: taken.toUpperCase() },
      { username: other, password_hash: hash, email: `${other}@example.com` },
    ];
    const expected = [
      { index: 1, username: inFile, reason: 'email already registered' },
      { index: 2, username: inDb, reason: 'email already registered' },
    ];
    const before = await userCount();

    const dry = await importUsers(services, records, { dryRun: true });
    expect(dry).toMatchObject({ imported: 2, skipped: expected, ignoredFields: [] });
    expect(await userCount()).toBe(before);

    const real = await importUsers(services, records);
    expect(real).toMatchObject({ imported: 2, skipped: expected, ignoredFields: [] });
    expect(await userCount()).toBe(before + 2);
    expect(await hashOf(inFile)).toBeUndefined();
    expect(await hashOf(inDb)).toBeUndefined();
    expect((await emailLogin(repeated)).body.data.userInfo.name).toBe(first);
    const holders = await t.dataSource.query('SELECT username FROM users WHERE email_normalized = ?', [taken]);
    expect(holders).toHaveLength(1);
  });

  it('skips a record whose email is not a valid address of at most 254 characters', async () => {
    const names = Array.from({ length: 5 }, () => uniqueName('badmail'));
    const hash = bcrypt.hashSync(GOOD_PASSWORD, BCRYPT_COST);
    const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(longest).toHaveLength(254);
    const result = await importUsers(services, [
      { username: names[0], password_hash: hash, email: 'not-an-address' },
      { username: names[1], password_hash: hash, email: `x${longest}` },
      { username: names[2], password_hash: hash, email: ['a@example.com'] },
      { username: names[3], password_hash: hash, email: '' },
      { username: names[4], password_hash: hash, email: longest },
    ]);
    expect(Object.fromEntries(result.skipped.map((s) => [s.index, s.reason]))).toEqual({
      0: 'email must be a valid email address',
      1: 'email must be at most 254 characters',
      2: 'email must be a string',
      3: 'email must be a valid email address',
    });
    expect(result.imported).toBe(1);
    for (const skipped of names.slice(0, 4)) {
      expect(await hashOf(skipped)).toBeUndefined();
    }
    expect((await emailRow(names[4]))?.email).toBe(longest);
  });

  it('creates an admin whose login and profile show role admin', async () => {
    const username = uniqueName('Root');
    const created = await createUser(services, {
      username: `  ${username} `,
      password: GOOD_PASSWORD,
      role: 'admin',
      phone: '13700137000',
      name: 'First Admin',
    });
    expect(created).toMatchObject({ username, name: 'First Admin', phone: '+8613700137000', role: 'admin' });
    expect(created).not.toHaveProperty('passwordHash');
    expect(await hashOf(username)).toMatch(/^\$argon2id\$/);

    const res = await login(username.toLowerCase());
    expect(res.status).toBe(200);
    expect(res.body.data.userInfo).toEqual({ id: created.id, name: 'First Admin', role: 'admin' });
    const me = await t.http().get(`${API}/users/me`).set(bearer(res.body.data.access_token));
    expect(me.body.data.role).toBe('admin');
  });

  it('creates a plain user by default and keeps the password exactly as given', async () => {
    const username = uniqueName('plain');
    const password = '  spaced pass  ';
    const created = await createUser(services, { username, password });
    expect(created.role).toBe('user');
    expect((await login(username, password)).status).toBe(200);
    expect((await login(username, password.trim())).status).toBe(401);
  });

  it.each([
    ['a common password', { password: 'password123' }, /too common/],
    ['a short password', { password: 'abc' }, /at least 6 characters/],
    ['the username as password', { password: 'SameAsName_1' }, /same as the username/],
    ['an unknown role', { role: 'root' }, /role must be one of/],
    ['a bad username', { username: 'no spaces allowed' }, /username may contain only/],
    ['a bad phone', { phone: '12345' }, /phone must be a valid phone number/],
    ['a bad email', { email: 'no-at-sign' }, /email must be a valid email address/],
  ])('refuses %s and writes no row', async (_, override, message) => {
    const before = await userCount();
    const input = { username: 'SameAsName_1', password: GOOD_PASSWORD, ...override };
    await expect(createUser(services, input)).rejects.toThrow(message);
    await expect(createUser(services, input)).rejects.toBeInstanceOf(CliError);
    expect(await userCount()).toBe(before);
    expect(await hashOf('SameAsName_1')).toBeUndefined();
  });

  it('refuses a duplicate username or phone with a clear message', async () => {
    const existing = await register(t, { phone: '13600136000' });
    await expect(createUser(services, { username: existing.username, password: GOOD_PASSWORD })).rejects.toThrow(
      `username "${existing.username}" is already taken`,
    );
    await expect(
      createUser(services, { username: uniqueName(), password: GOOD_PASSWORD, phone: '+8613600136000' }),
    ).rejects.toThrow('phone +8613600136000 is already registered');
  });

  it('creates a user with an unverified email who logs in with it, and refuses a taken one', async () => {
    const username = uniqueName('withmail');
    const email = `${username}@example.com`;
    const created = await createUser(services, { username, password: GOOD_PASSWORD, email: ` ${email} ` });
    expect(created.email).toBe(email);
    expect(Number((await emailRow(username))?.email_verified)).toBe(0);
    expect((await emailLogin(email)).status).toBe(200);

    const before = await userCount();
    await expect(
      createUser(services, { username: uniqueName(), password: GOOD_PASSWORD, email: email.toUpperCase() }),
    ).rejects.toThrow(`email ${email.toUpperCase()} is already registered`);
    expect(await userCount()).toBe(before);
  });
});
