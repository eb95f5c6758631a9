import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Redis, type RedisOptions } from 'ioredis';
import redisConfig from '#src/redis/redis.config.js';

/** How long the start waits for a first connection; past it the instance starts anyway and readiness reports Redis down. */
const CONNECT_WAIT_MS = 3000;

/**
 * Commands fail at once while Redis is unreachable instead of queueing, so a
 * security decision that needs Redis is refused (fail closed, OWASP ASVS 5.0
 * V16.5.3 "fail securely") rather than left hanging.
 */
const COMMAND_OPTIONS: RedisOptions = {
  lazyConnect: false,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  commandTimeout: 1000,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
};

/** The subscriber queues its SUBSCRIBE until connected and re-subscribes after every reconnect. */
const SUBSCRIBER_OPTIONS: RedisOptions = {
  lazyConnect: false,
  enableOfflineQueue: true,
  maxRetriesPerRequest: null,
  connectTimeout: 2000,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
};

/**
 * The one shared ioredis connection (SPEC §2: shared state for several
 * instances), and a second one in subscriber mode created on first
 * `subscribe`. `client` is null when REDIS_URL is unset: callers then keep
 * their state in process.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis | null;
  readonly prefix: string;
  private subscriber: Redis | null = null;
  private readonly handlers = new Map<string, (message: string) => void>();

  constructor(@Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>) {
    this.prefix = config.prefix;
    this.client = config.url ? this.connect(config.url, COMMAND_OPTIONS, 'client') : null;
  }

  async onModuleInit(): Promise<void> {
    if (this.client && this.client.status !== 'ready') {
      await waitForReady(this.client, CONNECT_WAIT_MS);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([close(this.subscriber), close(this.client)]);
  }

  /** Rejects when Redis does not answer; never queues (see COMMAND_OPTIONS). */
  async ping(): Promise<void> {
    await this.client?.ping();
  }

  /** Publishes on `<prefix><channel>`; a no-op without Redis. */
  async publish(channel: string, message: string): Promise<void> {
    await this.client?.publish(this.prefix + channel, message);
  }

  /** Calls `onMessage` for each message on `<prefix><channel>`, from now on and after reconnects. */
  subscribe(channel: string, onMessage: (message: string) => void): void {
    if (!this.config.url) {
      return;
    }
    const name = this.prefix + channel;
    this.handlers.set(name, onMessage);
    if (!this.subscriber) {
      this.subscriber = this.connect(this.config.url, SUBSCRIBER_OPTIONS, 'subscriber');
      this.subscriber.on('message', (from: string, message: string) => this.handlers.get(from)?.(message));
    }
    this.subscriber.subscribe(name).catch((e: Error) => this.logger.warn(`subscribe ${name} failed: ${e.message}`));
  }

  /** Logs an outage once when it starts and once when it ends, not at every reconnect attempt. */
  private connect(url: string, options: RedisOptions, role: string): Redis {
    const redis = new Redis(url, options);
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
    return redis;
  }
}

function waitForReady(redis: Redis, ms: number): Promise<void> {
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
async function close(redis: Redis | null): Promise<void> {
  if (!redis) {
    return;
  }
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
