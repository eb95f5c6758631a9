import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';
import { Repository } from 'typeorm';
import {
  AppException,
  AuditService,
  Clock,
  type RequestContext,
  jwtConfig,
  isUniqueViolation,
} from '#src/platform/index.js';
import { VerificationCode } from '#src/verification/entities/verification-code.entity.js';
import verificationConfig, { type Channel, type Purpose } from '#src/verification/verification.config.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';
import { CodeConfirmLimitService } from '#src/verification/code-confirm-limit.service.js';
import { VerificationErrors } from '#src/verification/verification.errors.js';

/** One answer for every bad code, so a caller learns nothing about which check failed (SPEC §3). */
export const codeInvalid = () => new AppException(VerificationErrors.CODE_INVALID);

/**
 * Issues and checks one-time codes (SPEC §12). Codes are stored only as an HMAC-SHA-256 under a key of their own
 * (OWASP ASVS 5.0 V6.6.3: out-of-band codes are stored hashed; NIST SP 800-63B §5.1.3.1), bound to their purpose
 * and destination, and compared in constant time.
 */
@Injectable()
export class CodesService {
  private readonly key: Buffer;

  constructor(
    @InjectRepository(VerificationCode) private readonly codes: Repository<VerificationCode>,
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
    @Inject(jwtConfig.KEY) jwt: ConfigType<typeof jwtConfig>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly confirmLimit: CodeConfirmLimitService,
  ) {
    // A key separate from every token key (RFC 8725 §3.5 spirit: one key, one use).
    this.key = Buffer.from(
      hkdfSync('sha256', config.codeSecret ?? jwt.refreshSecret, '', 'gatehouse verification-code v1', 32),
    );
  }

  /**
   * A fresh code for `destination` and `purpose`, replacing any earlier one, with a wrong-try budget of its own
   * (SPEC §12): wrong tries on an old code never refuse the owner's next one, so a stranger cannot lock recovery
   * for a day. Resends stay capped (CODE_RESEND_INTERVAL, CODE_DAILY_MAX), so guesses at one destination are
   * bounded by CODE_DAILY_MAX × CODE_MAX_ATTEMPTS a day (better-auth#11162; NIST SP 800-63B §5.2.2).
   * `accountId` binds the code to the account that asked for it (`verify_phone`/`verify_email`): only it redeems it.
   */
  async issue(
    channel: Channel,
    destination: string,
    purpose: Purpose,
    accountId: number | null = null,
  ): Promise<string> {
    const code = String(randomInt(0, 10 ** this.config.codeLength)).padStart(this.config.codeLength, '0');
    const now = this.clock.now();
    const fields = {
      channel,
      codeHash: this.hash(purpose, destination, code),
      userId: accountId,
      attempts: 0,
      attemptsSince: now,
      createdAt: now,
      expiresAt: now + this.config.codeTtl * 1000,
      consumedAt: null,
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      const previous = await this.codes.findOneBy({ destination, purpose });
      if (previous) {
        await this.codes.update({ id: previous.id }, fields);
        return code;
      }
      try {
        await this.codes.insert({ ...fields, destination, purpose });
        return code;
      } catch (e) {
        // Another request inserted the row first: update it on the second pass.
        if (!isUniqueViolation(e)) {
          throw e;
        }
      }
    }
    throw new Error('verification code row kept changing');
  }

  /**
   * Spends the code or throws CODE_INVALID (RATE_LIMITED past CODE_VERIFY_IP_MAX failures from the client's IP).
   * Each try is reserved by a conditional UPDATE before the code is compared, so parallel guesses cannot exceed
   * CODE_MAX_ATTEMPTS; the consuming UPDATE … WHERE consumed_at IS NULL is the arbiter that lets exactly one of
   * several concurrent confirmations win. `userId` is the account redeeming it: a bound code needs that account.
   */
  async confirm(destination: string, purpose: Purpose, code: string, ctx: RequestContext, userId?: number) {
    const refund = await this.confirmLimit.reserve(ctx.ip);
    try {
      await this.check(destination, purpose, code, ctx, userId);
    } catch (e) {
      // Only a bad code counts against the IP: a database error (503) is not a guess.
      if (!(e instanceof AppException && e.code === 'CODE_INVALID')) {
        await refund();
      }
      throw e;
    }
    await refund();
  }

  private async check(destination: string, purpose: Purpose, code: string, ctx: RequestContext, userId?: number) {
    const now = this.clock.now();
    const row = await this.codes.findOneBy({ destination, purpose });
    const fail = async (reason: string) => {
      await this.audit.record({
        type: VerificationAudit.code_failed,
        userId: userId ?? null,
        identifier: destination,
        reason: `${purpose}: ${reason}`,
        ctx,
      });
      return codeInvalid();
    };
    if (!row) {
      throw await fail('no code');
    }
    if (row.consumedAt !== null || row.expiresAt <= now || row.attempts >= this.config.maxAttempts) {
      throw await fail(row.consumedAt !== null ? 'used' : row.expiresAt <= now ? 'expired' : 'no tries left');
    }
    const reserved = await this.codes
      .createQueryBuilder()
      .update()
      .set({ attempts: () => 'attempts + 1' })
      .where('id = :id AND code_hash = :hash AND consumed_at IS NULL AND attempts < :max', {
        id: row.id,
        hash: row.codeHash,
        max: this.config.maxAttempts,
      })
      .execute();
    if (reserved.affected !== 1) {
      throw await fail('raced');
    }
    if (!this.matches(row.codeHash, this.hash(purpose, destination, code))) {
      throw await fail('wrong code');
    }
    if (row.userId !== null && row.userId !== userId) {
      // SPEC §12: a verify_* code proves the contact to the account that asked, and to no other.
      throw await fail('another account');
    }
    const consumed = await this.codes
      .createQueryBuilder()
      .update()
      .set({ consumedAt: now })
      .where('id = :id AND code_hash = :hash AND consumed_at IS NULL', { id: row.id, hash: row.codeHash })
      .execute();
    if (consumed.affected !== 1) {
      throw await fail('used');
    }
    await this.audit.record({
      type: VerificationAudit.code_verified,
      userId: userId ?? null,
      identifier: destination,
      reason: purpose,
      ctx,
    });
  }

  private hash(purpose: Purpose, destination: string, code: string): string {
    return createHmac('sha256', this.key).update(`${purpose}\n${destination}\n${code}`).digest('hex');
  }

  /** OWASP ASVS 5.0 V11.2.4: constant-time comparison of secrets. */
  private matches(stored: string, candidate: string): boolean {
    const a = Buffer.from(stored, 'hex');
    const b = Buffer.from(candidate, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
