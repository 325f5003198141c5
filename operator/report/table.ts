/**
 * The trials as one flat table, shared by the CSV and XLSX exports so both carry the same columns.
 *
 * One row per trial, in trial order. Column names follow Optuna's `trials_dataframe`
 * (`params_<name>`, and `metrics_<name>` for every final metric) so scripts written against one
 * read the other. A parameter inactive in a trial, or a metric it did not report, is an empty cell;
 * a `subset` value is a JSON array. Numbers keep full precision.
 */
import { metricNames } from './analysis.js';
import { exportParam } from './format.js';
import type { ReportInput, ReportTrial } from './model.js';

export type Cell = string | number | boolean | null;

export interface TrialTable {
  columns: string[];
  rows: Cell[][];
}

const FIXED_COLUMNS = ['trial', 'state', 'value', 'reason', 'message', 'repeat', 'started_at', 'finished_at'] as const;

export function trialTable(input: ReportInput): TrialTable {
  const params = input.parameters.map((p) => p.name);
  // Parameters a trial carries but the space does not list (a space edited mid-study) still export.
  const extraParams = [...new Set(input.trials.flatMap((t) => Object.keys(t.params)))].filter((n) => !params.includes(n)).sort();
  const paramColumns = [...params, ...extraParams];
  const metrics = metricNames(input);
  const columns = [...FIXED_COLUMNS, ...paramColumns.map((n) => `params_${n}`), ...metrics.map((m) => `metrics_${m}`)];
  const rows = [...input.trials]
    .sort((a, b) => a.index - b.index)
    .map((t): Cell[] => [
      ...fixedCells(t),
      ...paramColumns.map((n) => exportParam(t.params[n])),
      ...metrics.map((m) => t.metrics[m] ?? null),
    ]);
  return { columns, rows };
}

function fixedCells(t: ReportTrial): Cell[] {
  const value = typeof t.value === 'number' && !Number.isNaN(t.value) ? t.value : null;
  return [t.index, t.state, value, t.reason ?? null, t.message ?? null, t.repeat ?? null, t.startedAt ?? null, t.finishedAt ?? null];
}
