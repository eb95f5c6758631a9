import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { isDuration, parseDurationSeconds } from '#src/config/duration.js';
import redisConfig from '#src/redis/redis.config.js';
import { documentEnvPattern, EnvDoc, IsDuration, validateConfig } from '#src/config/validate-config.js';

const MAX_POINTS = 1_000_000;

class ThrottleEnv {
  @EnvDoc('Consecutive failed logins for one account from one IP before a lockout.', '5')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  THROTTLE_LOGIN_ACCOUNT_IP_MAX?: number;
  @EnvDoc('How long those failures are remembered.', '24h')
  @IsOptional()
  @IsDuration()
  THROTTLE_LOGIN_ACCOUNT_IP_WINDOW?: string;
  @EnvDoc('First lockout; each further one doubles it.', '60s')
  @IsOptional()
  @IsDuration()
  THROTTLE_LOGIN_LOCKOUT?: string;
  @EnvDoc('Longest lockout.', '15m')
  @IsOptional()
  @IsDuration()
  THROTTLE_LOGIN_LOCKOUT_MAX?: string;
  @EnvDoc('Failed logins for one account from all IPs: the number allowed.', '50')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  THROTTLE_LOGIN_ACCOUNT_MAX?: number;
  @EnvDoc('Failed logins for one account from all IPs: the window they are counted in.', '1h')
  @IsOptional()
  @IsDuration()
  THROTTLE_LOGIN_ACCOUNT_WINDOW?: string;
  @EnvDoc('Failed logins from one IP across all accounts (credential stuffing): the number allowed.', '30')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  THROTTLE_LOGIN_IP_MAX?: number;
  @EnvDoc('Failed logins from one IP across all accounts (credential stuffing): the window they are counted in.', '1m')
  @IsOptional()
  @IsDuration()
  THROTTLE_LOGIN_IP_WINDOW?: string;
  @EnvDoc('Refreshes from one IP: the number allowed.', '300')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  THROTTLE_REFRESH_MAX?: number;
  @EnvDoc('Refreshes from one IP: the window they are counted in.', '1m')
  @IsOptional()
  @IsDuration()
  THROTTLE_REFRESH_WINDOW?: string;
  @EnvDoc('Registrations from one IP: the number allowed.', '20')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  THROTTLE_REGISTER_MAX?: number;
  @EnvDoc('Registrations from one IP: the window they are counted in.', '1h')
  @IsOptional()
  @IsDuration()
  THROTTLE_REGISTER_WINDOW?: string;
  @EnvDoc('MFA code attempts per account: the number allowed.', '5')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_POINTS)
  THROTTLE_MFA_MAX?: number;
  @EnvDoc('MFA code attempts per account: the window they are counted in.', '5m')
  @IsOptional()
  @IsDuration()
  THROTTLE_MFA_WINDOW?: string;
  @EnvDoc('How long a login beyond the account+IP budget waits for the checks in flight before a 429.', '10s')
  @IsOptional()
  @IsDuration()
  THROTTLE_LOGIN_WAIT?: string;
  @EnvDoc(
    'Keys each in-process counter store keeps (least recently used dropped first); unused with REDIS_URL.',
    '100000',
  )
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(100_000_000)
  THROTTLE_MEMORY_MAX_KEYS?: number;
}

/** A budget of `max` attempts per `window` seconds. */
export interface ThrottleLimit {
  max: number;
  window: number;
}

/**
 * Where the counters live: in process, or in Redis (one, or a cluster) under REDIS_PREFIX when
 * REDIS_URL or REDIS_CLUSTER_NODES is set, so every instance counts against the same budgets (SPEC §7).
 */
export type ThrottleStore = { type: 'memory' } | { type: 'redis'; prefix: string };

export interface ThrottleConfig {
  store: ThrottleStore;
  /** Consecutive failures for one identifier from one IP before a lockout; `window` is how long they are remembered. */
  loginAccountIp: ThrottleLimit;
  /** First lockout in seconds; each further lockout doubles it, up to `lockoutMax`. */
  lockout: number;
  lockoutMax: number;
  /** Failures for one identifier from every IP. */
  loginAccount: ThrottleLimit;
  /** Failed logins from one IP across every identifier. */
  loginIp: ThrottleLimit;
  /** Refreshes from one IP. */
  refresh: ThrottleLimit;
  /** Registrations from one IP. */
  register: ThrottleLimit;
  /** MFA code attempts for one challenge key. */
  mfa: ThrottleLimit;
  /** Seconds an attempt beyond the account+IP budget waits for the checks in flight before it is refused. */
  loginWait: number;
  /** Keys each in-memory store keeps at most (least recently used go first). */
  memoryMaxKeys: number;
  /** Named route limits overridden from the environment: `RATE_LIMIT_REPORT_EXPORT=10/1m` → `report_export`. */
  rateLimits: Record<string, ThrottleLimit>;
}

