import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditQueryService } from '#src/audit/audit-query.service.js';
import { AuditRetentionService } from '#src/audit/audit-retention.service.js';
import { AuditService } from '#src/audit/audit.service.js';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  providers: [AuditService, AuditQueryService, AuditRetentionService],
  exports: [AuditService, AuditQueryService, AuditRetentionService],
})
export class AuditModule {}
