import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import appConfig from '#src/config/app.config.js';
import { loadDevSecrets } from '#src/config/dev-secrets.js';
import { ASYMMETRIC_ALGORITHMS, type AsymmetricAlgorithm, type JwtKeySet, loadJwtKeys } from '#src/config/jwt-keys.js';
import { parseDurationSeconds } from '#src/config/duration.js';
import { assertStrongSecrets } from '#src/config/secret-strength.js';
import { ConfigError, type ConfigProblem } from '#src/config/config-report.js';
import { EnvDoc, IsDuration, validateConfig } from '#src/config/validate-config.js';

const SECRET_MIN_BYTES = 32;
const SECRET_NAMES = ['JWT_ACCESS_SECRET', 'JWT_REFRESH_SECRET'] as const;

class JwtEnv {
  @EnvDoc('HS256 key for access tokens, at least 32 bytes. Required in production. Default: generated (dev only).')
  // RFC 7518 §3.2: an HS256 key must be at least as long as the hash output (32 bytes).
  @IsOptional()
  @IsString()
  @MinLength(SECRET_MIN_BYTES)
  JWT_ACCESS_SECRET?: string;
  @EnvDoc(
    'HS256 key for refresh tokens, at least 32 bytes, different from the access secret. Required in production. Default: generated (dev only).',
  )
  @IsOptional()
  @IsString()
  @MinLength(SECRET_MIN_BYTES)
  JWT_REFRESH_SECRET?: string;
  @EnvDoc(
    'HS256 with the two secrets above, or RS256, ES256 with key files (public keys published at /.well-known/jwks.json).',
    'HS256',
  )
  @IsOptional()
  @IsIn(['HS256', ...ASYMMETRIC_ALGORITHMS], {
    // SPEC §1: no hand-written JOSE code, so an algorithm jsonwebtoken (under @nestjs/jwt) cannot sign is not offered.
    message: 'JWT_ALGORITHM must be HS256, RS256 or ES256 (EdDSA is not supported by @nestjs/jwt)',
  })
  JWT_ALGORITHM?: JwtAlgorithm;
  @EnvDoc(
    "Asymmetric algorithms: a directory of <kid>.pem files; the active kid's holds the private key, the others are retired keys that keep verifying. Default: unset.",
  )
  @IsOptional()
  @IsString()
  JWT_KEYS_DIR?: string;
  @EnvDoc('Asymmetric algorithms: the kid that signs new tokens. Default: unset.')
  @IsOptional()
  @IsString()
  JWT_ACTIVE_KID?: string;
  @EnvDoc('Access token lifetime.', '24h')
  @IsOptional()
  @IsDuration()
  JWT_ACCESS_TTL?: string;
  @EnvDoc('Refresh token lifetime; each refresh slides the session by this much.', '7d')
  @IsOptional()
  @IsDuration()
  JWT_REFRESH_TTL?: string;
  @EnvDoc('Absolute session lifetime from login; refreshes never extend past it.', '30d')
  @IsOptional()
  @IsDuration()
  SESSION_MAX_AGE?: string;
  @EnvDoc(
    "How long a rotated refresh token still returns the session's current token (concurrent tabs, retries); after it, reuse revokes the session.",
    '10s',
  )
  @IsOptional()
  @IsDuration()
  REFRESH_REUSE_GRACE?: string;
  @EnvDoc(
    'A sensitive change (contact change) by an account without a password needs a session opened this recently (401 REAUTH_REQUIRED after).',
    '5m',
  )
  @IsOptional()
  @IsDuration()
  REAUTH_WINDOW?: string;
  @EnvDoc('iss claim, required on verification.', 'gatehouse')
  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;
  @EnvDoc('aud claim, required on verification.', 'gatehouse')
  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;
}

export type JwtAlgorithm = 'HS256' | AsymmetricAlgorithm;

export interface JwtConfig {
  algorithm: JwtAlgorithm;
  /** Asymmetric algorithms only: the signing key and the public keys, current and retired, by kid. */
  keys?: JwtKeySet;
  accessSecret: string;
  refreshSecret: string;
  /** Seconds. */
  accessTtl: number;
  refreshTtl: number;
  sessionMaxAge: number;
  /** Seconds a session counts as a recent authentication (SPEC §3 `REAUTH_REQUIRED`). */
  reauthWindow: number;
  refreshReuseGrace: number;
  issuer: string;
  audience: string;
}

function secrets(env: JwtEnv): { access: string; refresh: string } {
  const { env: nodeEnv, dataDir } = appConfig();
  const missing = SECRET_NAMES.filter((name) => !env[name]);
  if (missing.length > 0 && nodeEnv === 'production') {
    throw new Error(
      `Invalid configuration:\n${missing.map((name) => `  ${name}: required in production, at least ${SECRET_MIN_BYTES} bytes`).join('\n')}`,
    );
  }
  const generated = missing.length > 0 ? loadDevSecrets(dataDir, [...missing]) : {};
  return {
    access: env.JWT_ACCESS_SECRET ?? generated.JWT_ACCESS_SECRET,
    refresh: env.JWT_REFRESH_SECRET ?? generated.JWT_REFRESH_SECRET,
  };
}

/**
 * A refresh token outliving its session, or an access token outliving the refresh token that renews it, would
 * be a lifetime nobody chose (RFC 9700 §4.14.2: refresh tokens expire with the grant they belong to).
 */
function assertLifetimesOrdered(accessTtl: number, refreshTtl: number, sessionMaxAge: number): void {
  const problems: ConfigProblem[] = [];
  if (refreshTtl < accessTtl) {
    problems.push({ variable: 'JWT_REFRESH_TTL', rule: `must be at least JWT_ACCESS_TTL (${accessTtl}s)` });
  }
  if (sessionMaxAge < refreshTtl) {
    problems.push({ variable: 'SESSION_MAX_AGE', rule: `must be at least JWT_REFRESH_TTL (${refreshTtl}s)` });
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
}

export default registerAs('jwt', (): JwtConfig => {
  const env = validateConfig(process.env, JwtEnv);
  const { access, refresh } = secrets(env);
  assertStrongSecrets(appConfig().env, { JWT_ACCESS_SECRET: access, JWT_REFRESH_SECRET: refresh });
  if (access === refresh) {
    throw new Error('Invalid configuration:\n  JWT_REFRESH_SECRET: must differ from JWT_ACCESS_SECRET');
  }
  const accessTtl = parseDurationSeconds(env.JWT_ACCESS_TTL ?? '24h');
  const refreshTtl = parseDurationSeconds(env.JWT_REFRESH_TTL ?? '7d');
  const sessionMaxAge = parseDurationSeconds(env.SESSION_MAX_AGE ?? '30d');
  assertLifetimesOrdered(accessTtl, refreshTtl, sessionMaxAge);
  const algorithm = env.JWT_ALGORITHM ?? 'HS256';
  return {
    algorithm,
    keys: algorithm === 'HS256' ? undefined : loadJwtKeys(env.JWT_KEYS_DIR, env.JWT_ACTIVE_KID, algorithm),
    accessSecret: access,
    refreshSecret: refresh,
    accessTtl,
    refreshTtl,
    sessionMaxAge,
    reauthWindow: parseDurationSeconds(env.REAUTH_WINDOW ?? '5m'),
    refreshReuseGrace: parseDurationSeconds(env.REFRESH_REUSE_GRACE ?? '10s'),
    issuer: env.JWT_ISSUER ?? 'gatehouse',
    audience: env.JWT_AUDIENCE ?? 'gatehouse',
  };
});
