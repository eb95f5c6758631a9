import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AppException, Clock, CoreErrors, MetricsService, ipKey, ThrottlingService } from '#src/platform/index.js';
import verificationConfig from '#src/verification/verification.config.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** One counter a request takes a point on: its limit's name, key, window, and whether the window is clock-aligned. */
interface Limit {
  name: string;
  key: string;
  windowMs: number;
  aligned: boolean;
  max: number;
  pinned?: boolean;
}

/**
 * The SPEC §12 limits on sending codes, counted per request whether or not a code goes out, so an unknown
 * destination is throttled exactly like a known one (OWASP Forgot Password Cheat Sheet; SMS pumping: OWASP
 * Automated Threats OAT-009/SMS toll fraud). Counters live in the throttling CounterStore (Redis when configured),
 * whose windows follow the injected Clock. The daily, IP, account and global caps count in clock-aligned fixed
 * windows whose end is the true Retry-After; like every fixed window, up to 2× a cap can pass around an edge (the
 * end of one window and the start of the next), the trade docs/architecture.md records. The cooldown is a window
 * opened by the last accepted request. Each step is one atomic add, so two racing requests cannot both pass.
 *
 * Order matters (SPEC §7, §12): the per-IP (/64) and global limits are checked before any per-destination counter
 * is touched, and a refused request gives back every point it took, so a flood from one network leaves no keys.
 */
@Injectable()
export class CodeLimitsService {
  constructor(
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
    private readonly throttling: ThrottlingService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Counts one request for `destination` from `ip` (and, for a signed-in caller's contact change, its `account`),
   * or throws RATE_LIMITED with the true Retry-After.
   */
  async consume(destination: string, ip: string, account?: number): Promise<void> {
    const taken: Array<() => Promise<unknown>> = [];
    try {
      taken.push(await this.take(this.ipLimit(ip)));
      await this.checkGlobal();
      if (account !== undefined) {
        const limit = this.limit('code_account', String(account), DAY_MS, true, this.config.accountMax);
        taken.push(await this.take({ ...limit, pinned: true }));
      }
      taken.push(await this.take(this.limit('code_resend', destination, this.config.resendInterval * 1000, false, 1)));
      taken.push(await this.take(this.limit('code_daily', destination, DAY_MS, true, this.config.dailyMax)));
    } catch (e) {
      // A refused request does not spend the budgets it passed on the way, nor start a cooldown; a point given back
      // to zero deletes its key, so it leaves no key behind.
      await Promise.all(taken.map((refund) => refund()));
      throw e;
    }
  }

  /**
   * Takes one code from the global cap just before a code is issued, so the cap counts codes actually sent and bounds
   * the SMS bill (SPEC §12): requests for destinations nobody holds never use it up. Answers false when it is spent
   * (a race with other sends since the request was checked); the caller then sends nothing. The counter is pinned:
   * a full in-memory store refuses rather than forget it.
   */
  async spendGlobal(): Promise<boolean> {
    try {
      await this.takeGlobal();
      return true;
    } catch (e) {
      if (e instanceof AppException && e.code === CoreErrors.RATE_LIMITED.code) {
        return false;
      }
      throw e;
    }
  }

  /** spendGlobal for a send made while the request waits: RATE_LIMITED with the true Retry-After when spent. */
  async takeGlobal(): Promise<void> {
    await this.take({ ...this.globalLimit(), pinned: true });
  }

  /** Once the hour's codes are all sent, every request answers 429 (SPEC §12), without creating a key. */
  private async checkGlobal(): Promise<void> {
    const limit = this.globalLimit();
    const state = await this.throttling.peek(limit.name, limit.key);
    if (state && state.count >= limit.max) {
      this.metrics.throttled(limit.name);
      throw this.refusal(state.resetAt - this.clock.now());
    }
  }

  /** SPEC §12: per IP, and per /64 for IPv6, like every other limit (an IPv6 host usually holds a whole /64). */
  private ipLimit(ip: string): Limit {
    return this.limit('code_ip', ipKey(ip), HOUR_MS, true, this.config.ipMax);
  }

  private globalLimit(): Limit {
    return this.limit('code_global', 'all', HOUR_MS, true, this.config.globalMax);
  }

  /** An aligned window is the clock's hour or day that contains now; otherwise it opens at the first accepted point. */
  private limit(name: string, key: string, windowMs: number, aligned: boolean, max: number): Limit {
    const bucket = Math.floor(this.clock.now() / windowMs);
    return { name, key: aligned ? `${key}|${bucket}` : key, windowMs, aligned, max };
  }

  /**
   * One point on `limit`, or RATE_LIMITED with the time left in its window. Answers the refund.
   *
   * Not ThrottlingService's `take` (the primitive behind `@RateLimit`), on purpose: a refused request here leaves the
   * count as it was (else a refused resend would restart the cooldown), a request takes several counters all or
   * nothing (each refund undoes one), the daily and hourly windows are aligned to the clock so the cap's end is the
   * true Retry-After; a refusal is counted in the metrics without a `throttle_start` event. It shares the store,
   * the Clock and the fail-closed 503 through `ThrottlingService.count`.
   */
  private async take({ name, key, windowMs, aligned, max, pinned }: Limit): Promise<() => Promise<unknown>> {
    const now = this.clock.now();
    const length = aligned ? (Math.floor(now / windowMs) + 1) * windowMs - now : windowMs;
    const state = await this.throttling.count(name, key, 1, length, pinned);
    if (state.count > max) {
      // A refused request leaves the count as it was: the cooldown stays measured from the last accepted one.
      await this.throttling.count(name, key, -1, length, pinned);
      this.metrics.throttled(name);
      throw this.refusal(state.resetAt - now);
    }
    return () => this.throttling.count(name, key, -1, length, pinned);
  }

  private refusal(ms: number): AppException {
    return new AppException(CoreErrors.RATE_LIMITED, 'Too many code requests; retry later', {
      retryAfter: Math.max(1, Math.ceil(ms / 1000)),
    });
  }
}