type Env = Record<string, string | number | undefined>;

/** Reads `<prefix>_MAX` and `<prefix>_WINDOW`; a zero window would never reset, so it is refused. */
function limit(env: Env, prefix: string, defaults: [number, string]): ThrottleLimit {
  const window = parseDurationSeconds(String(env[`${prefix}_WINDOW`] ?? defaults[1]));
  if (window < 1) {
    throw new Error(`Invalid configuration:\n  ${prefix}_WINDOW: must be at least 1s`);
  }
  return { max: (env[`${prefix}_MAX`] as number | undefined) ?? defaults[0], window };
}

/** Empty values count as unset, so a test can return a variable to its default. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

const RATE_LIMIT = /^(\d+)\/(.+)$/;

documentEnvPattern(
  'ThrottleEnv',
  'RATE_LIMIT_REPORT_EXPORT',
  'Any RATE_LIMIT_<NAME>: overrides a named @RateLimit route limit, as <points>/<duration>. Default: the limit in code.',
  '20/1m',
);

/** `RATE_LIMIT_<NAME>=<points>/<duration>`: a named @RateLimit's budget, set without a code change. */
function rateLimits(env: NodeJS.ProcessEnv): Record<string, ThrottleLimit> {
  const limits: Record<string, ThrottleLimit> = {};
  const errors: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('RATE_LIMIT_') || value === undefined) {
      continue;
    }
    const match = RATE_LIMIT.exec(value.trim());
    const max = match ? Number(match[1]) : 0;
    const window = match && isDuration(match[2]) ? parseDurationSeconds(match[2]) : 0;
    if (max < 1 || max > MAX_POINTS || window < 1) {
      errors.push(`  ${key}: must be <points>/<duration>, such as 10/1m`);
      continue;
    }
    limits[key.slice('RATE_LIMIT_'.length).toLowerCase()] = { max, window };
  }
  if (errors.length > 0) {
    throw new Error(`Invalid configuration:\n${errors.join('\n')}`);
  }
  return limits;
}

export default registerAs('throttle', (): ThrottleConfig => {
  const env = validateConfig(withoutEmpty(process.env), ThrottleEnv) as Env & ThrottleEnv;
  const lockout = parseDurationSeconds(env.THROTTLE_LOGIN_LOCKOUT ?? '60s');
  const lockoutMax = parseDurationSeconds(env.THROTTLE_LOGIN_LOCKOUT_MAX ?? '15m');
  if (lockout < 1 || lockoutMax < lockout) {
    throw new Error(
      'Invalid configuration:\n  THROTTLE_LOGIN_LOCKOUT_MAX: must be at least THROTTLE_LOGIN_LOCKOUT, which must be at least 1s',
    );
  }
  const redis = redisConfig();
  return {
    store: redis.target ? { type: 'redis', prefix: redis.prefix } : { type: 'memory' },
    // SPEC §7 defaults; OWASP Authentication Cheat Sheet "Account Lockout": lock per account, expire the lock.
    loginAccountIp: limit(env, 'THROTTLE_LOGIN_ACCOUNT_IP', [5, '24h']),
    lockout,
    lockoutMax,
    loginAccount: limit(env, 'THROTTLE_LOGIN_ACCOUNT', [50, '1h']),
    loginIp: limit(env, 'THROTTLE_LOGIN_IP', [30, '1m']),
    refresh: limit(env, 'THROTTLE_REFRESH', [300, '1m']),
    register: limit(env, 'THROTTLE_REGISTER', [20, '1h']),
    mfa: limit(env, 'THROTTLE_MFA', [5, '5m']),
    loginWait: parseDurationSeconds(env.THROTTLE_LOGIN_WAIT ?? '10s'),
    memoryMaxKeys: env.THROTTLE_MEMORY_MAX_KEYS ?? 100_000,
    rateLimits: rateLimits(withoutEmpty(process.env)),
  };
});
