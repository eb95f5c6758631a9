import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, MoreThan, Repository } from 'typeorm';
import { Clock } from '#src/common/clock.js';
import jwtConfig from '#src/config/jwt.config.js';
import { RedisService } from '#src/redis/redis.service.js';
import { Revocation } from '#src/sessions/entities/revocation.entity.js';
import { Session } from '#src/sessions/entities/session.entity.js';

/** How often revocations made by other instances are picked up: SPEC §5 allows one second. */
const POLL_INTERVAL_MS = 500;
/**
 * Each poll re-reads the ids that appeared during this much of the past (measured on this instance only),
 * so a row whose id was assigned before a higher one but committed after it is still seen.
 */
const POLL_OVERLAP_MS = 5000;
/**
 * Kept this much past the recorded expiry: the token's `exp` is rounded to seconds from a clock read a moment
 * after the session's, and instances' clocks differ a little.
 */
const KEEP_SLACK_MS = 60_000;
/** Expired rows are deleted from the table this often. */
const CLEANUP_INTERVAL_MS = 3_600_000;
/** With Redis, revocations are also pushed here (under REDIS_PREFIX) so other instances learn at once. */
const CHANNEL = 'revocations';

/**
 * Answers "is this session revoked?" from memory, so the guard needs no
 * database query per request (SPEC §5). Revocations are an append-only
 * table: instances poll it twice a second for ids past the ones they have
 * seen, an order the database assigns, so neither a late commit nor the
 * revoking instance's clock can hide a row. Each row says how long it
 * matters (`keep_until`, the session's last access-token expiry), so a
 * restart with a shorter JWT_ACCESS_TTL forgets nothing still usable.
 * With Redis, revoked ids are also published and heard at once; the poll
 * stays the source of truth and covers a message lost while Redis was down.
 */
@Injectable()
export class RevocationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationService.name);
  /** Session id → until when it must be refused (epoch ms). */
  private readonly revoked = new Map<string, number>();
  /** The highest id seen, as of each recent poll: the oldest entry still within the overlap is where polls start. */
  private readonly cursors: { at: number; id: number }[] = [];
  private lastCleanup = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    @InjectRepository(Revocation) private readonly revocations: Repository<Revocation>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @Inject(jwtConfig.KEY) private readonly jwt: ConfigType<typeof jwtConfig>,
    private readonly redis: RedisService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.redis.subscribe(CHANNEL, (message) => this.heard(message));
    const now = this.clock.now();
    await this.cleanUp(now);
    // The cursor first: a row added between the two reads is then read again by the first poll, not lost.
    const cursor = Number((await this.revocations.maximum('id')) ?? 0);
    const live = await this.revocations.find({
      select: { sessionId: true, keepUntil: true },
      where: { keepUntil: MoreThan(now) },
    });
    this.remember(live);
    this.cursors.push({ at: now, id: cursor });
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  /**
   * Records the revocation for every instance and takes effect on this one at once; the others hear it
   * through Redis, or see it at their next poll. Call it after `sessions.revoked_at` is written.
   */
  async markRevoked(sessionIds: string[], at = this.clock.now()): Promise<void> {
    if (sessionIds.length === 0) {
      return;
    }
    const sessions = await this.sessions.find({
      select: { id: true, accessExpiresAt: true },
      where: { id: In(sessionIds) },
    });
    const issuedUntil = new Map(sessions.map((s) => [s.id, s.accessExpiresAt ?? 0]));
    // Whichever is later: the last token issued for the session, or one this instance would issue now. The
    // reuse grace is added because a grace answer issues an access token without writing the session.
    const rows = sessionIds.map((sessionId) => ({
      sessionId,
      revokedAt: at,
      keepUntil:
        Math.max(issuedUntil.get(sessionId) ?? 0, at + this.jwt.accessTtl * 1000) +
        this.jwt.refreshReuseGrace * 1000 +
        KEEP_SLACK_MS,
    }));
    this.remember(rows);
    await this.revocations.insert(rows);
    const message = JSON.stringify({ ids: sessionIds, until: Math.max(...rows.map((r) => r.keepUntil)) });
    this.redis.publish(CHANNEL, message).catch((e: Error) => {
      this.logger.warn(`revocation publish failed, other instances rely on their poll: ${e.message}`);
    });
  }

  private remember(rows: { sessionId: string; keepUntil: number }[]): void {
    for (const { sessionId, keepUntil } of rows) {
      this.revoked.set(sessionId, Math.max(keepUntil, this.revoked.get(sessionId) ?? 0));
    }
  }

  /** A message from another instance (or this one's own echo, which changes nothing). */
  private heard(message: string): void {
    try {
      const { ids, until } = JSON.parse(message) as { ids: unknown; until: unknown };
      if (Array.isArray(ids) && typeof until === 'number') {
        this.remember(
          ids
            .filter((id): id is string => typeof id === 'string')
            .map((sessionId) => ({ sessionId, keepUntil: until })),
        );
      }
    } catch {
      this.logger.warn('ignored a malformed revocation message');
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) {
      return;
    }
    this.polling = true;
    try {
      const now = this.clock.now();
      const rows = await this.revocations.find({
        select: { id: true, sessionId: true, keepUntil: true },
        where: { id: MoreThan(this.pollFrom(now)) },
      });
      this.remember(rows.filter((row) => row.keepUntil > now));
      const seen = rows.reduce((max, row) => Math.max(max, row.id), this.cursors[this.cursors.length - 1].id);
      this.cursors.push({ at: now, id: seen });
      this.prune(now);
      await this.cleanUp(now);
    } catch (e) {
      // Keep serving from memory; the next poll catches up (the outage itself is answered 503 elsewhere).
      this.logger.warn(`revocation poll failed: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  /** The highest id seen by the last poll at least POLL_OVERLAP_MS ago (or the first one, early on). */
  private pollFrom(now: number): number {
    while (this.cursors.length > 1 && this.cursors[1].at <= now - POLL_OVERLAP_MS) {
      this.cursors.shift();
    }
    return this.cursors[0].id;
  }

  private prune(now: number): void {
    for (const [id, until] of this.revoked) {
      if (until <= now) {
        this.revoked.delete(id);
      }
    }
  }

  /** Rows past keep_until protect nothing: every token they covered has expired. */
  private async cleanUp(now: number): Promise<void> {
    if (now - this.lastCleanup >= CLEANUP_INTERVAL_MS) {
      this.lastCleanup = now;
      await this.revocations.delete({ keepUntil: LessThan(now) });
    }
  }
}
