import type { AuditInput, AuditService } from '#src/audit/audit.service.js';
import { AppException } from '#src/common/app.exception.js';
import { ManualClock } from '#src/common/clock.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import type { AppConfig } from '#src/config/app.config.js';
import type { ThrottleConfig } from '#src/throttling/throttle.config.js';
import type { MetricsService } from '#src/metrics/metrics.service.js';
import type { RedisService } from '#src/redis/redis.service.js';
import { type LoginTarget, ThrottlingService } from '#src/throttling/throttling.service.js';

const CONFIG: ThrottleConfig = {
  store: { type: 'memory' },
  loginAccountIp: { max: 3, window: 86400 },
  lockout: 60,
  lockoutMax: 900,
  loginAccount: { max: 1000, window: 3600 },
  loginIp: { max: 1000, window: 60 },
  refresh: { max: 1000, window: 60 },
  register: { max: 1000, window: 3600 },
  mfa: { max: 2, window: 300 },
  loginWait: 10,
  memoryMaxKeys: 1000,
  rateLimits: {},
};

const ctx = (ip = '192.0.2.1'): RequestContext => ({ ip, userAgent: null, deviceId: null, deviceName: null });
const ALICE: LoginTarget = { userId: 7, identifier: { username: 'alice' } };

function setUp(overrides: Partial<ThrottleConfig> = {}) {
  const events: AuditInput[] = [];
  const audit = {
    record: (input: AuditInput) => {
      events.push(input);
      return Promise.resolve();
    },
  } as unknown as AuditService;
  const metrics = { throttled: () => undefined } as unknown as MetricsService;
  const redis = { client: null } as RedisService;
  const clock = new ManualClock();
  const service = new ThrottlingService(
    { ...CONFIG, ...overrides },
    { defaultPhoneRegion: 'CN' } as AppConfig,
    audit,
    metrics,
    redis,
    clock,
  );
  return { service, events, clock };
}

/** Seconds of Retry-After, or null when the attempt was let through (and then settled as a failure). */
async function fail(service: ThrottlingService, target: LoginTarget = ALICE, ip?: string): Promise<number | null> {
  try {
    const attempt = await service.reserveLogin(target, ctx(ip));
    await service.loginFailed(attempt, ctx(ip));
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(AppException);
    expect((e as AppException).code).toBe(CoreErrors.RATE_LIMITED.code);
    return (e as AppException).options.retryAfter!;
  }
}

