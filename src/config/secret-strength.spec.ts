import { randomBytes } from 'node:crypto';
import { assertStrongSecrets, estimateEntropyBits, MIN_SECRET_ENTROPY_BITS } from '#src/config/secret-strength.js';

describe('secret strength', () => {
  it('rates one character repeated, a short alphabet and a repeated word below the bar', () => {
    expect(estimateEntropyBits('a'.repeat(32))).toBe(0);
    expect(estimateEntropyBits('ab'.repeat(32))).toBe(2);
    expect(estimateEntropyBits('abba'.repeat(4) + 'baab'.repeat(4))).toBe(32);
    expect(estimateEntropyBits('0123456789'.repeat(4))).toBeLessThan(MIN_SECRET_ENTROPY_BITS);
    expect(estimateEntropyBits('31415926535897932384626433832795')).toBeLessThan(MIN_SECRET_ENTROPY_BITS);
    expect(estimateEntropyBits('password'.repeat(6))).toBeLessThan(MIN_SECRET_ENTROPY_BITS);
  });

  it('rates random 32-byte keys, in base64 and in hex, above the bar', () => {
    for (let i = 0; i < 50; i += 1) {
      const key = randomBytes(32);
      expect(estimateEntropyBits(key.toString('base64'))).toBeGreaterThanOrEqual(MIN_SECRET_ENTROPY_BITS);
      expect(estimateEntropyBits(key.toString('hex'))).toBeGreaterThanOrEqual(MIN_SECRET_ENTROPY_BITS);
    }
  });

  it('refuses weak secrets in production only, naming every weak variable and no strong one', () => {
    const secrets = { STRONG: randomBytes(32).toString('base64'), WEAK_A: 'x'.repeat(32), WEAK_B: 'ab'.repeat(20) };
    expect(() => assertStrongSecrets('development', secrets)).not.toThrow();
    expect(() => assertStrongSecrets('test', secrets)).not.toThrow();
    let message = '';
    try {
      assertStrongSecrets('production', secrets);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/WEAK_A: too little entropy/);
    expect(message).toMatch(/WEAK_B: too little entropy/);
    expect(message).not.toContain('STRONG');
    expect(message).not.toContain('x'.repeat(32));
  });

  it('leaves unset secrets to the caller', () => {
    expect(() => assertStrongSecrets('production', { JWT_ACCESS_SECRET: undefined })).not.toThrow();
  });
});
