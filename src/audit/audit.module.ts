import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import auditConfig from '#src/audit/audit.config.js';
import { AuditQueryService } from '#src/audit/audit-query.service.js';
import { AuditRetentionService } from '#src/audit/audit-retention.service.js';
import { AuditService } from '#src/audit/audit.service.js';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import { LoginHistoryController } from '#src/audit/login-history.controller.js';
import { LoginHistoryService } from '#src/audit/login-history.service.js';

@Module({
  imports: [ConfigModule.forFeature(auditConfig), TypeOrmModule.forFeature([AuditEvent])],
  controllers: [LoginHistoryController],
  providers: [AuditService, AuditQueryService, AuditRetentionService, LoginHistoryService],
  exports: [AuditService, AuditQueryService, AuditRetentionService],
})
export class AuditModule {}
