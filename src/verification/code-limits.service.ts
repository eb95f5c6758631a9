import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AppException } from '#src/common/app.exception.js';
import { Clock } from '#src/common/clock.js';
import { ErrorCode } from '#src/common/error-code.js';
import throttleConfig from '#src/config/throttle.config.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { RedisService } from '#src/redis/redis.service.js';
import { createRateLimiter } from '#src/throttling/rate-limiter.factory.js';
import verificationConfig from '#src/verification/verification.config.js';

const UNLIMITED = Number.MAX_SAFE_INTEGER;
const DAY = 86_400;
const HOUR = 3_600;

const rateLimited = (seconds: number) =>
  new AppException(ErrorCode.RATE_LIMITED, 'Too many code requests; retry later', {
    retryAfter: Math.max(1, Math.ceil(seconds)),
  });

/**
 * The SPEC §12 limits on sending codes, counted per request whether or not a code goes out, so an unknown
 * destination is throttled exactly like a known one (OWASP Forgot Password Cheat Sheet; SMS pumping: OWASP
 * Automated Threats OAT-009/SMS toll fraud). Counters live in the throttling store (Redis when configured). The
 * windows are read from the injected Clock, not the store's own timer: the daily, IP and global caps count in
 * clock-aligned windows whose end is the true Retry-After, and the cooldown compares the stored time of the last
 * accepted request with now.
 */
@Injectable()
export class CodeLimitsService {
  private readonly daily: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  private readonly global: RateLimiterAbstract;
  /** One claim per destination and cooldown window, so two racing requests cannot both pass the cooldown. */
  private readonly claims: RateLimiterAbstract;
  /** The clock time (ms) of the last accepted request per destination. */
  private readonly lastAccepted: RateLimiterAbstract;

  constructor(
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
    @Inject(throttleConfig.KEY) throttle: ConfigType<typeof throttleConfig>,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    redis: RedisService,
  ) {
    const limiter = (name: string, points: number, duration: number) =>
      createRateLimiter(throttle.store, { keyPrefix: `throttle:code_${name}`, points, duration }, redis.client);
    this.daily = limiter('daily', config.dailyMax, DAY);
    this.perIp = limiter('ip', config.ipMax, HOUR);
    this.global = limiter('global', config.globalMax, HOUR);
    this.claims = limiter('claim', 1, config.resendInterval * 2);
    this.lastAccepted = limiter('last', UNLIMITED, config.resendInterval * 2);
  }

  /** Counts one request for `destination` from `ip`, or throws RATE_LIMITED with the true Retry-After. */
  async consume(destination: string, ip: string): Promise<void> {
    const now = this.clock.now();
    const intervalMs = this.config.resendInterval * 1000;
    const last = (await this.lastAccepted.get(destination))?.consumedPoints;
    if (last !== undefined && now - last < intervalMs) {
      throw this.refuse('code_resend', (last + intervalMs - now) / 1000);
    }
    const taken: Array<() => Promise<unknown>> = [];
    try {
      taken.push(await this.window(this.daily, destination, DAY, now, 'code_daily'));
      taken.push(await this.window(this.perIp, ip, HOUR, now, 'code_ip'));
      taken.push(await this.window(this.global, 'all', HOUR, now, 'code_global'));
      try {
        await this.claims.consume(`${destination}|${Math.floor(now / intervalMs)}`);
      } catch (e) {
        if (e instanceof RateLimiterRes) {
          throw this.refuse('code_resend', this.config.resendInterval);
        }
        throw e;
      }
    } catch (e) {
      // A refused request does not spend the budgets it passed on the way.
      await Promise.all(taken.map((refund) => refund()));
      throw e;
    }
    await this.lastAccepted.set(destination, now, this.config.resendInterval * 2);
  }

  private async window(
    limiter: RateLimiterAbstract,
    key: string,
    seconds: number,
    now: number,
    name: string,
  ): Promise<() => Promise<unknown>> {
    const bucket = Math.floor(now / (seconds * 1000));
    const bucketKey = `${key}|${bucket}`;
    try {
      await limiter.consume(bucketKey);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        throw this.refuse(name, ((bucket + 1) * seconds * 1000 - now) / 1000);
      }
      throw e;
    }
    return () => limiter.reward(bucketKey);
  }

  private refuse(limit: string, seconds: number): AppException {
    this.metrics.throttled(limit);
    return rateLimited(seconds);
  }
}
