import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { Clock } from '#src/common/clock.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { RedisService } from '#src/redis/redis.service.js';
import type { UserProfileDto } from '#src/users/dto/user-profile.dto.js';

/** SPEC §10: a profile read from this cache is at most one second stale on an instance that did not write it. */
const TTL_MS = 1000;
/** Bounded: past this many users the least recently read one is dropped (about 0.5 KiB each). */
export const PROFILE_CACHE_MAX = 10_000;
/**
 * Changed user ids are pushed here (under REDIS_PREFIX), on the subscriber connection that carries revocations,
 * so other instances drop their copy at once; the TTL bounds the staleness while Redis is down.
 */
const CHANNEL = 'users';

interface Entry {
  profile: UserProfileDto;
  /** When it was read from the database (epoch ms, the injected clock). */
  at: number;
}

/**
 * `GET /users/me` without a query in the common case (issue 29, SPEC §10). UsersService, the one writer of
 * `users`, calls `changed()` after every write: the entry goes at once on this instance (never stale where the
 * write happened) and the ids are published to the others. A read that was under way while any change arrived is
 * not stored (`epoch`), so a row read before a write cannot be cached after the write's invalidation.
 */
@Injectable()
export class ProfileCache implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProfileCache.name);
  /** Insertion order is recency: a hit moves its entry to the end, the first entry is the least recent. */
  private readonly entries = new Map<number, Entry>();
  private epoch = 0;
  private readonly lookups: Pick<Counter<'outcome'>, 'inc'>;

  constructor(
    private readonly clock: Clock,
    // Absent in the command-line context (CliModule), which starts no Redis subscriber and no metrics: a command
    // only creates users, whom no instance has cached yet.
    @Optional() private readonly redis?: RedisService,
    @Optional() metrics?: MetricsService,
  ) {
    this.lookups = metrics?.counter({
      name: 'gatehouse_profile_cache_lookups_total',
      help: 'Profile reads (GET /users/me) by outcome: hit (answered from memory) or miss (read from the database).',
      labelNames: ['outcome'],
    }) ?? { inc: () => undefined };
  }

  onApplicationBootstrap(): void {
    this.redis?.subscribe(CHANNEL, (message) => this.heard(message));
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached profile, or undefined (a miss) when absent or older than the TTL. */
  get(id: number): UserProfileDto | undefined {
    const entry = this.entries.get(id);
    if (entry && this.clock.now() - entry.at < TTL_MS) {
      this.entries.delete(id);
      this.entries.set(id, entry);
      this.lookups.inc({ outcome: 'hit' });
      return entry.profile;
    }
    this.lookups.inc({ outcome: 'miss' });
    return undefined;
  }

  /** Marks the start of a database read; pass the answer to `set` with the profile read. */
  begin(): { epoch: number; at: number } {
    return { epoch: this.epoch, at: this.clock.now() };
  }

  /** Stores a profile read since `begin()`, unless a change was heard meanwhile. */
  set(id: number, profile: UserProfileDto, read: { epoch: number; at: number }): void {
    if (read.epoch !== this.epoch) {
      return;
    }
    this.entries.delete(id);
    this.entries.set(id, { profile, at: read.at });
    if (this.entries.size > PROFILE_CACHE_MAX) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  /** Call after a write to these users: dropped here at once, and announced to the other instances. */
  changed(...ids: number[]): void {
    this.forget(ids);
    this.redis?.publish(CHANNEL, JSON.stringify({ ids })).catch((e: Error) => {
      this.logger.warn(`profile change publish failed, other instances rely on the ${TTL_MS} ms TTL: ${e.message}`);
    });
  }

  private forget(ids: number[]): void {
    this.epoch++;
    for (const id of ids) {
      this.entries.delete(id);
    }
  }

  /** A message from another instance (or this one's echo, which only costs one cache refill). */
  private heard(message: string): void {
    try {
      const { ids } = JSON.parse(message) as { ids: unknown };
      if (Array.isArray(ids)) {
        this.forget(ids.filter((id): id is number => typeof id === 'number'));
      }
    } catch {
      this.logger.warn('ignored a malformed profile change message');
    }
  }
}
