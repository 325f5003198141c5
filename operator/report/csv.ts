/**
 * All trials as CSV: the columns of `table.ts`, one row per trial, RFC 4180 quoting by csv-stringify.
 *
 * Cells that a spreadsheet would run as a formula (text starting with `=`, `+`, `-`, `@`, a tab or
 * a carriage return, as a hostile categorical value or failure reason could) get a leading `'`
 * (csv-stringify's `escape_formulas`; negative numbers are left alone). Booleans are written as
 * `true`/`false` rather than csv-stringify's default `1`/empty, so a boolean categorical survives.
 */
import { stringify } from 'csv-stringify/sync';

import type { ReportInput } from './model.js';
import { trialTable } from './table.js';

export function exportCsv(input: ReportInput): string {
  const { columns, rows } = trialTable(input);
  return stringify([columns, ...rows], {
    escape_formulas: true,
    cast: { boolean: (b: boolean) => String(b) },
  });
}
