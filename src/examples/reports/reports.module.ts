import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Report } from '#src/examples/reports/entities/report.entity.js';
import reportsConfig from '#src/examples/reports/reports.config.js';
import { ReportsController } from '#src/examples/reports/reports.controller.js';
import { ReportsService } from '#src/examples/reports/reports.service.js';
import { AuditModule, ThrottlingModule } from '#src/platform/index.js';

/**
 * The worked example of docs/extending.md: a feature that brings its own config, table and migration, role,
 * error code, audit event, metric and route limit, and registers all of them itself. Adding it to an app is one
 * line in AppModule's `imports`.
 */
@Module({
  imports: [
    ConfigModule.forFeature(reportsConfig),
    TypeOrmModule.forFeature([Report]),
    AuditModule,
    // For @RateLimit on the export route.
    ThrottlingModule,
  ],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
