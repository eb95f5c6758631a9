import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '#src/audit/audit.module.js';
import { PasswordModule } from '#src/passwords/password.module.js';
import metricsConfig from '#src/metrics/metrics.config.js';
import { MetricsController } from '#src/metrics/metrics.controller.js';
import { MetricsTokenGuard } from '#src/metrics/metrics-token.guard.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/** Global so any module (throttling, auth) can count without importing it; audit events arrive through AuditService.onRecord. */
@Global()
@Module({
  imports: [PasswordModule, AuditModule, ConfigModule.forFeature(metricsConfig)],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsTokenGuard],
  exports: [MetricsService],
})
export class MetricsModule {}
