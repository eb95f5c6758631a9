import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { availableParallelism } from 'node:os';
import { EnvDoc, validateConfig } from '#src/config/validate-config.js';

class PasswordEnv {
  @EnvDoc('Argon2id memory cost (64 MiB).', '65536')
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(4_194_304)
  ARGON2_MEMORY_KIB?: number;
  @EnvDoc('Argon2id iterations.', '3')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  ARGON2_TIME_COST?: number;
  @EnvDoc('Argon2id lanes.', '4')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  ARGON2_PARALLELISM?: number;
  @EnvDoc('Password hashes computed at once. Default: number of CPUs.')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(256)
  HASH_CONCURRENCY?: number;
  @EnvDoc('Hashes allowed to wait; beyond that login and register answer 503 with Retry-After.', '64')
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  HASH_QUEUE_MAX?: number;
  @EnvDoc(
    "Nice steps below the event loop for the process's other threads (the hashing threads, V8's helpers), so a login flood cannot starve request handling; Linux only, 0 leaves them alone.",
    '10',
  )
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(19)
  BACKGROUND_THREAD_NICE?: number;
}

export interface PasswordConfig {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
  hashConcurrency: number;
  hashQueueMax: number;
  backgroundThreadNice: number;
}

export default registerAs('password', (): PasswordConfig => {
  const env = validateConfig(process.env, PasswordEnv);
  return {
    // The seed's parameters; OWASP Password Storage Cheat Sheet lists m=19 MiB, t=2, p=1 as the floor.
    memoryKib: env.ARGON2_MEMORY_KIB ?? 65536,
    timeCost: env.ARGON2_TIME_COST ?? 3,
    parallelism: env.ARGON2_PARALLELISM ?? 4,
    hashConcurrency: env.HASH_CONCURRENCY ?? availableParallelism(),
    hashQueueMax: env.HASH_QUEUE_MAX ?? 64,
    backgroundThreadNice: env.BACKGROUND_THREAD_NICE ?? 10,
  };
});
