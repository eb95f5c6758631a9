import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mfaConfig, { parseEncryptionKey } from '#src/mfa/mfa.config.js';

describe('mfaConfig', () => {
  const saved = { ...process.env };
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-mfa-config-'));
    delete process.env.MFA_ENCRYPTION_KEY;
    delete process.env.MFA_TOKEN_TTL;
    process.env.DATA_DIR = dataDir;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads a 32-byte key given as hex or base64, and nothing shorter', () => {
    expect(parseEncryptionKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.alloc(32, 7).toString('base64url'))).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.alloc(16, 7).toString('base64'))).toBeNull();
    expect(parseEncryptionKey('not a key!')).toBeNull();
  });

  it('refuses to start in production without MFA_ENCRYPTION_KEY, naming it', () => {
    process.env.NODE_ENV = 'production';
    expect(() => mfaConfig()).toThrow(/MFA_ENCRYPTION_KEY: required in production/);
  });

  it('refuses a malformed MFA_ENCRYPTION_KEY, naming it', () => {
    process.env.MFA_ENCRYPTION_KEY = 'too-short';
    expect(() => mfaConfig()).toThrow(/MFA_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('generates a development key once into DATA_DIR and keeps it across restarts', () => {
    process.env.NODE_ENV = 'development';
    const first = mfaConfig().encryptionKey;
    expect(first).toHaveLength(32);
    expect(mfaConfig().encryptionKey.equals(first)).toBe(true);
    expect(mfaConfig()).toMatchObject({ issuer: 'Gatehouse', tokenTtl: 300 });
  });
});