describe(ThrottlingService.name, () => {
  it('doubles each lockout after a further run of failures, up to the maximum, with the real time left', async () => {
    const { service, events, clock } = setUp();
    const lockouts: number[] = [];
    for (let run = 0; run < 6; run++) {
      for (let i = 0; i < 3; i++) {
        expect(await fail(service)).toBeNull();
      }
      const retryAfter = (await fail(service))!;
      lockouts.push(retryAfter);
      clock.advance(retryAfter * 1000 - 10_000);
      expect(await fail(service)).toBe(10);
      clock.advance(10_001);
    }
    expect(lockouts).toEqual([60, 120, 240, 480, 900, 900]);
    expect(events.map((e) => [e.userId, e.reason])).toEqual(
      [60, 120, 240, 480, 900, 900].map((s) => [7, `login_account_ip: ${s}s`]),
    );
  });

  it('counts the resolved account: its username and phone share one budget', async () => {
    const { service } = setUp();
    expect(await fail(service, { userId: 7, identifier: { username: 'Alice' } })).toBeNull();
    expect(await fail(service, { userId: 7, identifier: { phone: '13800138000' } })).toBeNull();
    expect(await fail(service, { userId: 7, identifier: { username: 'alice' } })).toBeNull();
    expect(await fail(service, { userId: 7, identifier: { phone: '+8613800138000' } })).toBe(60);
  });

  it('counts an unknown identifier by its normalised form', async () => {
    const { service } = setUp();
    for (const phone of ['13800138000', '+86 138 0013 8000', '+8613800138000']) {
      expect(await fail(service, { userId: null, identifier: { phone } })).toBeNull();
    }
    expect(await fail(service, { userId: null, identifier: { phone: '138-0013-8000' } })).toBe(60);
    for (const username of ['Ghost', 'GHOST ', 'ghost']) {
      expect(await fail(service, { userId: null, identifier: { username } })).toBeNull();
    }
    expect(await fail(service, { userId: null, identifier: { username: 'gHoSt' } })).toBe(60);
  });

  it('counts IPv6 clients per /64, and IPv4-mapped addresses as IPv4', async () => {
    const { service } = setUp();
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:0db8:0001:0002:0:0:0:77']) {
      expect(await fail(service, ALICE, ip)).toBeNull();
    }
    expect(await fail(service, ALICE, '2001:db8:1:2:abcd::1')).toBe(60);
    expect(await fail(service, ALICE, '2001:db8:1:3::1')).toBeNull();
    for (const ip of ['198.51.100.7', '::ffff:198.51.100.7', '198.51.100.7']) {
      expect(await fail(service, ALICE, ip)).toBeNull();
    }
    expect(await fail(service, ALICE, '198.51.100.7')).toBe(60);
  });

  it('resets the run of failures after a success, and an admin reset lifts a lockout from every IP', async () => {
    const { service } = setUp();
    await fail(service);
    await fail(service);
    await service.loginSucceeded(await service.reserveLogin(ALICE, ctx()));
    await fail(service);
    await fail(service);
    expect(await fail(service)).toBeNull();
    expect(await fail(service)).toBe(60);
    for (let i = 0; i < 3; i++) {
      await fail(service, ALICE, '192.0.2.2');
    }
    expect(await fail(service, ALICE, '192.0.2.2')).toBe(60);
    await service.resetAccount(7);
    expect(await fail(service)).toBeNull();
    expect(await fail(service, ALICE, '192.0.2.2')).toBeNull();
  });

  it('leaves no lock when the attempt that would complete the run is aborted', async () => {
    const { service } = setUp();
    await fail(service);
    await fail(service);
    await service.loginAborted(await service.reserveLogin(ALICE, ctx()));
    await service.loginSucceeded(await service.reserveLogin(ALICE, ctx()));
  });

  it('gives back the other budgets when one limit refuses, and does not count successes', async () => {
    const { service, clock } = setUp({ loginIp: { max: 2, window: 60 } });
    for (let i = 0; i < 5; i++) {
      await service.loginSucceeded(
        await service.reserveLogin({ userId: i, identifier: { username: `ok${i}` } }, ctx()),
      );
    }
    const ghost = (name: string): LoginTarget => ({ userId: null, identifier: { username: name } });
    expect(await fail(service, ghost('x1'))).toBeNull();
    expect(await fail(service, ghost('x2'))).toBeNull();
    expect(await fail(service, ghost('x3'))).toBe(60);
    clock.advance(60_001);
    expect(await fail(service, ghost('x3'))).toBeNull();
  });

  it('makes an attempt beyond the budget wait for the checks in flight: a success lets it through', async () => {
    const { service } = setUp();
    const held = await Promise.all([1, 2, 3].map(() => service.reserveLogin(ALICE, ctx())));
    let settled = false;
    const waiting = service.reserveLogin(ALICE, ctx()).then((attempt) => {
      settled = true;
      return attempt;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    await service.loginSucceeded(held[0]);
    await service.loginSucceeded(await waiting);
  });

  it('refuses the waiting attempts once the checks in flight all fail, checking no more than the budget', async () => {
    const { service } = setUp();
    const held = await Promise.all([1, 2, 3].map(() => service.reserveLogin(ALICE, ctx())));
    const waiting = [1, 2, 3, 4].map(() => service.reserveLogin(ALICE, ctx()));
    for (const attempt of held) {
      await service.loginFailed(attempt, ctx());
    }
    const answers = await Promise.allSettled(waiting);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect((answers[0] as PromiseRejectedResult).reason).toMatchObject({
      code: CoreErrors.RATE_LIMITED.code,
      options: { retryAfter: 60 },
    });
  });

  it('bounds the wait: with the checks in flight still running, the attempt is refused after THROTTLE_LOGIN_WAIT', async () => {
    const { service, clock } = setUp();
    await Promise.all([1, 2, 3].map(() => service.reserveLogin(ALICE, ctx())));
    const waiting = service.reserveLogin(ALICE, ctx());
    await new Promise((resolve) => setTimeout(resolve, 50));
    clock.advance(10_001);
    await expect(waiting).rejects.toMatchObject({ code: CoreErrors.RATE_LIMITED.code, options: { retryAfter: 1 } });
  });

  it('lets at most 64 attempts wait on one account and IP; the next is refused at once', async () => {
    const { service } = setUp();
    const held = await Promise.all([1, 2, 3].map(() => service.reserveLogin(ALICE, ctx())));
    const waiting = Array.from({ length: 64 }, () => service.reserveLogin(ALICE, ctx()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(service.reserveLogin(ALICE, ctx())).rejects.toMatchObject({
      code: CoreErrors.RATE_LIMITED.code,
      options: { retryAfter: 1 },
    });
    const done = waiting.map(async (attempt) => service.loginSucceeded(await attempt));
    await Promise.all(held.map((attempt) => service.loginSucceeded(attempt)));
    await Promise.all(done);
  });

  it('limits MFA attempts per key until cleared', async () => {
    const { service, events } = setUp();
    await service.consumeMfaVerify('user:7', undefined, 7);
    await service.consumeMfaVerify('user:7');
    await expect(service.consumeMfaVerify('user:7', undefined, 7)).rejects.toMatchObject({
      code: CoreErrors.RATE_LIMITED.code,
      options: { retryAfter: 300 },
    });
    await service.consumeMfaVerify('user:8');
    await service.clearMfaVerify('user:7');
    await service.consumeMfaVerify('user:7');
    expect(events.map((e) => [e.userId, e.reason])).toEqual([[7, 'mfa: 2 in 300s']]);
  });
});
