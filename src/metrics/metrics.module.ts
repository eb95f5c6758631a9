import { Global, Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/audit.module.js';
import { PasswordModule } from '#src/passwords/password.module.js';
import { MetricsController } from '#src/metrics/metrics.controller.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/** Global so any module (throttling, auth) can count without importing it; audit events arrive through AuditService.onRecord. */
@Global()
@Module({
  imports: [PasswordModule, AuditModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
