import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { CoreAudit } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { AppException } from '#src/common/app.exception.js';
import { Clock } from '#src/common/clock.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import { normalizePhone } from '#src/common/validation/phone.js';
import { RedisService } from '#src/redis/redis.service.js';
import appConfig from '#src/config/app.config.js';
import throttleConfig, { type ThrottleLimit } from '#src/throttling/throttle.config.js';
import {
  type CounterStore,
  type GateOutcome,
  type GatePolicy,
  MemoryCounterStore,
  StoreFullError,
  type WindowState,
} from '#src/throttling/counter-store.js';
import { RedisCounterStore } from '#src/throttling/redis-counter-store.js';
import { ipKey } from '#src/throttling/ip-key.js';
import { maskSubject } from '#src/logging/mask.js';
import type { Identifier } from '#src/users/users.service.js';

/**
 * A waiting attempt is woken at once by a settle on this instance, and otherwise looks again after a pause that
 * grows to POLL_MAX_MS (a check may settle on another instance), so waiters cost the store little.
 */
const POLL_MIN_MS = 20;
const POLL_MAX_MS = 250;
/** Attempts one instance lets wait on one account+IP; beyond, 429 at once (OWASP ASVS 5.0 V2.4.1: bounded work). */
const MAX_WAITERS = 64;
/**
 * Security counters the in-memory store must refuse rather than forget (SPEC §7): the per-account ceiling and MFA
 * budgets; the gates and the unlock generations are pinned too.
 */
const PINNED = new Set(['login_account', 'mfa']);
/** The admin unlock's generation counters are kept this long: for good, in practice. */
const GENERATION_WINDOW_MS = 10 * 365 * 86_400_000;

/** Who a login attempt is for: the resolved account when one matches, else the identifier as typed. */
export interface LoginTarget {
  userId: number | null;
  identifier: Identifier;
}

/** What `reserveLogin` took, handed back with the outcome so it can be settled. */
export interface LoginReservation {
  /** `id:7` for a known account; `u:alice` or `p:+8613800138000` for an unknown identifier. */
  account: string;
  userId: number | null;
  /** The identifier as the audit trail shows it. */
  display: string;
  ip: string;
  gateKey: string;
  id: string;
}

/**
 * Brute-force and rate limits (SPEC §7, OWASP Authentication Cheat Sheet, OWASP ASVS 5.0 V6.3.1).
 *
 * Per account and IP, a gate: each attempt reserves a place BEFORE any password is hashed, and at most
 * THROTTLE_LOGIN_ACCOUNT_IP_MAX places exist for failures plus checks in flight, so N parallel guesses cannot all slip
 * under the limit (Zitadel GHSA-7h8m-vrxx-vr4m). A check in flight is not a failure (keycloak#48272): an attempt
 * beyond the budget waits, bounded, for those checks; a success empties the gate and the waiting attempts proceed;
 * a failure that completes the run locks the pair out. Counters are keyed by the resolved account, so username,
 * phone and email share them; unknown identifiers by their normalised form, throttled exactly like known ones.
 */
