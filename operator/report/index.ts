/**
 * The results report: one self-contained HTML page and CSV/XLSX exports, all drawn from a
 * `ReportInput` (see `model.ts`). Loaders — the local results directory, a TuningStudy on a
 * cluster — build the input; this module never reads storage.
 */
export type { ReportInput, ReportTrial } from './model.js';
export { renderReportHtml, type ReportOptions } from './html.js';
export { exportCsv } from './csv.js';
export { exportXlsx } from './xlsx.js';
export { pedAnovaImportance, type ImportanceOptions, type ImportanceResult, type ParamImportance } from './importance.js';
export { reportInputFromLocal } from './from-local.js';
