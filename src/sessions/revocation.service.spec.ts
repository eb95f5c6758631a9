import type { ConfigType } from '@nestjs/config';
import type { FindOperator, Repository } from 'typeorm';
import { ManualClock } from '#src/common/clock.js';
import type jwtConfig from '#src/config/jwt.config.js';
import type { RedisService } from '#src/redis/redis.service.js';
import type { Revocation } from '#src/sessions/entities/revocation.entity.js';
import type { Session } from '#src/sessions/entities/session.entity.js';
import { RevocationService } from '#src/sessions/revocation.service.js';

const HOUR = 3_600_000;

/** The `revocations` table as other instances see it: only committed rows. */
class FakeRevocations {
  committed: Revocation[] = [];

  commit(id: number, sessionId: string, keepUntil: number): void {
    this.committed.push({ id, sessionId, revokedAt: 0, keepUntil });
  }

  maximum(): Promise<number | null> {
    return Promise.resolve(this.committed.reduce<number | null>((max, r) => Math.max(max ?? 0, r.id), null));
  }

  find({ where }: { where: { id?: FindOperator<number>; keepUntil?: FindOperator<number> } }): Promise<Revocation[]> {
    return Promise.resolve(
      this.committed.filter(
        (r) => (!where.id || r.id > where.id.value) && (!where.keepUntil || r.keepUntil > where.keepUntil.value),
      ),
    );
  }

  delete(): Promise<void> {
    return Promise.resolve();
  }
}

describe(RevocationService.name, () => {
  let clock: ManualClock;
  let table: FakeRevocations;
  let service: RevocationService;
  const poll = () => (service as unknown as { poll(): Promise<void> }).poll();

  beforeEach(async () => {
    clock = new ManualClock();
    table = new FakeRevocations();
    table.commit(1, 'old', clock.now() + HOUR);
    service = new RevocationService(
      table as unknown as Repository<Revocation>,
      {} as Repository<Session>,
      { accessTtl: 3600, refreshReuseGrace: 10 } as ConfigType<typeof jwtConfig>,
      { subscribe: () => undefined } as unknown as RedisService,
      clock,
    );
    await service.onApplicationBootstrap();
  });
  afterEach(() => {
    service.onApplicationShutdown();
  });

  it('loads the revocations still in force at start', () => {
    expect(service.isRevoked('old')).toBe(true);
  });

  it('sees a row committed after a row with a higher id, on the next poll', async () => {
    table.commit(3, 'quick', clock.now() + HOUR);
    await poll();
    expect(service.isRevoked('quick')).toBe(true);
    // Row 2 got its id first but committed last: a poll that only read "after 3" would never see it.
    clock.advance(500);
    table.commit(2, 'late', clock.now() + HOUR);
    await poll();
    expect(service.isRevoked('late')).toBe(true);
  });

  it('does not depend on the time the revoking instance wrote', async () => {
    // revoked_at is never read: a row from an instance 10 minutes behind is seen like any other.
    table.committed.push({
      id: 2,
      sessionId: 'behind',
      revokedAt: clock.now() - 600_000,
      keepUntil: clock.now() + HOUR,
    });
    await poll();
    expect(service.isRevoked('behind')).toBe(true);
  });

  it('forgets a revocation once its keep_until has passed, and not before', async () => {
    table.commit(2, 'short', clock.now() + 60_000);
    await poll();
    clock.advance(59_000);
    await poll();
    expect(service.isRevoked('short')).toBe(true);
    clock.advance(2_000);
    await poll();
    expect(service.isRevoked('short')).toBe(false);
    expect(service.isRevoked('old')).toBe(true);
  });
});
