import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import jwt from 'jsonwebtoken';
import { createSecretKey, hkdfSync, KeyObject, randomUUID } from 'node:crypto';
import { IsNull, LessThan, Repository } from 'typeorm';
import {
  jwtConfig,
  type MfaChallengeDto,
  AppException,
  CoreAudit,
  AuditService,
  Clock,
  CoreErrors,
  type RequestContext,
} from '#src/platform/index.js';
import mfaConfig from '#src/mfa/mfa.config.js';
import { MfaChallenge } from '#src/mfa/entities/mfa-challenge.entity.js';

/** Wrong codes one mfa_token may carry before it is refused (OWASP ASVS V6.3.1, online guessing). */
export const MFA_MAX_ATTEMPTS = 5;

interface MfaClaims {
  sub: string;
  type: 'mfa';
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

/** A redeemed challenge: whose it is, and the row that counts its attempts. */
export interface PendingMfa {
  jti: string;
  userId: number;
}

/**
 * The second half of a login with TOTP: after the password, the client
 * holds an `mfa_token` (JWT `type: "mfa"`) that is short-lived, single use
 * and good for at most MFA_MAX_ATTEMPTS codes; the `mfa_challenges` row
 * enforces the last two.
 *
 * RFC 8725 §3.11: its key is neither the access nor the refresh key but
 * derived from the access secret with HKDF (RFC 5869) under its own label.
 * HKDF outputs for distinct labels are independent keys, so an mfa token
 * never verifies as an access token or the reverse, and operators have no
 * extra secret to manage: whoever could forge one already holds the access
 * secret.
 */
@Injectable()
export class MfaChallengeService {
  private readonly key: KeyObject;

  constructor(
    @InjectRepository(MfaChallenge) private readonly challenges: Repository<MfaChallenge>,
    private readonly audit: AuditService,
    @Inject(jwtConfig.KEY) private readonly jwt: ConfigType<typeof jwtConfig>,
    @Inject(mfaConfig.KEY) private readonly config: ConfigType<typeof mfaConfig>,
    private readonly clock: Clock,
  ) {
    const derived = hkdfSync('sha256', jwt.accessSecret, '', 'gatehouse mfa-token v1', 32);
    this.key = createSecretKey(Buffer.from(derived));
  }

  /** Answers a correct password of a user with TOTP on (SPEC §3), instead of tokens. */
  async issue(
    user: { id: number },
    identifier: string,
    ctx: RequestContext,
    now = this.clock.now(),
  ): Promise<MfaChallengeDto> {
    const jti = randomUUID();
    const ttl = this.config.tokenTtl;
    // Housekeeping: the user's own stale challenges go when a new one is made.
    await this.challenges.delete({ userId: user.id, expiresAt: LessThan(now) });
    await this.challenges.insert({ jti, userId: user.id, attempts: 0, createdAt: now, expiresAt: now + ttl * 1000 });
    const iat = Math.floor(now / 1000);
    const claims: MfaClaims = {
      sub: String(user.id),
      type: 'mfa',
      jti,
      iat,
      exp: iat + ttl,
      iss: this.jwt.issuer,
      aud: this.jwt.audience,
    };
    const token = jwt.sign(claims, this.key, { algorithm: 'HS256' });
    await this.audit.record({ type: CoreAudit.mfa_challenge, userId: user.id, identifier, ctx });
    return { mfa_required: true, mfa_token: token, mfa_expires_in: ttl };
  }

  /**
   * Verifies the token and spends one of its attempts before any code is
   * checked, atomically, so parallel guesses cannot exceed the limit.
   * TOKEN_EXPIRED after `exp`; TOKEN_INVALID when forged, spent or out of attempts.
   */
  async redeem(token: string): Promise<PendingMfa> {
    const claims = this.verify(token);
    const userId = Number(claims.sub);
    const result = await this.challenges
      .createQueryBuilder()
      .update(MfaChallenge)
      .set({ attempts: () => 'attempts + 1' })
      .where('jti = :jti AND user_id = :userId AND used_at IS NULL AND attempts < :max', {
        jti: claims.jti,
        userId,
        max: MFA_MAX_ATTEMPTS,
      })
      .execute();
    if (result.affected !== 1) {
      throw new AppException(
        CoreErrors.TOKEN_INVALID,
        'This MFA token is spent or had too many wrong codes; log in again',
      );
    }
    return { jti: claims.jti, userId };
  }

  /** Marks the challenge used once a code was right; false if a concurrent request got there first. */
  async complete(pending: PendingMfa, now = this.clock.now()): Promise<boolean> {
    const result = await this.challenges.update({ jti: pending.jti, usedAt: IsNull() }, { usedAt: now });
    return result.affected === 1;
  }

  /**
   * Ends every pending second step of a user: a password reset, change or reclaim makes the password behind them
   * stale, so an `mfa_token` from before must not complete a login after (issue 22).
   */
  async deleteForUser(userId: number): Promise<void> {
    await this.challenges.delete({ userId });
  }

  /** Deletes every challenge expired before `now`, for all users; returns how many. */
  async pruneExpired(now: number): Promise<number> {
    const result = await this.challenges.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }

  private verify(token: string): MfaClaims {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.jwt.issuer,
        audience: this.jwt.audience,
        // `exp` is judged by the injected clock, as it was set by it in issue().
        clockTimestamp: Math.floor(this.clock.now() / 1000),
      });
    } catch (e) {
      // Mapped here rather than through auth's TokenService: mfa/ sits below auth/ and must not import it.
      throw e instanceof jwt.TokenExpiredError
        ? new AppException(CoreErrors.TOKEN_EXPIRED)
        : new AppException(CoreErrors.TOKEN_INVALID);
    }
    const claims = payload as Partial<MfaClaims> | null;
    const valid =
      typeof claims === 'object' &&
      claims !== null &&
      claims.type === 'mfa' &&
      typeof claims.exp === 'number' &&
      typeof claims.sub === 'string' &&
      /^\d+$/.test(claims.sub) &&
      typeof claims.jti === 'string';
    if (!valid) {
      throw new AppException(CoreErrors.TOKEN_INVALID);
    }
    return claims as MfaClaims;
  }
}
