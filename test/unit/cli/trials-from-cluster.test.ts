/**
 * What `kubetune trials` and `kubetune report <study>` make of a cluster study: finished trials
 * from the history records (decoded as the operator decodes them, NaN and curves included),
 * running ones from the status summary, and the trials table that prints them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TuningStudy } from '../../../operator/api/types.js';
import type { HistoryRecord } from '../../../operator/controller/history.js';
import { reportInputFromCluster } from '../../../operator/report/from-cluster.js';
import { studiesTable, trialsTable } from '../../../operator/cli/views/cluster.js';

const study: TuningStudy = {
  apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy',
  metadata: { name: 'mlp', namespace: 'ml', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    objective: { metric: 'val_accuracy', goal: 'maximize' },
    parameters: [{ name: 'lr', type: 'float', min: 0.0001, max: 0.1, log: true }],
    algorithm: { name: 'tpe', seed: 1 },
    budget: { maxTrials: 10, parallelism: 2 },
    template: { image: 'img', command: ['python', 'train.py'] },
  },
  status: {
    phase: 'Running',
    counts: { total: 4, finished: 3, pending: 0, running: 1, succeeded: 2, failed: 1, pruned: 0 },
    bestTrial: { index: 1, value: 0.9, params: { lr: 0.01 } },
    recentTrials: [
      { index: 3, state: 'running', params: { lr: 0.002 } },
      { index: 2, state: 'failed', reason: 'OOMKilled', params: { lr: 0.05 } },
    ],
  },
};

const records: HistoryRecord[] = [
  { index: 0, params: { lr: 0.001 }, state: 'succeeded', value: 0.8, metrics: { val_accuracy: 0.8, test_accuracy: 0.79 }, createdAt: 0, startedAt: 1_000, finishedAt: 61_000, series: [[1, 0.7], [2, 0.8]] },
  { index: 1, params: { lr: 0.01 }, state: 'succeeded', value: 0.9, createdAt: 0, startedAt: 1_000, finishedAt: 31_000, series: [[1, 0.9]] },
  { index: 2, params: { lr: 0.05 }, state: 'failed', value: 'NaN', reason: 'OOMKilled', createdAt: 0, finishedAt: 5_000, series: [[1, 'NaN']] },
];

describe('reportInputFromCluster', () => {
  const input = reportInputFromCluster(study, records, '2026-01-01T01:00:00Z');

  it('takes finished trials from history, with their curves and metrics, and running ones from the status', () => {
    assert.equal(input.study, 'ml/mlp');
    assert.deepEqual(input.trials.map((t) => [t.index, t.state]), [[0, 'succeeded'], [1, 'succeeded'], [2, 'failed'], [3, 'running']]);
    assert.deepEqual(input.trials[0]?.intermediate, [[1, 0.7], [2, 0.8]]);
    assert.equal(input.trials[0]?.metrics.test_accuracy, 0.79);
    assert.equal(input.trials[0]?.startedAt, '1970-01-01T00:00:01.000Z');
    assert.equal(input.trials[2]?.value, undefined, 'a NaN value is no value');
    assert.equal(input.trials[2]?.reason, 'OOMKilled');
    assert.deepEqual(input.trials[3]?.params, { lr: 0.002 });
  });

  it('prints one row per trial with its value, duration and reason', () => {
    const lines = trialsTable(input.trials, 'val_accuracy').trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^TRIAL\s+STATE\s+VAL_ACCURACY\s+DURATION\s+REASON\s+PARAMS$/);
    assert.match(lines[1] ?? '', /^0\s+succeeded\s+0\.8\s+1m\s+lr=0\.001$/);
    assert.match(lines[3] ?? '', /^2\s+failed\s+-\s+-\s+OOMKilled\s+lr=0\.05$/);
    assert.match(lines[4] ?? '', /^3\s+running\s+-\s+-\s+lr=0\.002$/);
  });

  it('lists studies with trials done of the budget, the best value and the age', () => {
    const text = studiesTable([study], Date.parse('2026-01-01T03:00:00Z'), false);
    assert.match(text, /^NAME\s+PHASE\s+TRIALS/);
    assert.match(text, /\nmlp\s+Running\s+4\/10\s+1\s+2\s+1\s+0\s+val_accuracy=0\.9 \(#1\)\s+3h\n/);
  });
});
