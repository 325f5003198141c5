/**
 * `algorithm.warmStart.resultsDir` for `kubetune run`: the succeeded trials of an earlier local
 * study are read from its event log (relative to the study file); a missing log is an error, not
 * a silent cold start; `study:` alone is refused locally.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { EVENTS_FILE, STUDY_FILE } from '../../../operator/local/results-format.js';
import { loadLocalWarmStart, WarmStartError } from '../../../operator/local/warm-start.js';
import { makeStudy } from '../engine/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'kubetune-warm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const time = '2026-01-01T00:00:00.000Z';
const created = (index: number, x: number) => ({ type: 'trial-created', time, index, params: { x }, seed: index });
const started = (index: number) => ({ type: 'trial-started', time, index, attempt: 1, pid: 1, command: ['true'] });
const finished = (index: number, state: string, value?: number) => ({
  type: 'trial-finished', time, index, attempt: 1, state, ...(value === undefined ? {} : { value }), metrics: value === undefined ? {} : { loss: value }, exitCode: 0, signal: null,
});

describe('local warm start', () => {
  const old = join(dir, 'results', 'old');
  mkdirSync(old, { recursive: true });
  const events = [
    created(0, 0.1), started(0), finished(0, 'succeeded', 0.5), created(1, 0.2), started(1), finished(1, 'failed'),
    created(2, 0.3), started(2), finished(2, 'succeeded', 0.25), created(3, 0.4), started(3),
  ];
  writeFileSync(join(old, EVENTS_FILE), events.map((e) => JSON.stringify(e)).join('\n') + '\n');

  it('reads the succeeded trials of the earlier study, relative to the study file', () => {
    const spec = makeStudy({ algorithm: { name: 'tpe', warmStart: { resultsDir: 'results/old' } } }).spec;
    assert.deepEqual(loadLocalWarmStart(spec, dir), [{ params: { x: 0.1 }, value: 0.5 }, { params: { x: 0.3 }, value: 0.25 }]);
  });

  it('values the trials by this study\'s metric when the earlier study optimised another', () => {
    const other = join(dir, 'results', 'other');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, STUDY_FILE), 'spec:\n  objective: {metric: accuracy, goal: maximize}\n');
    const withAccuracy = (index: number, value: number, loss?: number) => ({ ...finished(index, 'succeeded', value), metrics: { accuracy: value, ...(loss === undefined ? {} : { loss }) } });
    const log = [created(0, 0.1), started(0), withAccuracy(0, 0.9, 0.3), created(1, 0.2), started(1), withAccuracy(1, 0.8)];
    writeFileSync(join(other, EVENTS_FILE), log.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const spec = makeStudy({ algorithm: { name: 'tpe', warmStart: { resultsDir: 'results/other' } } }).spec;
    assert.equal(spec.objective.metric, 'loss');
    assert.deepEqual(loadLocalWarmStart(spec, dir), [{ params: { x: 0.1 }, value: 0.3 }], 'loss as reported; the trial without it is left out');
  });

  it('is undefined without warmStart, an error for a missing directory or a cluster-only form', () => {
    assert.equal(loadLocalWarmStart(makeStudy({ algorithm: { name: 'tpe' } }).spec, dir), undefined);
    assert.throws(() => loadLocalWarmStart(makeStudy({ algorithm: { name: 'tpe', warmStart: { resultsDir: 'nope' } } }).spec, dir), WarmStartError);
    assert.throws(() => loadLocalWarmStart(makeStudy({ algorithm: { name: 'tpe', warmStart: { study: 'old' } } }).spec, dir), WarmStartError);
  });
});
