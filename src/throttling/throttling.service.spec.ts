import type { AuditInput, AuditService } from '#src/audit/audit.service.js';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import type { AppConfig } from '#src/config/app.config.js';
import type { MetricsService } from '#src/metrics/metrics.service.js';
import type { RedisService } from '#src/redis/redis.service.js';
import type { Identifier } from '#src/users/users.service.js';
import type { ThrottleConfig } from '#src/throttling/throttle.config.js';
import { ThrottlingService } from '#src/throttling/throttling.service.js';

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
};

const ctx = (ip = '192.0.2.1'): RequestContext => ({ ip, userAgent: null, deviceId: null, deviceName: null });

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
  const service = new ThrottlingService(
    { ...CONFIG, ...overrides },
    { defaultPhoneRegion: 'CN' } as AppConfig,
    audit,
    metrics,
    redis,
  );
  return { service, events };
}

/** Seconds of Retry-After, or null when the attempt was let through (and then settled as a failure). */
async function fail(
  service: ThrottlingService,
  identifier: Identifier = { username: 'alice' },
  ip?: string,
): Promise<number | null> {
  try {
    const attempt = await service.reserveLogin(identifier, ctx(ip));
    await service.loginFailed(attempt, ctx(ip));
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(AppException);
    expect((e as AppException).code).toBe(ErrorCode.RATE_LIMITED);
    return (e as AppException).options.retryAfter!;
  }
}

describe(ThrottlingService.name, () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('doubles each lockout after a further run of failures, up to the maximum', async () => {
    const { service, events } = setUp();
    const lockouts: number[] = [];
    for (let run = 0; run < 6; run++) {
      for (let i = 0; i < 3; i++) {
        expect(await fail(service)).toBeNull();
      }
      const retryAfter = (await fail(service))!;
      lockouts.push(retryAfter);
      vi.advanceTimersByTime(retryAfter * 1000 + 1);
    }
    expect(lockouts).toEqual([60, 120, 240, 480, 900, 900]);
    expect(events.map((e) => e.reason)).toEqual([
      'login_account_ip: 60s',
      'login_account_ip: 120s',
      'login_account_ip: 240s',
      'login_account_ip: 480s',
      'login_account_ip: 900s',
      'login_account_ip: 900s',
    ]);
  });

  it('keys by the identifier as typed, case-insensitively, and by IP', async () => {
    const { service } = setUp();
    for (const username of ['Alice', 'ALICE ', 'alice']) {
      expect(await fail(service, { username })).toBeNull();
    }
    expect(await fail(service, { username: 'aLiCe' })).toBe(60);
    expect(await fail(service, { username: 'alice' }, '192.0.2.99')).toBeNull();
  });

  it('reads a phone number in any format as the same account', async () => {
    const { service } = setUp();
    for (const phone of ['13800138000', '+86 138 0013 8000', '+8613800138000']) {
      expect(await fail(service, { phone })).toBeNull();
    }
    expect(await fail(service, { phone: '138-0013-8000' })).toBe(60);
  });

  it('resets the run of failures after a success, and an admin reset lifts a lockout from every IP', async () => {
    const { service } = setUp();
    await fail(service);
    await fail(service);
    await service.loginSucceeded(await service.reserveLogin({ username: 'alice' }, ctx()));
    await fail(service);
    await fail(service);
    expect(await fail(service)).toBeNull();
    expect(await fail(service)).toBe(60);
    for (let i = 0; i < 4; i++) {
      await fail(service, { username: 'alice' }, '192.0.2.2');
    }
    expect(await fail(service, { username: 'alice' }, '192.0.2.2')).toBe(60);
    await service.resetAccount('Alice');
    expect(await fail(service)).toBeNull();
    expect(await fail(service, { username: 'alice' }, '192.0.2.2')).toBeNull();
  });

  it('gives back the other budgets when one limit refuses, and does not count successes', async () => {
    const { service } = setUp({ loginIp: { max: 2, window: 60 } });
    for (let i = 0; i < 5; i++) {
      await service.loginSucceeded(await service.reserveLogin({ username: `ok${i}` }, ctx()));
    }
    expect(await fail(service, { username: 'x1' })).toBeNull();
    expect(await fail(service, { username: 'x2' })).toBeNull();
    expect(await fail(service, { username: 'x3' })).toBe(60);
    vi.advanceTimersByTime(60_001);
    expect(await fail(service, { username: 'x3' })).toBeNull();
  });

  it('limits MFA attempts per key until cleared', async () => {
    const { service, events } = setUp();
    await service.consumeMfaVerify('user:7');
    await service.consumeMfaVerify('user:7');
    await expect(service.consumeMfaVerify('user:7')).rejects.toMatchObject({
      code: ErrorCode.RATE_LIMITED,
      options: { retryAfter: 300 },
    });
    await service.consumeMfaVerify('user:8');
    await service.clearMfaVerify('user:7');
    await service.consumeMfaVerify('user:7');
    expect(events.map((e) => e.reason)).toEqual(['mfa: 2 in 300s']);
  });
});
