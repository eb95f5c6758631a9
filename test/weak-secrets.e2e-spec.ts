import { randomBytes } from 'node:crypto';
import { createTestApp } from './helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';

/** SPEC §2/§10: production refuses to start on a secret with too little entropy, and says which one. */
describe('weak production secrets', () => {
  let db: TestDatabase;
  const strong = () => randomBytes(32).toString('base64');

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const boot = (env: Record<string, string>) =>
    createTestApp(
      {
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET: strong(),
        JWT_REFRESH_SECRET: strong(),
        MFA_ENCRYPTION_KEY: strong(),
        ...env,
      },
      { database: db },
    );

  it('refuses one character repeated 32 times as JWT_ACCESS_SECRET, naming the variable', async () => {
    await expect(boot({ JWT_ACCESS_SECRET: 'a'.repeat(32) })).rejects.toThrow(/JWT_ACCESS_SECRET: too little entropy/);
  });

  it('refuses a short alphabet as JWT_REFRESH_SECRET and a repeated pattern as MFA_ENCRYPTION_KEY', async () => {
    await expect(boot({ JWT_REFRESH_SECRET: 'ab'.repeat(20) })).rejects.toThrow(
      /JWT_REFRESH_SECRET: too little entropy/,
    );
    await expect(boot({ MFA_ENCRYPTION_KEY: '01'.repeat(32) })).rejects.toThrow(
      /MFA_ENCRYPTION_KEY: too little entropy/,
    );
  });

  it('starts with random secrets', async () => {
    const t = await boot({});
    expect((await t.http().get('/health/live')).status).toBe(200);
    await t.close();
  });
});
