import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '#src/audit/audit.module.js';
import throttleConfig from '#src/throttling/throttle.config.js';
import { ThrottlingService } from '#src/throttling/throttling.service.js';

/** SPEC §7 limits. Import it where an endpoint needs throttling: the counters live in the one ThrottlingService. */
@Module({
  imports: [ConfigModule.forFeature(throttleConfig), AuditModule],
  providers: [ThrottlingService],
  exports: [ThrottlingService],
})
export class ThrottlingModule {}
