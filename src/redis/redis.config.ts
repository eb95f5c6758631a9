import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { EnvDoc, validateConfig } from '#src/config/validate-config.js';

class RedisEnv {
  @EnvDoc(
    'redis://[user:pass@]host:6379[/db] or rediss:// (TLS). Set it when running several instances: throttling counters are shared and revocations are pushed to every instance at once. Default: unset (in process).',
  )
  @IsOptional()
  @Matches(/^rediss?:\/\/[^\s]+$/, {
    message: 'REDIS_URL must be redis://[user:pass@]host:port[/db] or rediss:// for TLS',
  })
  REDIS_URL?: string;
  @EnvDoc('Starts every Redis key and channel name, so deployments can share one Redis.', 'gatehouse:')
  @IsOptional()
  @Matches(/^[A-Za-z0-9:_.{}-]{1,64}$/, {
    message: 'REDIS_PREFIX must be 1-64 characters of letters, digits and : _ . - { }',
  })
  REDIS_PREFIX?: string;
}

export interface RedisConfig {
  /** Shared state for several instances (SPEC §2); null keeps counters in process and Redis unused. */
  url: string | null;
  /** Starts every key and channel name, so several deployments can share one Redis. */
  prefix: string;
}

export default registerAs('redis', (): RedisConfig => {
  // Empty counts as unset, so a test (or an env file) can switch Redis off again.
  const { REDIS_URL, REDIS_PREFIX } = process.env;
  const env = validateConfig({ REDIS_URL: REDIS_URL || undefined, REDIS_PREFIX: REDIS_PREFIX || undefined }, RedisEnv);
  return { url: env.REDIS_URL ?? null, prefix: env.REDIS_PREFIX ?? 'gatehouse:' };
});
