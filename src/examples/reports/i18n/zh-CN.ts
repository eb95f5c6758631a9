import type { ReportErrors } from '#src/examples/reports/reports.definitions.js';

/** 报表模块的中文消息：每个错误码都必须有译文（类型检查强制）。 */
const zhCN: { errors: Record<keyof typeof ReportErrors, string> } = {
  errors: {
    REPORT_NOT_FOUND: '没有这份报表',
  },
};

export default zhCN;
