import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#src/platform/index.js';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import mfaConfig from '#src/mfa/mfa.config.js';
import { MfaRecoveryCode } from '#src/mfa/entities/mfa-recovery-code.entity.js';

const COUNT = 10;
/** RFC 4648 base32, lower case (no 0, 1, 8 or 9 to misread). */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** 16 characters × 5 bits = 80 bits per code, shown as `xxxx-xxxx-xxxx-xxxx`. */
const LENGTH = 16;
const GROUP = 4;

/**
 * Single-use recovery codes: NIST SP 800-63B §5.1.2 look-up secrets, OWASP
 * Multifactor Authentication Cheat Sheet "backup codes".
 *
 * Stored as HMAC-SHA-256 under a key derived from MFA_ENCRYPTION_KEY, over
 * the user id and the code. A fast hash suffices because the codes are
 * random, not chosen: there is no dictionary, and 2^80 guesses per code is
 * out of reach. The key (a pepper kept out of the database, SP 800-63B
 * §5.1.1.2) makes a database dump alone useless, and the user id stops one
 * guess being tried against every user's codes at once. SP 800-63B
 * §5.1.2.2 would ask for a slow salted KDF below 112 bits; that needs one
 * Argon2 run per stored code per attempt (no lookup is possible), which
 * invites denial of service, so the pepper is the resistance to offline
 * attack here, and online guessing is bounded by single use, the per-token
 * attempt limit and throttling. Lookup by hash means no code is ever
 * compared character by character.
 */
@Injectable()
export class RecoveryCodesService {
  private readonly key: Buffer;

  constructor(
    @InjectRepository(MfaRecoveryCode) private readonly codes: Repository<MfaRecoveryCode>,
    @Inject(mfaConfig.KEY) config: ConfigType<typeof mfaConfig>,
    private readonly clock: Clock,
  ) {
    // RFC 5869: an independent key for a different purpose than encrypting TOTP secrets.
    this.key = Buffer.from(hkdfSync('sha256', config.encryptionKey, '', 'gatehouse recovery-code-hmac v1', 32));
  }

  /** Replaces every code of the user with 10 new ones, returned once in plain text. */
  async regenerate(userId: number): Promise<string[]> {
    const plain = Array.from({ length: COUNT }, () => RecoveryCodesService.generate());
    await this.codes.delete({ userId });
    await this.codes.insert(plain.map((code) => ({ userId, codeHash: this.hash(userId, code), usedAt: null })));
    return plain;
  }

  /** Spends one unused code; true at most once per code, also under concurrent use. */
  async consume(userId: number, code: string): Promise<boolean> {
    const row = await this.codes.findOneBy({ userId, codeHash: this.hash(userId, code), usedAt: IsNull() });
    if (!row) {
      return false;
    }
    const result = await this.codes.update({ id: row.id, usedAt: IsNull() }, { usedAt: this.clock.now() });
    return result.affected === 1;
  }

  async deleteAll(userId: number): Promise<void> {
    await this.codes.delete({ userId });
  }

  /** 256 is a multiple of 32, so `byte % 32` is uniform. */
  private static generate(): string {
    const chars = [...randomBytes(LENGTH)].map((byte) => ALPHABET[byte % ALPHABET.length]);
    const groups: string[] = [];
    for (let i = 0; i < LENGTH; i += GROUP) {
      groups.push(chars.slice(i, i + GROUP).join(''));
    }
    return groups.join('-');
  }

  /** Case, dashes and spaces do not matter when the user types a code back. */
  private hash(userId: number, code: string): string {
    const normalized = code.toLowerCase().replace(/[\s-]/g, '');
    return createHmac('sha256', this.key).update(`${userId}:${normalized}`, 'utf8').digest('hex');
  }
}
