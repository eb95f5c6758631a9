import { randomBytes } from 'node:crypto';
import { SecretCipher } from '#src/mfa/secret-cipher.js';

describe(SecretCipher.name, () => {
  const config = { encryptionKey: randomBytes(32), issuer: 'Gatehouse', tokenTtl: 300 };
  const cipher = new SecretCipher(config);
  const secret = 'KNUBNMUYER634XL2W6LFYHKSGFYTZUT3';

  it('round-trips a secret under a versioned, never-plain format with a fresh IV each time', () => {
    const sealed = cipher.encrypt(secret, 'user:1');
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain(secret);
    expect(cipher.encrypt(secret, 'user:1')).not.toBe(sealed);
    expect(cipher.decrypt(sealed, 'user:1')).toBe(secret);
  });

  it('refuses a ciphertext moved to another row', () => {
    expect(() => cipher.decrypt(cipher.encrypt(secret, 'user:1'), 'user:2')).toThrow();
  });

  it('refuses a tampered ciphertext, another key, and an unknown version', () => {
    const [version, iv, tag, body] = cipher.encrypt(secret, 'user:1').split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([version, iv, tag, flipped.toString('base64url')].join('.'), 'user:1')).toThrow();
    const other = new SecretCipher({ ...config, encryptionKey: randomBytes(32) });
    expect(() => other.decrypt([version, iv, tag, body].join('.'), 'user:1')).toThrow();
    expect(() => cipher.decrypt(['v0', iv, tag, body].join('.'), 'user:1')).toThrow(/format/);
  });
});
