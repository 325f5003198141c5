import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

import { exportCsv } from '../../../operator/report/csv.js';
import { exportXlsx } from '../../../operator/report/xlsx.js';
import { smallInput } from './fixtures.js';

const EXPECTED_COLUMNS = [
  'trial', 'state', 'value', 'reason', 'message', 'repeat', 'started_at', 'finished_at',
  'params_lr', 'params_optimizer', 'params_features',
  'metrics_val_accuracy', 'metrics_val_loss',
];

describe('exportCsv', () => {
  it('writes a header and one row per trial with params and metrics as columns', () => {
    const rows: string[][] = parse(exportCsv(smallInput()));
    assert.deepEqual(rows[0], EXPECTED_COLUMNS);
    assert.equal(rows.length, 1 + 4);
    assert.deepEqual(rows[1], [
      '0', 'succeeded', '0.875', '', '', '0', '2026-11-25T11:00:00.000Z', '2026-11-25T11:02:00.000Z',
      '0.001', 'adam', '["a","b"]', '0.875', '0.35',
    ]);
    assert.deepEqual(rows.map((r) => r[1]), ['state', 'succeeded', 'pruned', 'failed', 'succeeded']);
    assert.equal(rows[3]![2], '', 'a failed trial has no value');
  });

  it('quotes a value holding a comma, a quote and a newline so it reads back unchanged', () => {
    const csv = exportCsv(smallInput());
    assert.ok(csv.includes('"exit 1: loss is NaN, ""diverged""\nat epoch 2"'), 'RFC 4180 quoting');
    const rows: string[][] = parse(csv);
    assert.equal(rows[3]![3], 'exit 1: loss is NaN, "diverged"\nat epoch 2');
  });

  it('defuses spreadsheet formulas in text but leaves negative numbers and booleans readable', () => {
    const input = smallInput({ objective: { metric: 'val_accuracy', goal: 'maximize' } });
    input.parameters.push({ name: 'flag', type: 'categorical', values: [true, false] });
    input.trials[0]!.params.flag = false;
    input.trials[0]!.params.optimizer = '=HYPERLINK("http://evil")';
    input.trials[0]!.metrics.delta = -0.5;
    const rows: string[][] = parse(exportCsv(input));
    const col = (name: string) => rows[0]!.indexOf(name);
    assert.equal(rows[1]![col('params_optimizer')], `'=HYPERLINK("http://evil")`);
    assert.equal(rows[1]![col('metrics_delta')], '-0.5');
    assert.equal(rows[1]![col('params_flag')], 'false');
  });
});

describe('exportXlsx', () => {
  it('writes a workbook exceljs reads back with the trials, summary and intermediate sheets', async () => {
    const buffer = await exportXlsx(smallInput());
    assert.equal(buffer.subarray(0, 2).toString(), 'PK', 'an xlsx file is a zip archive');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
    assert.deepEqual(workbook.worksheets.map((w) => w.name), ['Trials', 'Summary', 'Intermediate']);

    const trials = workbook.getWorksheet('Trials')!;
    assert.deepEqual((trials.getRow(1).values as unknown[]).slice(1), EXPECTED_COLUMNS);
    assert.equal(trials.rowCount, 5);
    assert.equal(trials.getCell('C2').value, 0.875, 'values stay numbers');
    assert.equal(trials.getCell('K2').value, '["a","b"]');
    assert.equal(trials.getCell('D4').value, 'exit 1: loss is NaN, "diverged"\nat epoch 2');
    assert.equal(trials.getCell('C4').value, null);

    const summary = new Map<string, unknown>();
    workbook.getWorksheet('Summary')!.eachRow((row, n) => {
      if (n > 1) summary.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    assert.equal(summary.get('study'), 'mlp-fashion');
    assert.equal(summary.get('trials'), 4);
    assert.equal(summary.get('trials_succeeded'), 2);
    assert.equal(summary.get('trials_failed'), 1);
    assert.equal(summary.get('best_trial'), 0);
    assert.equal(summary.get('best_value'), 0.875);

    const intermediate = workbook.getWorksheet('Intermediate')!;
    assert.equal(intermediate.rowCount, 1 + 3 + 2 + 3);
    assert.deepEqual((intermediate.getRow(5).values as unknown[]).slice(1), [1, 1, 0.3]);
  });
});
