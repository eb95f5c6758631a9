import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { availableParallelism } from 'node:os';
import { validateConfig } from '#src/config/validate-config.js';

class PasswordEnv {
  @IsOptional() @IsInt() @Min(1024) @Max(4_194_304) ARGON2_MEMORY_KIB?: number;
  @IsOptional() @IsInt() @Min(1) @Max(64) ARGON2_TIME_COST?: number;
  @IsOptional() @IsInt() @Min(1) @Max(64) ARGON2_PARALLELISM?: number;
  @IsOptional() @IsInt() @Min(1) @Max(256) HASH_CONCURRENCY?: number;
  @IsOptional() @IsInt() @Min(0) @Max(100_000) HASH_QUEUE_MAX?: number;
}

export interface PasswordConfig {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
  hashConcurrency: number;
  hashQueueMax: number;
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
  };
});
