import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional } from 'class-validator';
import { EnvDoc, validateConfig } from '#src/platform/index.js';

const FORMATS = ['csv', 'json'] as const;
export type ReportFormat = (typeof FORMATS)[number];

class ReportsEnv {
  @EnvDoc('Example reports module: how GET /reports/:id/export renders a report, csv or json.', 'csv')
  @IsOptional()
  @IsIn(FORMATS)
  REPORTS_EXPORT_FORMAT?: string;
}

export interface ReportsConfig {
  /** How `GET /reports/:id/export` renders a report. */
  exportFormat: ReportFormat;
}

/**
 * The module's own namespace, loaded with `ConfigModule.forFeature` by ReportsModule: a bad value stops the
 * start and names the variable, like every core setting.
 */
export default registerAs('reports', (): ReportsConfig => {
  // STYLE 5: process.env is read in config files only.
  const env = validateConfig(process.env, ReportsEnv);
  return { exportFormat: (env.REPORTS_EXPORT_FORMAT as ReportFormat | undefined) ?? 'csv' };
});
