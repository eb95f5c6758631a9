import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThanOrEqual, Repository } from 'typeorm';
import jwtConfig from '#src/config/jwt.config.js';
import { RedisService } from '#src/redis/redis.service.js';
import { Session } from '#src/sessions/entities/session.entity.js';

/** How often revocations made by other instances are picked up: SPEC §5 allows one second. */
const POLL_INTERVAL_MS = 500;
/** Re-read a little of the past on each poll, for rows committed late or clocks slightly apart. */
const POLL_OVERLAP_MS = 5000;
/** With Redis, revocations are also pushed here (under REDIS_PREFIX) so other instances learn at once. */
const CHANNEL = 'revocations';

/**
 * Answers "is this session revoked?" from memory, so the guard needs no
 * database query per request. The set is loaded at start (revocation
 * survives a restart) and refreshed twice a second from `sessions.revoked_at`
 * (a revocation on another instance is felt within a second). Entries older
 * than the access-token lifetime are dropped: their tokens have expired.
 * With Redis, revoked ids are also published and heard at once; the poll
 * stays the source of truth and covers a message lost while Redis was down.
 */
@Injectable()
export class RevocationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationService.name);
  private readonly revoked = new Map<string, number>();
  private lastPoll = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @Inject(jwtConfig.KEY) private readonly jwt: ConfigType<typeof jwtConfig>,
    private readonly redis: RedisService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.redis.subscribe(CHANNEL, (message) => this.heard(message));
    await this.load(Date.now() - this.jwt.accessTtl * 1000);
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  /** Takes effect on this instance at once; the others hear it through Redis, or see it at their next poll. */
  markRevoked(sessionIds: string[], at = Date.now()): void {
    this.remember(sessionIds, at);
    this.redis.publish(CHANNEL, JSON.stringify({ ids: sessionIds, at })).catch((e: Error) => {
      this.logger.warn(`revocation publish failed, other instances rely on their poll: ${e.message}`);
    });
  }

  private remember(sessionIds: string[], at: number): void {
    for (const id of sessionIds) {
      this.revoked.set(id, at);
    }
  }

  /** A message from another instance (or this one's own echo, which changes nothing). */
  private heard(message: string): void {
    try {
      const { ids, at } = JSON.parse(message) as { ids: unknown; at: unknown };
      if (Array.isArray(ids) && typeof at === 'number') {
        this.remember(
          ids.filter((id): id is string => typeof id === 'string'),
          at,
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
      await this.load(this.lastPoll - POLL_OVERLAP_MS);
      this.prune();
    } catch (e) {
      // Keep serving from memory; the next poll catches up (the outage itself is answered 503 elsewhere).
      this.logger.warn(`revocation poll failed: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private async load(since: number): Promise<void> {
    const started = Date.now();
    const rows = await this.sessions.find({
      select: { id: true, revokedAt: true },
      where: { revokedAt: MoreThanOrEqual(since) },
    });
    for (const row of rows) {
      this.revoked.set(row.id, row.revokedAt!);
    }
    this.lastPoll = started;
  }

  private prune(): void {
    const horizon = Date.now() - this.jwt.accessTtl * 1000 - POLL_OVERLAP_MS;
    for (const [id, at] of this.revoked) {
      if (at < horizon) {
        this.revoked.delete(id);
      }
    }
  }
}
