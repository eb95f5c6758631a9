import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJwtKeys } from '#src/config/jwt-keys.js';

describe(loadJwtKeys.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'active.pem'), ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(
    join(dir, 'old.pem'),
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the active private key and every public key by kid', () => {
    const keys = loadJwtKeys(dir, 'active', 'ES256');
    expect(keys.activeKid).toBe('active');
    expect(keys.privateKey.type).toBe('private');
    expect([...keys.publicKeys.keys()].sort()).toEqual(['active', 'old']);
  });

  it('names the variable when the active kid has no private key', () => {
    expect(() => loadJwtKeys(dir, 'old', 'ES256')).toThrow(
      /JWT_ACTIVE_KID: .*old\.pem must exist and hold a private key/,
    );
    expect(() => loadJwtKeys(dir, undefined, 'ES256')).toThrow(/JWT_ACTIVE_KID/);
    expect(() => loadJwtKeys(undefined, 'active', 'ES256')).toThrow(/JWT_KEYS_DIR/);
  });

  it('refuses a key that does not fit the algorithm', () => {
    const other = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
    writeFileSync(join(other, 'k1.pem'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadJwtKeys(other, 'k1', 'ES256')).toThrow(/JWT_KEYS_DIR: k1\.pem: ES256 needs a P-256 key/);
    expect(loadJwtKeys(other, 'k1', 'RS256').activeKid).toBe('k1');
    rmSync(other, { recursive: true, force: true });
  });
});
