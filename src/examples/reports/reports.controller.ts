import { Body, Controller, Get, HttpStatus, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateReportDto } from '#src/examples/reports/dto/create-report.dto.js';
import { ReportDto, ReportExportDto } from '#src/examples/reports/dto/report.dto.js';
import { ReportErrors, ReportRoles } from '#src/examples/reports/reports.definitions.js';
import { ReportsService } from '#src/examples/reports/reports.service.js';
import {
  ApiEnvelope,
  Auth,
  type AuthUser,
  BuiltInRoles,
  CurrentUser,
  RateLimit,
  ReqContext,
  type RequestContext,
} from '#src/platform/index.js';

/** Reports for the `reporter` role (and admins): the worked example of docs/extending.md. */
@ApiTags('reports (example)')
@Auth(ReportRoles.reporter, BuiltInRoles.admin)
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Saves a report. */
  @Post()
  @ApiEnvelope(ReportDto, HttpStatus.CREATED)
  create(@CurrentUser() caller: AuthUser, @Body() dto: CreateReportDto): Promise<ReportDto> {
    return this.reports.create(caller, dto.title);
  }

  /** Exports a report; each export is audited and counted, at most 5 a minute per user. 404 when there is none. */
  @Get(':id/export')
  @RateLimit('report_export', { points: 5, duration: '1m', by: 'user' })
  @ApiEnvelope(ReportExportDto, { errors: [ReportErrors.REPORT_NOT_FOUND] })
  export(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @ReqContext() ctx: RequestContext,
  ): Promise<ReportExportDto> {
    return this.reports.export(caller, id, ctx);
  }
}
