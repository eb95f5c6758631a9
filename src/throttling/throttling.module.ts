import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '#src/audit/audit.module.js';
import throttleConfig from '#src/throttling/throttle.config.js';
import { RateLimitGuard } from '#src/throttling/rate-limit.guard.js';
import { ThrottlingService } from '#src/throttling/throttling.service.js';

/**
 * SPEC §7 limits. Import it where an endpoint needs throttling, or where a controller uses `@RateLimit`: the
 * counters live in the one ThrottlingService.
 */
@Module({
  imports: [ConfigModule.forFeature(throttleConfig), AuditModule],
  providers: [ThrottlingService, RateLimitGuard],
  exports: [ThrottlingService, RateLimitGuard],
})
export class ThrottlingModule {}
