import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Counter } from 'prom-client';
import { Repository } from 'typeorm';
import type { ReportDto, ReportExportDto } from '#src/examples/reports/dto/report.dto.js';
import { Report } from '#src/examples/reports/entities/report.entity.js';
import reportsConfig from '#src/examples/reports/reports.config.js';
import { ReportAudit, ReportErrors } from '#src/examples/reports/reports.definitions.js';
import {
  AppException,
  AuditService,
  type AuthUser,
  Clock,
  MetricsService,
  type RequestContext,
} from '#src/platform/index.js';

const view = (report: Report): ReportDto => ({
  id: report.id,
  title: report.title,
  created_by: report.createdBy,
  created_at: new Date(report.createdAt).toISOString(),
});

/** The one writer of `example_reports`; the controller only calls it. */
@Injectable()
export class ReportsService {
  private readonly exports: Counter<'format'>;

  constructor(
    @InjectRepository(Report) private readonly reports: Repository<Report>,
    @Inject(reportsConfig.KEY) private readonly config: ConfigType<typeof reportsConfig>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    // A module's own metric, on the app's registry: it shows on /metrics beside the core ones.
    this.exports = metrics.counter({
      name: 'gatehouse_reports_exported_total',
      help: 'Reports exported, by format',
      labelNames: ['format'],
    });
  }

  async create(caller: AuthUser, title: string): Promise<ReportDto> {
    const report = this.reports.create({ title, createdBy: caller.userId, createdAt: this.clock.now() });
    await this.reports.insert(report);
    return view(report);
  }

  async export(caller: AuthUser, id: number, ctx: RequestContext): Promise<ReportExportDto> {
    const report = await this.reports.findOneBy({ id });
    if (!report) {
      throw new AppException(ReportErrors.REPORT_NOT_FOUND);
    }
    const { exportFormat: format } = this.config;
    const content =
      format === 'json'
        ? JSON.stringify(view(report))
        : `id,title,created_by\n${report.id},"${report.title}",${report.createdBy}`;
    await this.audit.record({
      type: ReportAudit.report_exported,
      userId: caller.userId,
      sessionId: caller.sessionId,
      reason: `report ${report.id} as ${format}`,
      ctx,
    });
    this.exports.inc({ format });
    return { format, content };
  }
}
