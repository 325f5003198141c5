/**
 * All trials as an Excel workbook, written by exceljs. Three sheets:
 *  - `Trials`: the columns of `table.ts` (numbers stay numbers), header frozen and filterable;
 *  - `Summary`: study, objective, algorithm, counts by state and the best trial;
 *  - `Intermediate`: every intermediate value as `trial, step, value` (long form, for pivoting).
 * The workbook's created/modified dates are the report's `generatedAt`, not the clock.
 */
import ExcelJS from 'exceljs';

import { bestTrial, countByState, TRIAL_STATES } from './analysis.js';
import { exportParam } from './format.js';
import type { ReportInput } from './model.js';
import { trialTable } from './table.js';

export async function exportXlsx(input: ReportInput): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const when = new Date(input.generatedAt);
  workbook.creator = 'kubetune';
  if (!Number.isNaN(when.getTime())) {
    workbook.created = when;
    workbook.modified = when;
  }
  addTrialsSheet(workbook, input);
  addSummarySheet(workbook, input);
  addIntermediateSheet(workbook, input);
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

function addTrialsSheet(workbook: ExcelJS.Workbook, input: ReportInput): void {
  const { columns, rows } = trialTable(input);
  const sheet = workbook.addWorksheet('Trials', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c, key: c, width: Math.max(10, Math.min(40, c.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

function addSummarySheet(workbook: ExcelJS.Workbook, input: ReportInput): void {
  const sheet = workbook.addWorksheet('Summary');
  sheet.columns = [
    { header: 'field', key: 'field', width: 24 },
    { header: 'value', key: 'value', width: 48 },
  ];
  sheet.getRow(1).font = { bold: true };
  const counts = countByState(input.trials);
  const best = bestTrial(input);
  const rows: [string, string | number | boolean | null][] = [
    ['study', input.study],
    ['objective', input.objective.metric],
    ['goal', input.objective.goal],
    ['algorithm', input.algorithm],
    ['generated_at', input.generatedAt],
    ['trials', input.trials.length],
    ...TRIAL_STATES.map((s): [string, number] => [`trials_${s}`, counts[s]]),
    ['best_trial', best?.index ?? null],
    ['best_value', best?.value ?? null],
    ...input.parameters.map((p): [string, string | number | boolean | null] => [`best_params_${p.name}`, best ? exportParam(best.params[p.name]) : null]),
  ];
  for (const [field, value] of rows) sheet.addRow({ field, value });
}

function addIntermediateSheet(workbook: ExcelJS.Workbook, input: ReportInput): void {
  const sheet = workbook.addWorksheet('Intermediate', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'trial', key: 'trial', width: 8 },
    { header: 'step', key: 'step', width: 8 },
    { header: 'value', key: 'value', width: 14 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const t of [...input.trials].sort((a, b) => a.index - b.index)) {
    for (const [step, value] of t.intermediate) sheet.addRow({ trial: t.index, step, value });
  }
}
