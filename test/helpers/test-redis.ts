import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A key prefix of its own on the test Redis for one test file, so parallel files and runs never share counters. */
export interface TestRedis {
  /** The REDIS_URL the apps are started with. */
  url: string;
  /** The REDIS_PREFIX the apps are started with. */
  prefix: string;
  /** Every key under the prefix. */
  keys(): Promise<string[]>;
  /** Deletes every key under the prefix and closes the helper's connection. */
  drop(): Promise<void>;
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export function createTestRedis(): TestRedis {
  const prefix = `gatehouse-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const keys = async () => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };
  return {
    url: TEST_REDIS_URL,
    prefix,
    keys,
    async drop() {
      const found = await keys();
      if (found.length > 0) {
        await redis.del(...found);
      }
      await redis.quit();
    },
  };
}
