import { Global, Module } from '@nestjs/common';
import { PasswordModule } from '#src/passwords/password.module.js';
import { MetricsController } from '#src/metrics/metrics.controller.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/** Global so any module (audit, throttling) can count without importing it. */
@Global()
@Module({
  imports: [PasswordModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
