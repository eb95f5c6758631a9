import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { EnvDoc, validateConfig } from '#src/config/validate-config.js';

const RANGE = /^\d{1,10}-\d{1,10}$/;
const message = (name: string) => `${name} must be a range such as 8-14 (min-max, min ≤ max)`;

/** `users:import` only; the server never reads these, so they live beside the command (STYLE 12). */
class ImportEnv {
  @EnvDoc('users:import only: bcrypt costs an imported hash may carry (min-max); others are skipped.', '8-14')
  @IsOptional()
  @Matches(RANGE, { message: message('IMPORT_BCRYPT_COST') })
  IMPORT_BCRYPT_COST?: string;
  @EnvDoc('users:import only: Argon2 memory costs (KiB) an imported hash may carry (min-max).', '1024-1048576')
  @IsOptional()
  @Matches(RANGE, { message: message('IMPORT_ARGON2_MEMORY_KIB') })
  IMPORT_ARGON2_MEMORY_KIB?: string;
  @EnvDoc('users:import only: Argon2 time costs an imported hash may carry (min-max).', '1-10')
  @IsOptional()
  @Matches(RANGE, { message: message('IMPORT_ARGON2_TIME_COST') })
  IMPORT_ARGON2_TIME_COST?: string;
  @EnvDoc('users:import only: Argon2 parallelism an imported hash may carry (min-max).', '1-16')
  @IsOptional()
  @Matches(RANGE, { message: message('IMPORT_ARGON2_PARALLELISM') })
  IMPORT_ARGON2_PARALLELISM?: string;
}

export interface Range {
  min: number;
  max: number;
}

/** The hash costs an imported record may carry; others are skipped with a reason (SPEC §6). */
export interface ImportLimits {
  bcryptCost: Range;
  argon2MemoryKib: Range;
  argon2TimeCost: Range;
  argon2Parallelism: Range;
}

function range(name: string, value: string | undefined, fallback: Range): Range {
  if (value === undefined) {
    return fallback;
  }
  const [min, max] = value.split('-').map(Number);
  if (min > max) {
    throw new Error(`Invalid configuration:\n  ${message(name)}`);
  }
  return { min, max };
}

/**
 * Defaults from SPEC §6. Below the floor a stored hash is close to plaintext
 * for an offline attacker (OWASP Password Storage Cheat Sheet asks bcrypt 10+,
 * Argon2id m ≥ 19 MiB; what passes is rehashed at the next login); above the
 * ceiling (`$2b$31$`, m = 4 GiB) each login of that user is a denial of
 * service before that rehash can happen (OWASP ASVS 5.0 V6.2).
 */
export default registerAs('import', (): ImportLimits => {
  const env = validateConfig(process.env, ImportEnv);
  return {
    bcryptCost: range('IMPORT_BCRYPT_COST', env.IMPORT_BCRYPT_COST, { min: 8, max: 14 }),
    argon2MemoryKib: range('IMPORT_ARGON2_MEMORY_KIB', env.IMPORT_ARGON2_MEMORY_KIB, { min: 1024, max: 1_048_576 }),
    argon2TimeCost: range('IMPORT_ARGON2_TIME_COST', env.IMPORT_ARGON2_TIME_COST, { min: 1, max: 10 }),
    argon2Parallelism: range('IMPORT_ARGON2_PARALLELISM', env.IMPORT_ARGON2_PARALLELISM, { min: 1, max: 16 }),
  };
});
