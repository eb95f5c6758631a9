import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AuditEventType } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import { normalizePhone } from '#src/common/validation/phone.js';
import { RedisService } from '#src/redis/redis.service.js';
import appConfig from '#src/config/app.config.js';
import throttleConfig, { type ThrottleLimit } from '#src/config/throttle.config.js';
import { createRateLimiter } from '#src/throttling/rate-limiter.factory.js';
import type { Identifier } from '#src/users/users.service.js';

/** Large enough never to be reached by counters that only count. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** What `reserveLogin` took, handed back with the outcome so it can be settled. */
export interface LoginReservation {
  /** The normalised identifier as typed: `u:alice` or `p:+8613800138000`. */
  account: string;
  ip: string;
  accountIpKey: string;
  /** This attempt's place in the run of consecutive failures (1 = first). */
  failureNumber: number;
}

/**
 * Brute-force and rate limits (SPEC §7, OWASP Authentication Cheat Sheet,
 * OWASP ASVS 5.0 V6.3.1). Every attempt reserves its points atomically BEFORE
 * any password is hashed, so N parallel guesses cannot all slip under the
 * limit between check and update (Zitadel GHSA-7h8m-vrxx-vr4m); a throttled
 * attempt never reaches the hash. Login counters are keyed by the normalised
 * identifier as typed, never by user id, so unknown and known names are
 * throttled alike and the answer reveals nothing about which exist.
 */
@Injectable()
export class ThrottlingService {
  private readonly accountIp: RateLimiterAbstract;
  private readonly lockouts: RateLimiterAbstract;
  private readonly account: RateLimiterAbstract;
  private readonly loginIp: RateLimiterAbstract;
  private readonly refresh: RateLimiterAbstract;
  private readonly register: RateLimiterAbstract;
  private readonly mfa: RateLimiterAbstract;
  /** Bumped by `resetAccount`: per-IP keys embed it, so one reset clears every IP without listing keys. */
  private readonly generations: RateLimiterAbstract;

  constructor(
    @Inject(throttleConfig.KEY) private readonly config: ConfigType<typeof throttleConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    redis: RedisService,
  ) {
    const limiter = (keyPrefix: string, { max, window }: ThrottleLimit) =>
      createRateLimiter(
        config.store,
        { keyPrefix: `throttle:${keyPrefix}`, points: max, duration: window },
        redis.client,
      );
    const window = config.loginAccountIp.window;
    this.accountIp = limiter('login_account_ip', config.loginAccountIp);
    this.lockouts = limiter('login_lockouts', { max: UNLIMITED, window });
    this.account = limiter('login_account', config.loginAccount);
    this.loginIp = limiter('login_ip', config.loginIp);
    this.refresh = limiter('refresh', config.refresh);
    this.register = limiter('register', config.register);
    this.mfa = limiter('mfa', config.mfa);
    // Kept for good (duration 0): one small key per account an admin has ever unlocked; in the
    // shared store like the counters, so an unlock on one instance lifts the lockout on all.
    this.generations = createRateLimiter(
      config.store,
      { keyPrefix: 'throttle:generation', points: UNLIMITED, duration: 0 },
      redis.client,
    );
  }

  /**
   * Reserves one login attempt on all three login limits, broadest first, and
   * gives back what it took when a later limit refuses, so throttled attempts
   * do not eat into the other budgets. Throws RATE_LIMITED with Retry-After.
   */
  async reserveLogin(identifier: Identifier, ctx: RequestContext): Promise<LoginReservation> {
    const account = this.accountKey(identifier);
    const generation = (await this.generations.get(account))?.consumedPoints ?? 0;
    const accountIpKey = `${account}#${generation}|${ctx.ip}`;
    await this.take(this.loginIp, ctx.ip, 'login_ip', ctx, account);
    try {
      await this.take(this.account, account, 'login_account', ctx, account);
    } catch (e) {
      await this.loginIp.reward(ctx.ip);
      throw e;
    }
    try {
      const res = await this.take(this.accountIp, accountIpKey, null, ctx, account, this.config.lockoutMax);
      return { account, ip: ctx.ip, accountIpKey, failureNumber: res.consumedPoints };
    } catch (e) {
      await Promise.all([this.loginIp.reward(ctx.ip), this.account.reward(account)]);
      throw e;
    }
  }

