/**
 * `kubetune report <results-dir>` end to end on a results directory written as the local runtime
 * writes it (events.jsonl + study.yaml): the HTML report and the CSV/XLSX exports come out, and
 * the trials in them are the ones in the log.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { parse } from 'csv-parse/sync';

import { main } from '../../../operator/cli/program.js';
import type { ResultEvent } from '../../../operator/local/results-format.js';
import { foldEvents } from '../../../operator/local/results-reader.js';
import { reportInputFromLocal } from '../../../operator/report/from-local.js';
import { loadStudyFile } from '../../../operator/cli/load-study.js';

const STUDY_YAML = `apiVersion: kubetune.io/v1alpha1
kind: TuningStudy
metadata:
  name: bowl
spec:
  objective: { metric: loss, goal: minimize }
  parameters:
    - { name: x, type: float, min: -1, max: 1 }
    - { name: shape, type: categorical, values: [bowl, ridge] }
  algorithm: { name: random, seed: 1 }
  budget: { maxTrials: 4, parallelism: 2 }
  template:
    command: [node, trial.mjs]
`;

const t = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, s)).toISOString();
const EVENTS: ResultEvent[] = [
  { type: 'session-started', time: t(0), formatVersion: 1, study: 'bowl', fingerprint: { searchHash: 'h', sections: {} }, budget: { maxTrials: 4, parallelism: 2 }, pid: 1 },
  { type: 'trial-created', time: t(1), index: 0, params: { x: 0.1, shape: 'bowl' }, seed: 11 },
  { type: 'trial-created', time: t(1), index: 1, params: { x: 0.9, shape: 'ridge' }, seed: 12 },
  { type: 'trial-started', time: t(2), index: 0, attempt: 1, pid: 10, command: ['node', 'trial.mjs'] },
  { type: 'trial-started', time: t(2), index: 1, attempt: 1, pid: 11, command: ['node', 'trial.mjs'] },
  { type: 'trial-report', time: t(3), index: 0, attempt: 1, step: 1, values: { loss: 0.5 } },
  { type: 'trial-report', time: t(3), index: 1, attempt: 1, step: 1, values: { loss: 0.9 } },
  { type: 'trial-report', time: t(4), index: 0, attempt: 1, step: 2, values: { loss: 0.2 } },
  { type: 'trial-finished', time: t(5), index: 0, attempt: 1, state: 'succeeded', value: 0.2, metrics: { loss: 0.2, acc: 0.9 }, exitCode: 0, signal: null },
  { type: 'trial-finished', time: t(5), index: 1, attempt: 1, state: 'failed', value: 'NaN', metrics: { loss: 'NaN' }, reason: 'MetricNaN', message: 'the objective metric "loss" is NaN', exitCode: 0, signal: null },
  { type: 'trial-created', time: t(6), index: 2, params: { x: -0.3, shape: 'bowl' }, seed: 13 },
];

describe('kubetune report', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubetune-report-cmd-'));
    writeFileSync(join(dir, 'study.yaml'), STUDY_YAML);
    writeFileSync(join(dir, 'events.jsonl'), EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('turns the folded log into the report input: curves, decoded NaN, reasons, times', () => {
    const spec = loadStudyFile(join(dir, 'study.yaml')).resolved;
    const input = reportInputFromLocal(foldEvents(EVENTS), spec, '2026-11-25T12:00:00.000Z');
    assert.equal(input.study, 'bowl');
    assert.deepEqual(input.objective, { metric: 'loss', goal: 'minimize' });
    assert.deepEqual(input.trials.map((x) => x.state), ['succeeded', 'failed', 'pending']);
    assert.deepEqual(input.trials[0]!.intermediate, [[1, 0.5], [2, 0.2]]);
    assert.deepEqual(input.trials[0]!.metrics, { loss: 0.2, acc: 0.9 });
    assert.equal(input.trials[0]!.startedAt, t(2));
    assert.ok(Number.isNaN(input.trials[1]!.value));
    assert.equal(input.trials[1]!.reason, 'MetricNaN');
    assert.equal(input.trials[1]!.message, 'the objective metric "loss" is NaN');
  });

  it('writes report.html, trials.csv and trials.xlsx into the results directory', async () => {
    const code = await main(['report', dir, '--csv', '--xlsx']);
    assert.equal(code, 0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /<h1>bowl<\/h1>/);
    assert.match(html, /<div class="label">Failed<\/div><div class="value">1<\/div>/);
    const rows: string[][] = parse(readFileSync(join(dir, 'trials.csv'), 'utf8'));
    assert.deepEqual(rows.map((r) => r.slice(0, 4)), [
      ['trial', 'state', 'value', 'reason'],
      ['0', 'succeeded', '0.2', ''],
      ['1', 'failed', '', 'MetricNaN'],
      ['2', 'pending', '', ''],
    ]);
    assert.ok(existsSync(join(dir, 'trials.xlsx')));
  });

  it('refuses a directory that holds no results', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kubetune-report-empty-'));
    try {
      assert.equal(await main(['report', empty]), 1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
