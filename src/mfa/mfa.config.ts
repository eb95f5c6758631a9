import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { hkdfSync } from 'node:crypto';
import {
  appConfig,
  loadDevSecrets,
  parseDurationSeconds,
  assertStrongSecrets,
  EnvDoc,
  IsDuration,
  validateConfig,
} from '#src/platform/index.js';

const KEY_BYTES = 32;
const KEY_HINT = `${KEY_BYTES} bytes as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`)`;

class MfaEnv {
  @EnvDoc(
    'AES-256-GCM key for the secrets kept at rest (TOTP secrets, webhook signing secrets): 32 bytes as 64 hex digits or base64 (openssl rand -base64 32). Required in production. Default: generated (dev only).',
  )
  @IsOptional()
  @IsString()
  MFA_ENCRYPTION_KEY?: string;
  @EnvDoc('Name authenticator apps show next to the account.', 'Gatehouse')
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  MFA_ISSUER?: string;
  @EnvDoc('How long the mfa_token of a password login stays usable.', '5m')
  @IsOptional()
  @IsDuration()
  MFA_TOKEN_TTL?: string;
}

export interface MfaConfig {
  /** AES-256-GCM key for the secrets kept at rest: TOTP secrets and webhook signing secrets. */
  encryptionKey: Buffer;
  /** Shown by authenticator apps next to the account name. */
  issuer: string;
  /** Seconds an `mfa_token` from a password login stays usable. */
  tokenTtl: number;
}

/** 64 hex digits or base64/base64url of exactly 32 bytes; anything else is null. */
export function parseEncryptionKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    return Buffer.from(trimmed, 'hex');
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    return null;
  }
  const key = Buffer.from(trimmed, 'base64');
  return key.length === KEY_BYTES ? key : null;
}

function encryptionKey(configured: string | undefined): Buffer {
  if (configured !== undefined) {
    const key = parseEncryptionKey(configured);
    if (!key) {
      throw new Error(`Invalid configuration:\n  MFA_ENCRYPTION_KEY: must be ${KEY_HINT}`);
    }
    return key;
  }
  const { env, dataDir } = appConfig();
  if (env === 'production') {
    throw new Error(`Invalid configuration:\n  MFA_ENCRYPTION_KEY: required in production, ${KEY_HINT}`);
  }
  // Development secrets are 48 random bytes; HKDF (RFC 5869) narrows them to the 32-byte AES key.
  const { MFA_ENCRYPTION_KEY: generated } = loadDevSecrets(dataDir, ['MFA_ENCRYPTION_KEY']);
  return Buffer.from(hkdfSync('sha256', generated, '', 'gatehouse mfa-encryption-key v1', KEY_BYTES));
}

export default registerAs('mfa', (): MfaConfig => {
  const env = validateConfig(process.env, MfaEnv);
  assertStrongSecrets(appConfig().env, { MFA_ENCRYPTION_KEY: env.MFA_ENCRYPTION_KEY });
  const tokenTtl = parseDurationSeconds(env.MFA_TOKEN_TTL ?? '5m');
  if (tokenTtl < 1) {
    throw new Error('Invalid configuration:\n  MFA_TOKEN_TTL: must be at least 1s');
  }
  return {
    encryptionKey: encryptionKey(env.MFA_ENCRYPTION_KEY),
    issuer: env.MFA_ISSUER ?? 'Gatehouse',
    tokenTtl,
  };
});
