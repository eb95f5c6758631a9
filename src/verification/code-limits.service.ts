import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AppException, Clock, CoreErrors, MetricsService } from '#src/platform/index.js';
import { ThrottlingService } from '#src/throttling/throttling.service.js';
import verificationConfig from '#src/verification/verification.config.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The SPEC §12 limits on sending codes, counted per request whether or not a code goes out, so an unknown
 * destination is throttled exactly like a known one (OWASP Forgot Password Cheat Sheet; SMS pumping: OWASP
 * Automated Threats OAT-009/SMS toll fraud). Counters live in the throttling CounterStore (Redis when configured),
 * whose windows follow the injected Clock: the daily, IP and global caps count in clock-aligned windows whose end is
 * the true Retry-After, and the cooldown is a window opened by the last accepted request. Each step is one atomic
 * add, so two racing requests cannot both pass the cooldown.
 */
@Injectable()
export class CodeLimitsService {
  constructor(
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
    private readonly throttling: ThrottlingService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /** Counts one request for `destination` from `ip`, or throws RATE_LIMITED with the true Retry-After. */
  async consume(destination: string, ip: string): Promise<void> {
    const taken: Array<() => Promise<unknown>> = [];
    try {
      taken.push(await this.take('code_resend', destination, this.config.resendInterval * 1000, false));
      taken.push(await this.take('code_daily', destination, DAY_MS, true, this.config.dailyMax));
      taken.push(await this.take('code_ip', ip, HOUR_MS, true, this.config.ipMax));
      taken.push(await this.take('code_global', 'all', HOUR_MS, true, this.config.globalMax));
    } catch (e) {
      // A refused request does not spend the budgets it passed on the way, nor start a cooldown.
      await Promise.all(taken.map((refund) => refund()));
      throw e;
    }
  }

  /**
   * One point on `limit` for `key`, or RATE_LIMITED with the time left in its window. An aligned window is the
   * clock's hour or day that contains now; otherwise it opens at the first accepted point. Answers the refund.
   */
  private async take(
    limit: string,
    key: string,
    windowMs: number,
    aligned: boolean,
    max = 1,
  ): Promise<() => Promise<unknown>> {
    const now = this.clock.now();
    const bucketKey = aligned ? `${key}|${Math.floor(now / windowMs)}` : key;
    const length = aligned ? (Math.floor(now / windowMs) + 1) * windowMs - now : windowMs;
    const state = await this.throttling.count(limit, bucketKey, 1, length);
    if (state.count > max) {
      // A refused request leaves the count as it was: the cooldown stays measured from the last accepted one.
      await this.throttling.count(limit, bucketKey, -1, length);
      this.metrics.throttled(limit);
      throw new AppException(CoreErrors.RATE_LIMITED, 'Too many code requests; retry later', {
        retryAfter: Math.max(1, Math.ceil((state.resetAt - now) / 1000)),
      });
    }
    return () => this.throttling.count(limit, bucketKey, -1, length);
  }
}
