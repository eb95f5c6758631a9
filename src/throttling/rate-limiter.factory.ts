import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import type { ThrottleStore } from '#src/throttling/throttle.config.js';

export interface LimiterOptions {
  /** Namespaces the keys of one limiter within a shared store. */
  keyPrefix: string;
  points: number;
  /** Seconds; the window starts at a key's first point. */
  duration: number;
}

/** Every limiter method that reaches the store. */
const STORE_CALLS = new Set<PropertyKey>(['consume', 'penalty', 'reward', 'get', 'set', 'block', 'delete']);

/**
 * The one place a store is chosen, so every limiter follows the configuration.
 * Redis (SPEC §7: shared counters for several instances) runs each update as
 * one Lua script, so counts stay exact when instances race.
 */
export function createRateLimiter(
  store: ThrottleStore,
  options: LimiterOptions,
  redis: Redis | null = null,
): RateLimiterAbstract {
  switch (store.type) {
    case 'memory':
      return new RateLimiterMemory(options);
    case 'redis':
      if (!redis) {
        throw new Error('The Redis throttle store needs a Redis client');
      }
      return failClosed(
        new RateLimiterRedis({
          ...options,
          storeClient: redis,
          keyPrefix: store.prefix + options.keyPrefix,
          useRedisPackage: false,
        }),
      );
  }
}

/**
 * A store error becomes 503 SERVICE_UNAVAILABLE: with the counters out of
 * reach an attempt is refused, never let through unthrottled (fail closed,
 * OWASP ASVS 5.0 V16.5.3; no in-memory `insuranceLimiter`, whose per-instance
 * budgets would multiply the limits by the number of instances).
 */
function failClosed(limiter: RateLimiterAbstract): RateLimiterAbstract {
  return new Proxy(limiter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !STORE_CALLS.has(property)) {
        return value;
      }
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((e: unknown) => {
          if (e instanceof RateLimiterRes) {
            throw e;
          }
          throw new AppException(
            ErrorCode.SERVICE_UNAVAILABLE,
            'The service is temporarily unavailable, retry shortly',
            {
              retryAfter: 5,
            },
          );
        });
    },
  });
}
