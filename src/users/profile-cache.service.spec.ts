import { Clock } from '#src/common/clock.js';
import type { MetricsService } from '#src/metrics/metrics.service.js';
import { Counter, Registry } from 'prom-client';
import type { RedisService } from '#src/redis/redis.service.js';
import type { UserProfileDto } from '#src/users/dto/user-profile.dto.js';
import { PROFILE_CACHE_MAX, ProfileCache } from '#src/users/profile-cache.service.js';

/** Time that moves only when told, so a loaded machine cannot age an entry between two lines. */
class StoppedClock extends Clock {
  private at = 1_000_000;
  now(): number {
    return this.at;
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

const profile = (id: number, name = `user ${id}`) => ({ id, name }) as UserProfileDto;

/** Redis as the cache sees it: what was published, and the handler another instance's message would reach. */
class FakeFeed {
  published: string[] = [];
  handler: ((message: string) => void) | undefined;
  subscribe(_channel: string, onMessage: (message: string) => void): void {
    this.handler = onMessage;
  }
  publish(_channel: string, message: string): Promise<void> {
    this.published.push(message);
    return Promise.resolve();
  }
}

describe(ProfileCache.name, () => {
  let clock: StoppedClock;
  let feed: FakeFeed;
  let registry: Registry;
  let cache: ProfileCache;
  const count = async (outcome: string) =>
    (await registry.metrics()).match(
      new RegExp(`gatehouse_profile_cache_lookups_total\\{outcome="${outcome}"\\} (\\d+)`),
    )?.[1];

  beforeEach(() => {
    clock = new StoppedClock();
    feed = new FakeFeed();
    registry = new Registry();
    // MetricsService.counter() as it is: a prom-client counter on the app's registry.
    const metrics = {
      counter: (config: object) => new Counter({ ...config, registers: [registry] } as never),
    } as unknown as MetricsService;
    cache = new ProfileCache(clock, feed as unknown as RedisService, metrics);
    cache.onApplicationBootstrap();
  });

  it('answers a stored profile for one second of the injected clock, counting hits and misses', async () => {
    expect(cache.get(1)).toBeUndefined();
    cache.set(1, profile(1), cache.begin());
    expect(cache.get(1)).toEqual(profile(1));
    clock.advance(999);
    expect(cache.get(1)).toEqual(profile(1));
    clock.advance(1);
    expect(cache.get(1)).toBeUndefined();
    expect(await count('hit')).toBe('2');
    expect(await count('miss')).toBe('2');
  });

  it('drops a changed user at once and publishes its id', () => {
    cache.set(1, profile(1), cache.begin());
    cache.set(2, profile(2), cache.begin());
    cache.changed(1);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toEqual(profile(2));
    expect(feed.published).toEqual([JSON.stringify({ ids: [1] })]);
  });

  it('drops what another instance announces, and ignores a malformed message', () => {
    cache.set(1, profile(1), cache.begin());
    cache.set(2, profile(2), cache.begin());
    feed.handler!('not json');
    feed.handler!(JSON.stringify({ ids: ['2'] }));
    expect(cache.get(2)).toEqual(profile(2));
    feed.handler!(JSON.stringify({ ids: [1] }));
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toEqual(profile(2));
  });

  it('does not store a read that was under way while a change arrived', () => {
    const read = cache.begin();
    cache.changed(1);
    cache.set(1, profile(1, 'before the write'), read);
    expect(cache.get(1)).toBeUndefined();
    const again = cache.begin();
    feed.handler!(JSON.stringify({ ids: [7] }));
    cache.set(1, profile(1, 'before a remote write'), again);
    expect(cache.get(1)).toBeUndefined();
  });

  it('keeps at most PROFILE_CACHE_MAX users, dropping the least recently read', () => {
    for (let id = 1; id <= PROFILE_CACHE_MAX; id++) {
      cache.set(id, profile(id), cache.begin());
    }
    expect(cache.get(1)).toEqual(profile(1));
    cache.set(PROFILE_CACHE_MAX + 1, profile(PROFILE_CACHE_MAX + 1), cache.begin());
    expect(cache.size).toBe(PROFILE_CACHE_MAX);
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toEqual(profile(1));
    expect(cache.get(PROFILE_CACHE_MAX + 1)).toEqual(profile(PROFILE_CACHE_MAX + 1));
  });
});
