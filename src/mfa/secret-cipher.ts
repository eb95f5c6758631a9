import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import mfaConfig from '#src/mfa/mfa.config.js';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
/** NIST SP 800-38D §8.2: a 96-bit random IV per message. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals TOTP secrets at rest with AES-256-GCM (OWASP Cryptographic Storage
 * Cheat Sheet): a database dump alone yields no working authenticator.
 * Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url) so the key or algorithm
 * can change later. The associated data binds a ciphertext to its row: a
 * secret copied onto another user does not decrypt.
 */
@Injectable()
export class SecretCipher {
  constructor(@Inject(mfaConfig.KEY) private readonly config: ConfigType<typeof mfaConfig>) {}

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.config.encryptionKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => this.encode(part)).join('.');
  }

  /** Throws when the value is not ours, was tampered with, or belongs to another row. */
  decrypt(sealed: string, associatedData: string): string {
    const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined || rest.length > 0) {
      throw new Error('Unsupported TOTP secret format');
    }
    const decipher = createDecipheriv(ALGORITHM, this.config.encryptionKey, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  private encode(part: string | Buffer): string {
    return typeof part === 'string' ? part : part.toString('base64url');
  }
}
