import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '#src/redis/redis.config.js';

/** One Redis or a Redis Cluster: both answer the commands Gatehouse sends (single-key ones, PUBLISH, SUBSCRIBE). */
export type RedisClient = Redis | Cluster;

/**
 * `commands` fail at once while Redis is unreachable instead of queueing, so a security decision that needs Redis is
 * refused (fail closed, OWASP ASVS 5.0 V16.5.3 "fail securely") rather than left hanging. The `subscriber` queues its
 * SUBSCRIBE until connected and re-subscribes after every reconnect.
 */
export type RedisRole = 'commands' | 'subscriber';

const BACKOFF = (attempt: number) => Math.min(attempt * 200, 2000);

const OPTIONS: Record<RedisRole, RedisOptions> = {
  commands: {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: BACKOFF,
  },
  subscriber: {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    connectTimeout: 2000,
    retryStrategy: BACKOFF,
  },
};

/**
 * The cluster's own settings on top of each node's. Without the offline queue a command sent while the cluster is
 * not ready (no slot map yet, or every node lost) is refused at once. A CLUSTERDOWN answer (a master lost and its
 * slots unserved) is retried every 100 ms for at most `maxRedirections` tries, then refused: about 1.6 s, within
 * which a master that only restarted is usually back. A lost node is not redialled on its own; the next command for
 * its slots is redirected there again once the cluster reports it up (ioredis's default, which follows failovers).
 */
function clusterOptions(role: RedisRole, target: Extract<RedisTarget, { type: 'cluster' }>): ClusterOptions {
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...node } = OPTIONS[role];
  return {
    lazyConnect,
    enableOfflineQueue,
    clusterRetryStrategy: retryStrategy ?? BACKOFF,
    retryDelayOnClusterDown: 100,
    retryDelayOnFailover: 100,
    maxRedirections: 16,
    slotsRefreshTimeout: 2000,
    redisOptions: {
      ...node,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
    },
  };
}

/**
 * The one place a Redis connection is made (SPEC §18: one Redis or a Redis Cluster). A cluster's subscriber is a
 * Cluster of its own, as a subscribed connection can send nothing else; ioredis moves its subscriptions to another
 * node when the one it listens on goes away, and a PUBLISH on any master reaches every node's subscribers.
 */
export function createRedisClient(target: RedisTarget, role: RedisRole): RedisClient {
  if (target.type === 'single') {
    return new Redis(target.url, OPTIONS[role]);
  }
  return new Cluster(target.nodes, clusterOptions(role, target));
}

/**
 * The connections to every master: one Redis is its own only master. Anything that must see every key (SCAN) or
 * every server's settings (INFO) asks each of them, since in a cluster each master holds only its own slots.
 */
export function mastersOf(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