  /**
   * Each run of THROTTLE_LOGIN_ACCOUNT_IP_MAX consecutive failures locks that
   * identifier out from that IP, for a period that doubles with each lockout
   * (60 s, 120 s, … up to 15 min by default: SPEC §7).
   */
  async loginFailed(reservation: LoginReservation, ctx: RequestContext): Promise<void> {
    if (reservation.failureNumber !== this.config.loginAccountIp.max) {
      return;
    }
    const { consumedPoints: lockouts } = await this.lockouts.penalty(reservation.accountIpKey);
    const seconds = Math.min(this.config.lockout * 2 ** (lockouts - 1), this.config.lockoutMax);
    await this.accountIp.block(reservation.accountIpKey, seconds);
    await this.audit.record({
      type: AuditEventType.ThrottleStart,
      identifier: ThrottlingService.display(reservation.account),
      reason: `login_account_ip: ${seconds}s`,
      ctx,
    });
  }

  /** A success ends the run of failures for this IP and does not count against the other two limits. */
  async loginSucceeded(reservation: LoginReservation): Promise<void> {
    await Promise.all([
      this.accountIp.delete(reservation.accountIpKey),
      this.lockouts.delete(reservation.accountIpKey),
      this.account.reward(reservation.account),
      this.loginIp.reward(reservation.ip),
    ]);
  }

  async consumeRefresh(ctx: RequestContext): Promise<void> {
    await this.take(this.refresh, ctx.ip, 'refresh', ctx);
  }

  async consumeRegister(ctx: RequestContext): Promise<void> {
    await this.take(this.register, ctx.ip, 'register', ctx);
  }

  /**
   * One MFA code attempt for `key` (e.g. the challenge's user id): a six-digit
   * code needs its own small budget (OWASP ASVS 5.0 V6.3.1, NIST SP 800-63B §5.2.2).
   */
  async consumeMfaVerify(key: string, ctx?: RequestContext): Promise<void> {
    await this.take(this.mfa, key, 'mfa', ctx);
  }

  /** Clears the MFA budget of `key` after a correct code. */
  async clearMfaVerify(key: string): Promise<void> {
    await this.mfa.delete(key);
  }

  /**
   * Clears every login limit of one identifier, from every IP (the admin
   * "unlock"). Pass `{username}` and `{phone}` to unlock both ways in; a
   * string is a username, or a phone number when it starts with `+`.
   */
  async resetAccount(identifier: Identifier | string): Promise<void> {
    const account = this.accountKey(
      typeof identifier !== 'string'
        ? identifier
        : identifier.startsWith('+')
          ? { phone: identifier }
          : { username: identifier },
    );
    await this.generations.penalty(account);
    await this.account.delete(account);
  }

  /** Usernames are case-insensitive (SPEC §4) and phones are compared in E.164, as the users table does. */
  private accountKey(identifier: Identifier): string {
    if ('phone' in identifier) {
      const phone = identifier.phone.trim();
      return `p:${normalizePhone(phone, this.app.defaultPhoneRegion) ?? phone}`;
    }
    if ('email' in identifier) {
      return `e:${identifier.email.trim().toLowerCase()}`;
    }
    return `u:${identifier.username.trim().toLowerCase()}`;
  }

  /**
   * Consumes one point, or throws RATE_LIMITED. The attempt that first goes
   * over a limit audits `throttle_start` (the account+IP lockout is audited
   * where it is set, hence `scope` null). `retryCap` bounds Retry-After for a
   * limiter whose counting window is longer than its lockouts.
   */
  private async take(
    limiter: RateLimiterAbstract,
    key: string,
    scope: string | null,
    ctx?: RequestContext,
    account?: string,
    retryCap = Number.POSITIVE_INFINITY,
  ): Promise<RateLimiterRes> {
    try {
      return await limiter.consume(key);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) {
        throw e;
      }
      if (scope && e.consumedPoints === limiter.points + 1) {
        await this.audit.record({
          type: AuditEventType.ThrottleStart,
          identifier: account ? ThrottlingService.display(account) : null,
          reason: `${scope}: ${limiter.points} in ${limiter.duration}s`,
          ctx,
        });
      }
      this.metrics.throttled(limiter.keyPrefix.replace(/^.*throttle:/, ''));
      const retryAfter = Math.max(1, Math.ceil(Math.min(e.msBeforeNext, retryCap * 1000) / 1000));
      throw new AppException(ErrorCode.RATE_LIMITED, 'Too many attempts; retry later', { retryAfter });
    }
  }

  private static display(account: string): string {
    return account.slice(2);
  }
}
