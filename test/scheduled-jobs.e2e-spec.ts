import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { AuditRetentionService } from '#src/audit/audit-retention.service.js';
import { CliModule } from '#src/cli/cli.module.js';
import { MfaChallengePruneJob } from '#src/mfa/mfa-challenge-prune.job.js';
import { register } from './helpers/auth-client.js';
import { createTestApp, TEST_ENV, type TestApp } from './helpers/test-app.js';

const MINUTE = 60_000;

describe('scheduled jobs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ AUDIT_RETENTION: '1h' });
  });
  afterAll(async () => {
    await t.close();
  });

  const challengeJtis = async (): Promise<string[]> =>
    (await t.dataSource.query<{ jti: string }[]>('SELECT jti FROM mfa_challenges ORDER BY jti')).map((row) => row.jti);

  it('schedules audit retention and the MFA challenge prune through @nestjs/schedule', () => {
    const intervals = t.app.get(SchedulerRegistry).getIntervals();
    expect(intervals).toEqual(expect.arrayContaining(['audit-retention', 'mfa-challenge-prune']));
  });

  it('deletes audit events only once they are older than AUDIT_RETENTION', async () => {
    const user = await register(t);
    const retention = t.app.get(AuditRetentionService);
    // Written at the test clock's times, whatever clock AuditService.record() reads.
    const insert = 'INSERT INTO audit_events (type, user_id, created_at) VALUES (?, ?, ?)';
    await t.dataSource.query('DELETE FROM audit_events WHERE user_id = ?', [user.userInfo.id]);
    await t.dataSource.query(insert, ['login_success', user.userInfo.id, t.clock.now()]);
    const types = () =>
      t.dataSource.query<{ type: string }[]>('SELECT type FROM audit_events WHERE user_id = ? ORDER BY id', [
        user.userInfo.id,
      ]);
    t.clock.advance(59 * MINUTE);
    await retention.prune();
    expect(await types()).toEqual([{ type: 'login_success' }]);
    await t.dataSource.query(insert, ['logout', user.userInfo.id, t.clock.now()]);
    t.clock.advance(2 * MINUTE);

    expect(await retention.prune()).toBeGreaterThan(0);
    expect(await types()).toEqual([{ type: 'logout' }]);
  });

  it('prunes expired MFA challenges of every user, whether or not they log in again, and keeps live ones', async () => {
    const [a, b] = [await register(t), await register(t)];
    const now = t.clock.now();
    const expired = randomUUID();
    const live = randomUUID();
    const insert = 'INSERT INTO mfa_challenges (jti, user_id, attempts, created_at, expires_at) VALUES (?, ?, 0, ?, ?)';
    await t.dataSource.query(insert, [expired, a.userInfo.id, now, now + 5 * MINUTE]);
    await t.dataSource.query(insert, [live, b.userInfo.id, now, now + 15 * MINUTE]);
    const job = t.app.get(MfaChallengePruneJob);

    expect(await job.run()).toBe(0);
    expect(await challengeJtis()).toEqual([expired, live].sort());
    t.clock.advance(6 * MINUTE);
    expect(await job.run()).toBe(1);
    expect(await challengeJtis()).toEqual([live]);
  });

  it('starts no job in the command-line context', async () => {
    const env = { ...TEST_ENV, DATA_DIR: t.db.dataDir, DATABASE_URL: t.db.url };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    try {
      const context = await NestFactory.createApplicationContext(CliModule, { logger: false });
      try {
        expect(() => context.get(SchedulerRegistry, { strict: false })).toThrow();
      } finally {
        await context.close();
      }
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[key];
        } else {
          process.env[key] = value;
        }
      }
    }
  });
});
