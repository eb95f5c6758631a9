import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Cluster, type Redis } from 'ioredis';
import redisConfig, { type RedisTarget } from '#src/redis/redis.config.js';
import { createRedisClient, mastersOf, type RedisClient, type RedisRole } from '#src/redis/redis-client.js';

/** How long the start waits for a first connection; past it the instance starts anyway and readiness reports Redis down. */
const CONNECT_WAIT_MS = 3000;

/**
 * The one shared ioredis connection (SPEC §2: shared state for several
 * instances), and a second one in subscriber mode created on first
 * `subscribe`; each is one Redis or a Redis Cluster (SPEC §18), made by
 * `createRedisClient`. `client` is null when neither REDIS_URL nor
 * REDIS_CLUSTER_NODES is set: callers then keep their state in process.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: RedisClient | null;
  readonly prefix: string;
  private subscriber: RedisClient | null = null;
  private readonly handlers = new Map<string, (message: string) => void>();

  constructor(@Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>) {
    this.prefix = config.prefix;
    this.client = config.target ? this.connect(config.target, 'commands') : null;
  }

  async onModuleInit(): Promise<void> {
    if (this.client && this.client.status !== 'ready') {
      await waitForReady(this.client, CONNECT_WAIT_MS);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([close(this.subscriber), close(this.client)]);
  }

  /**
   * Rejects when Redis does not answer; never queues (see createRedisClient). A cluster is up when it says so
   * (`cluster_state:ok`: every slot served) and every master this instance knows answers.
   */
  async ping(): Promise<void> {
    const client = this.client;
    if (!(client instanceof Cluster)) {
      await client?.ping();
      return;
    }
    const info = await client.cluster('INFO');
    if (!/^cluster_state:ok\b/m.test(info)) {
      throw new Error('the Redis Cluster reports cluster_state:fail');
    }
    await Promise.all(mastersOf(client).map((master) => master.ping()));
  }

  /** The connections to every master (the client itself for one Redis), for commands that must reach all of them. */
  masters(): ReturnType<typeof mastersOf> {
    return this.client ? mastersOf(this.client) : [];
  }

  /** Publishes on `<prefix><channel>`; a no-op without Redis. */
  async publish(channel: string, message: string): Promise<void> {
    await this.client?.publish(this.prefix + channel, message);
  }

  /** Calls `onMessage` for each message on `<prefix><channel>`, from now on and after reconnects. */
  subscribe(channel: string, onMessage: (message: string) => void): void {
    const target = this.config.target;
    if (!target) {
      return;
    }
    const name = this.prefix + channel;
    this.handlers.set(name, onMessage);
    if (!this.subscriber) {
      this.subscriber = this.connect(target, 'subscriber');
      this.subscriber.on('message', (from: string, message: string) => this.handlers.get(from)?.(message));
    }
    this.subscriber.subscribe(name).catch((e: Error) => this.logger.warn(`subscribe ${name} failed: ${e.message}`));
  }

  /**
   * Logs an outage once when it starts and once when it ends, not at every reconnect attempt. In a cluster a lost
   * master is a `node error` (the cluster itself stays up): logged once per node until a connection to it is ready.
   */
  private connect(target: RedisTarget, role: RedisRole): RedisClient {
    const redis = createRedisClient(target, role);
    let down = false;
    redis.on('error', (e: Error) => {
      if (!down) {
        down = true;
        this.logger.warn(`Redis ${role} unavailable: ${e.message}`);
      }
    });
    redis.on('ready', () => {
      if (down) {
        down = false;
        this.logger.log(`Redis ${role} reconnected`);
      }
    });
    if (redis instanceof Cluster) {
      const lost = new Set<string>();
      redis.on('node error', (e: Error, node: string) => {
        if (!lost.has(node)) {
          lost.add(node);
          this.logger.warn(`Redis Cluster node ${node} unavailable (${role}): ${e.message}`);
        }
      });
      // A redirection to a lost node opens a connection to it each time: only one that gets ready ends the outage.
      redis.on('+node', (connection: Redis) => {
        const node = `${connection.options.host}:${connection.options.port}`;
        connection.once('ready', () => {
          if (lost.delete(node)) {
            this.logger.log(`Redis Cluster node ${node} reconnected (${role})`);
          }
        });
      });
    }
    return redis;
  }
}

function waitForReady(redis: RedisClient, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}

/** QUIT lets replies in flight arrive; when Redis is unreachable there is nothing to wait for. */
async function close(redis: RedisClient | null): Promise<void> {
  if (!redis) {
    return;
  }
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