@Injectable()
export class ThrottlingService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ThrottlingService.name);
  private readonly store: CounterStore;
  private readonly gatePolicy: GatePolicy;
  /** Attempts waiting on this instance, by gate key: woken when a check here settles. */
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    @Inject(throttleConfig.KEY) private readonly config: ConfigType<typeof throttleConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly redis: RedisService,
    private readonly clock: Clock,
  ) {
    if (config.store.type === 'redis') {
      if (!redis.client) {
        throw new Error('The Redis throttle store needs a Redis client');
      }
      this.store = new RedisCounterStore(redis.client, config.store.prefix);
    } else {
      this.store = new MemoryCounterStore(config.memoryMaxKeys);
    }
    const { max, window } = config.loginAccountIp;
    this.gatePolicy = {
      max,
      windowMs: window * 1000,
      lockoutMs: config.lockout * 1000,
      lockoutMaxMs: config.lockoutMax * 1000,
      // A check that has not settled by then belonged to an instance that died: its place is given back.
      holdMs: Math.max(30_000, config.loginWait * 2000),
    };
  }

  /**
   * SPEC §7: a Redis that evicts keys under memory pressure would forget lockouts and the account ceiling, which is
   * what a flood aims at. Warned, not refused: a managed Redis may hide the setting, and the policy can be fixed live.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.store.type !== 'redis') {
      return;
    }
    // In a cluster every master holds its own share of the counters, so each one's policy matters.
    for (const master of this.redis.masters()) {
      try {
        const info = await master.info('memory');
        const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
        if (policy && policy !== 'noeviction') {
          this.logger.warn(
            `Redis maxmemory-policy is ${policy}: under memory pressure it may evict lockouts and rate-limit counters. ` +
              'Set maxmemory-policy noeviction (SPEC §7).',
          );
          return;
        }
      } catch {
        // An unreachable Redis is reported by readiness; this check only adds a warning.
      }
    }
  }

  /**
   * Reserves one login attempt: a place in the account+IP gate (waiting for checks in flight when none is free),
   * then a point on the per-IP and per-account limits. Throws RATE_LIMITED with the real time left as Retry-After.
   *
   * The per-IP and per-account limits are the one primitive, `take` (as `@RateLimit` is). The gate cannot be: a
   * counter only goes up within its window, while the gate holds a place for a password still being hashed, makes
   * the next attempt wait for it, and is settled by the outcome (a success empties it, a failure may lock the pair
   * out, an abort gives the place back), so N parallel guesses cannot all pass (Zitadel GHSA-7h8m-vrxx-vr4m).
   */
  async reserveLogin(target: LoginTarget, ctx: RequestContext): Promise<LoginReservation> {
    const account = target.userId === null ? this.identifierKey(target.identifier) : `id:${target.userId}`;
    const display: string = Object.values(target.identifier)[0];
    const ip = ipKey(ctx.ip);
    const generation = (await this.run(this.store.get(`generation:${account}`, this.clock.now())))?.count ?? 0;
    const reservation = {
      account,
      userId: target.userId,
      display,
      ip,
      gateKey: `login_account_ip:${account}#${generation}|${ip}`,
    };
    // The per-IP limit first: a flood from one IP is refused before it creates a gate or an account counter.
    await this.take('login_ip', this.config.loginIp, ip, ctx, { userId: target.userId, display });
    let id: string;
    try {
      id = await this.enterGate(reservation);
    } catch (e) {
      await this.giveBack('login_ip', this.config.loginIp, ip);
      throw e;
    }
    const attempt = { ...reservation, id };
    try {
      await this.take('login_account', this.config.loginAccount, account, ctx, attempt, true);
    } catch (e) {
      await this.giveBack('login_ip', this.config.loginIp, ip);
      await this.settleGate(attempt, 'abort');
      throw e;
    }
    return attempt;
  }

  /** A wrong password: counts in the run; the one that completes it locks the pair out (60 s, doubling to 15 min). */
  async loginFailed(reservation: LoginReservation, ctx: RequestContext): Promise<void> {
    const lockMs = await this.settleGate(reservation, 'failure');
    if (lockMs > 0) {
      this.logLockout('login_account_ip', `locked for ${Math.round(lockMs / 1000)}s`, reservation);
      await this.audit.record({
        type: CoreAudit.throttle_start,
        userId: reservation.userId,
        identifier: reservation.display,
        reason: `login_account_ip: ${Math.round(lockMs / 1000)}s`,
        ctx,
      });
    }
  }

  /** A success ends the run of failures for this IP and does not count against the other two limits. */
  async loginSucceeded(reservation: LoginReservation): Promise<void> {
    await this.settleGate(reservation, 'success');
    await this.giveBackLogin(reservation);
  }

  /**
   * The attempt ended before its password was judged (a 503 from the hash queue, a database error): it is neither
   * a failure nor a success, so it leaves no lock behind and gives back what it took.
   */
  async loginAborted(reservation: LoginReservation): Promise<void> {
    await this.settleGate(reservation, 'abort');
    await this.giveBackLogin(reservation);
  }

  async consumeRefresh(ctx: RequestContext): Promise<void> {
    await this.take('refresh', this.config.refresh, ipKey(ctx.ip), ctx);
  }

  async consumeRegister(ctx: RequestContext): Promise<void> {
    await this.take('register', this.config.register, ipKey(ctx.ip), ctx);
  }

  /**
   * One MFA code attempt for `key` (e.g. the challenge's user id): a six-digit
   * code needs its own small budget (OWASP ASVS 5.0 V6.3.1, NIST SP 800-63B §5.2.2).
   */
  async consumeMfaVerify(key: string, ctx?: RequestContext, userId?: number): Promise<void> {
    await this.take('mfa', this.config.mfa, key, ctx, { userId: userId ?? null, display: null }, true);
  }

  /** Clears the MFA budget of `key` after a correct code. */
  async clearMfaVerify(key: string): Promise<void> {
    await this.run(this.store.delete(`mfa:${key}`));
  }

  /**
   * One request under a named route limit (`@RateLimit`). `limit` is the code's default; RATE_LIMIT_<NAME> in the
   * environment replaces it.
   */
  async consumeNamed(name: string, limit: ThrottleLimit, key: string, ctx?: RequestContext): Promise<void> {
    await this.take(`rate:${name}`, this.config.rateLimits[name] ?? limit, key, ctx);
  }

  /**
   * Adds `points` (negative gives back) to another module's counter `scope:key` on the same store, Clock and
   * fail-closed 503 as the SPEC §7 limits, so its limits follow REDIS_URL too (SPEC §12 code limits). Answers the
   * window after the change; the caller decides what is over its limit.
   */
  async count(scope: string, key: string, points: number, windowMs: number, pinned = false): Promise<WindowState> {
    return this.run(this.store.add(`${scope}:${key}`, points, windowMs, this.clock.now(), pinned));
  }

  /** The live window of another module's counter `scope:key`, without touching it (null when none is open). */
  async peek(scope: string, key: string): Promise<WindowState | null> {
    return this.run(this.store.get(`${scope}:${key}`, this.clock.now()));
  }

  /**
   * Clears every login limit of one account, from every IP (the admin "unlock"). A number is a user id; an
   * identifier (or a string: a username, or a phone number when it starts with `+`) clears an unknown identifier.
   */
  async resetAccount(account: number | Identifier | string): Promise<void> {
    const key =
      typeof account === 'number'
        ? `id:${account}`
        : this.identifierKey(
            typeof account !== 'string'
              ? account
              : account.startsWith('+')
                ? { phone: account }
                : { username: account },
          );
    const now = this.clock.now();
    // Per-IP gate keys embed the generation, so one bump clears every IP without listing keys.
    await this.run(this.store.add(`generation:${key}`, 1, GENERATION_WINDOW_MS, now, true));
    await this.run(this.store.delete(`login_account:${key}`));
  }

  /** Usernames are case-insensitive (SPEC §4) and phones are compared in E.164, as the users table does. */
  private identifierKey(identifier: Identifier): string {
    if ('phone' in identifier) {
      const phone = identifier.phone.trim();
      return `p:${normalizePhone(phone, this.app.defaultPhoneRegion) ?? phone}`;
    }
    if ('email' in identifier) {
      return `e:${identifier.email.trim().toLowerCase()}`;
    }
    return `u:${identifier.username.trim().toLowerCase()}`;
  }

  /** Waits for a place in the gate, bounded by THROTTLE_LOGIN_WAIT; a locked pair is refused at once. */
  private async enterGate(reservation: Omit<LoginReservation, 'id'>): Promise<string> {
    const id = randomUUID();
    const deadline = this.clock.now() + this.config.loginWait * 1000;
    for (let round = 0; ; round++) {
      const now = this.clock.now();
      const answer = await this.run(this.store.reserve(reservation.gateKey, id, this.gatePolicy, now));
      if (answer.state === 'reserved') {
        return id;
      }
      const crowded = (this.waiters.get(reservation.gateKey)?.size ?? 0) >= MAX_WAITERS;
      if (answer.state === 'locked' || now >= deadline || crowded) {
        this.metrics.throttled('login_account_ip');
        throw ThrottlingService.refusal(answer.state === 'locked' ? answer.until - now : 1000);
      }
      await this.pause(reservation.gateKey, Math.min(POLL_MIN_MS * 2 ** round, POLL_MAX_MS));
    }
  }

  /** Waits `ms`, or less when a check on this gate settles here first. */
  private async pause(key: string, ms: number): Promise<void> {
    const waiting = this.waiters.get(key) ?? new Set<() => void>();
    this.waiters.set(key, waiting);
    let wake = (): void => undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      waiting.add(wake);
    });
    waiting.delete(wake);
    if (waiting.size === 0) {
      this.waiters.delete(key);
    }
  }

  private async settleGate(reservation: LoginReservation, outcome: GateOutcome): Promise<number> {
    const now = this.clock.now();
    const lock = await this.run(this.store.settle(reservation.gateKey, reservation.id, outcome, this.gatePolicy, now));
    for (const wake of this.waiters.get(reservation.gateKey) ?? []) {
      wake();
    }
    return lock;
  }

  private async giveBackLogin(reservation: LoginReservation): Promise<void> {
    await this.giveBack('login_account', this.config.loginAccount, reservation.account);
    await this.giveBack('login_ip', this.config.loginIp, reservation.ip);
  }

  private async giveBack(scope: string, { window }: ThrottleLimit, key: string): Promise<void> {
    await this.run(this.store.add(`${scope}:${key}`, -1, window * 1000, this.clock.now(), PINNED.has(scope)));
  }

  /**
   * The one rate-limit primitive: takes one point on the fixed window `scope:key`, or throws RATE_LIMITED with the
   * time left in the window. The attempt that first goes over a limit audits `throttle_start`, with the account when
   * it is known. `@RateLimit` (consumeNamed), refresh, register, the MFA budget and the login's per-IP and
   * per-account limits are all this call; only the login gate and the code limits add what it cannot (see there).
   */
  private async take(
    scope: string,
    { max, window }: ThrottleLimit,
    key: string,
    ctx?: RequestContext,
    who?: { userId: number | null; display: string | null },
    pinned = false,
  ): Promise<void> {
    const now = this.clock.now();
    const state = await this.run(this.store.add(`${scope}:${key}`, 1, window * 1000, now, pinned));
    if (state.count <= max) {
      return;
    }
    if (state.count === max + 1) {
      // The per-IP limits name only the caller; the per-account ones the account as well.
      const ip = ctx ? ipKey(ctx.ip) : key;
      this.logLockout(scope, `${max} in ${window}s`, who && scope !== 'login_ip' ? { ...who, ip } : { ip });
      await this.audit.record({
        type: CoreAudit.throttle_start,
        userId: who?.userId ?? null,
        identifier: who?.display ?? null,
        reason: `${scope}: ${max} in ${window}s`,
        ctx,
      });
    }
    this.metrics.throttled(scope);
    throw ThrottlingService.refusal(state.resetAt - now);
  }

  /**
   * SPEC §10 logs like a service: the moment a limit starts refusing is one warn line naming the limit and a
   * masked subject (the account id, the identifier tried, the caller's IP), never the password or the full
   * identifier (OWASP Logging Cheat Sheet). The attempts it then refuses are the request lines' 429s.
   */
  private logLockout(
    limit: string,
    detail: string,
    who: { userId?: number | null; display?: string | null; ip: string },
  ): void {
    const subject = [
      who.userId === null || who.userId === undefined ? null : `user ${who.userId}`,
      !who.display ? null : maskSubject(who.display),
      `from ${maskSubject(who.ip)}`,
    ].filter((part) => part !== null);
    this.logger.warn(`lockout: ${limit} (${detail}) now refuses ${subject.join(' ')}`);
  }

  /**
   * A store error becomes 503 SERVICE_UNAVAILABLE: with the counters out of reach an attempt is refused, never let
   * through unthrottled (fail closed, OWASP ASVS 5.0 V16.5.3).
   */
  private async run<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch (e) {
      if (e instanceof StoreFullError) {
        // SPEC §7: full of live security counters, the store refuses rather than forget one.
        this.metrics.throttled('store_full');
        throw new AppException(CoreErrors.SERVICE_UNAVAILABLE, 'Too many requests in flight; retry later', {
          retryAfter: Math.ceil(e.retryAfterMs / 1000),
        });
      }
      throw new AppException(CoreErrors.SERVICE_UNAVAILABLE, {
        retryAfter: 5,
      });
    }
  }

  /** SPEC §7: Retry-After is the real time left, in whole seconds, rounded up. */
  private static refusal(ms: number): AppException {
    return new AppException(CoreErrors.RATE_LIMITED, {
      retryAfter: Math.max(1, Math.ceil(ms / 1000)),
    });
  }
}
