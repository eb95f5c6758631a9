import { Controller, Get, Module } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty } from '@nestjs/swagger';
import type { Response } from 'supertest';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { RateLimit } from '#src/throttling/rate-limit.decorator.js';
import { ThrottlingModule } from '#src/throttling/throttling.module.js';
import { API, bearer, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

class ExportedDto {
  @ApiProperty()
  exported: boolean;
}

class MineDto {
  @ApiProperty()
  mine: boolean;
}

/** A team's module, as it would use the named limit: one import, one decorator per route. */
@Controller('test-reports')
class ReportsController {
  @Public()
  @Get('export')
  @RateLimit('test_report_export', { points: 10, duration: '1m', by: 'ip' })
  @ApiEnvelope(ExportedDto)
  export(): ExportedDto {
    return { exported: true };
  }

  @Get('mine')
  @RateLimit('test_report_mine', { points: 2, duration: '1h', by: 'user' })
  @ApiBearerAuth()
  @ApiEnvelope(MineDto)
  mine(): MineDto {
    return { mine: true };
  }
}

@Module({ imports: [ThrottlingModule], controllers: [ReportsController] })
class ReportsModule {}

function expectRateLimited(res: Response): number {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ code: 429, error: 'RATE_LIMITED', data: null });
  return Number(res.headers['retry-after']);
}

describe('@RateLimit: a named, configurable limit on a route (SPEC §7)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_TEST_REPORT_EXPORT: '3/1m', TRUST_PROXY: '' }, { mount: [ReportsModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  const exportReport = () => t.http().get(`${API}/test-reports/export`);

  it('takes its budget from RATE_LIMIT_<NAME>, answers 429 with the real time left, and opens again after it', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await exportReport();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ code: 200, msg: 'success', data: { exported: true } });
    }
    const first = expectRateLimited(await exportReport());
    expect(first).toBeGreaterThan(55);
    expect(first).toBeLessThanOrEqual(60);
    t.clock.advance(40_000);
    const later = expectRateLimited(await exportReport());
    expect(later).toBeGreaterThanOrEqual(first - 41);
    expect(later).toBeLessThanOrEqual(first - 39);
    t.clock.advance(later * 1000);
    expect((await exportReport()).status).toBe(200);
    const rows = await t.dataSource.query("SELECT reason FROM audit_events WHERE type = 'throttle_start'");
    expect(rows).toContainEqual({ reason: 'rate:test_report_export: 3 in 60s' });
  });

  it('counts per user with by: user, and keeps the code default when no variable names the limit', async () => {
    const alice = await register(t);
    const bob = await register(t);
    const mine = (token: string) => t.http().get(`${API}/test-reports/mine`).set(bearer(token));
    expect((await mine(alice.access_token)).status).toBe(200);
    expect((await mine(alice.access_token)).status).toBe(200);
    const refused = expectRateLimited(await mine(alice.access_token));
    expect(refused).toBeGreaterThan(3500);
    expect((await mine(bob.access_token)).status).toBe(200);
    expect((await t.http().get(`${API}/test-reports/mine`)).status).toBe(401);
  });
});
