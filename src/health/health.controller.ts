import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public, SkipEnvelope, RedisService, ApiErrors, CoreErrors, Unprefixed } from '#src/platform/index.js';

@ApiTags('health')
@Public()
@SkipEnvelope()
@Unprefixed()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly redis: RedisService,
  ) {}

  /** The process is up. Never touches a dependency, so a slow database does not get the pod killed. */
  @Get('live')
  @ApiErrors(CoreErrors.SERVICE_UNAVAILABLE)
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready for traffic: the database, and Redis when configured, answer within
   * a second. 503 otherwise, so the load balancer drains this instance.
   */
  @Get('ready')
  // Terminus documents its report as the 503 body, but the global filter answers a failed check in the error
  // envelope (503 SERVICE_UNAVAILABLE, with Retry-After): that is what load balancers and clients receive.
  @ApiErrors(CoreErrors.SERVICE_UNAVAILABLE)
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 1000 })];
    if (this.redis.client) {
      checks.push(() =>
        this.indicator
          .check('redis')
          .attempt(() => this.redis.ping())
          .withTimeout(1000),
      );
    }
    return this.health.check(checks);
  }
}
