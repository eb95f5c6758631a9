export class ReportDto {
  id: number;
  title: string;
  /** The user who saved it. */
  created_by: number;
  /** ISO 8601. */
  created_at: string;
}

export class ReportExportDto {
  /** `csv` or `json`, as `REPORTS_EXPORT_FORMAT` says. */
  format: string;
  content: string;
}
