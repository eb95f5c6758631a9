import { Controller, Get, Module } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { RateLimit } from '#src/throttling/rate-limit.decorator.js';
import { ThrottlingModule } from '#src/throttling/throttling.module.js';
import { API } from '../helpers/auth-client.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { createTestRedis, type TestRedis } from '../helpers/test-redis.js';

class PongDto {
  @ApiProperty()
  pong: boolean;
}

@Controller('test-shared')
class SharedController {
  @Public()
  @Get('ping')
  @RateLimit('test_shared_ping', { points: 3, duration: '1m', by: 'ip' })
  @ApiEnvelope(PongDto)
  ping(): PongDto {
    return { pong: true };
  }
}

@Module({ imports: [ThrottlingModule], controllers: [SharedController] })
class SharedModule {}

describe('@RateLimit with REDIS_URL: one budget for every instance (SPEC §7)', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    const env = { ...redis.env, TRUST_PROXY: '' };
    a = await createTestApp(env, { database: db, mount: [SharedModule] });
    b = await createTestApp(env, { database: db, mount: [SharedModule] });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.drop();
    await db?.drop();
  });

  it('counts requests to both instances together and refuses the fourth with Retry-After', async () => {
    const statuses: number[] = [];
    for (const t of [a, b, a, b]) {
      statuses.push((await t.http().get(`${API}/test-shared/ping`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await a.http().get(`${API}/test-shared/ping`);
    expect(refused.body).toMatchObject({ code: 429, error: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(55);
    expect((await redis.keys()).some((key) => key.startsWith(`${redis.prefix}throttle:rate:test_shared_ping:`))).toBe(
      true,
    );
  });
});
