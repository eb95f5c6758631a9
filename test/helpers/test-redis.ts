import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A key prefix of its own on the test Redis for one test file, so parallel files and runs never share counters. */
export interface TestRedis {
  /** The REDIS_URL the apps are started with. */
  url: string;
  /** The REDIS_PREFIX the apps are started with. */
  prefix: string;
  /** `{ REDIS_URL, REDIS_PREFIX }`, to spread into an app's environment. */
  env: { REDIS_URL: string; REDIS_PREFIX: string };
  /** A connection of the test's own to the test Redis (closed by drop()). */
  client(): Redis;
  /**
   * Subscribes to `channel` under the prefix (`revocations`, `users`) and answers the first message published there
   * after the subscription took effect; `close()` ends the subscription.
   */
  listen(channel: string): Promise<{ heard: Promise<string>; close(): Promise<void> }>;
  /** Every key under the prefix. */
  keys(): Promise<string[]>;
  /** Deletes every key under the prefix and closes the helper's connections. */
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
  const clients: Redis[] = [];
  return {
    url: TEST_REDIS_URL,
    prefix,
    env: { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix },
    keys,
    client() {
      const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
      clients.push(client);
      return client;
    },
    async listen(channel) {
      const listener = new Redis(TEST_REDIS_URL);
      const heard = new Promise<string>((resolve) => listener.once('message', (_channel, message) => resolve(message)));
      await listener.subscribe(`${prefix}${channel}`);
      return { heard, close: async () => void (await listener.quit()) };
    },
    async drop() {
      const found = await keys();
      if (found.length > 0) {
        await redis.del(...found);
      }
      await redis.quit();
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
}
