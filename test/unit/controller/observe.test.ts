import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatMetricLine } from '../../../operator/api/trial-contract.js';
import { parseLog } from '../../../operator/controller/logs.js';
import { NO_METRICS, observeTrial, stoppedTrial } from '../../../operator/controller/observe.js';
import { resolved, trialJob, trialPod } from './fixtures.js';

const spec = resolved();
const log = (...values: number[]) => parseLog(['Epoch 1 starting', ...values.map((v, i) => formatMetricLine({ step: i + 1, values: { val_accuracy: v } }))].join('\n'));

describe('observeTrial', () => {
  it('sees a Job without a running pod as pending, and a running pod as running', () => {
    const pending = observeTrial(spec, trialJob(), [trialPod(3, 'Pending')], NO_METRICS);
    assert.equal(pending.ended, false);
    assert.equal(pending.trial.state, 'pending');
    assert.equal(pending.trial.createdAt, 1_000_000);
    assert.deepEqual(pending.trial.params, { lr: 0.01, features: ['a', 'c'] });
    const running = observeTrial(spec, trialJob(), [trialPod(3, 'Running')], log(0.5, 0.6));
    assert.equal(running.trial.state, 'running');
    assert.equal(running.trial.startedAt, 1_001_000);
    assert.equal(running.trial.reports.length, 2);
  });

  it('judges a succeeded pod by its termination message', () => {
    const pod = trialPod(3, 'Succeeded', { exitCode: 0, reason: 'Completed', result: { status: 'succeeded', metrics: { val_accuracy: 0.91, loss: 0.3 } } });
    const seen = observeTrial(spec, trialJob(), [pod], log(0.8, 0.9));
    assert.equal(seen.ended, true);
    assert.equal(seen.trial.state, 'succeeded');
    assert.equal(seen.trial.value, 0.91);
    assert.deepEqual(seen.trial.metrics, { val_accuracy: 0.91, loss: 0.3 });
    assert.equal(seen.trial.finishedAt, 1_005_000);
  });

  it('falls back to the last metric line when no result was written', () => {
    const seen = observeTrial(spec, trialJob(), [trialPod(3, 'Succeeded', { exitCode: 0 })], log(0.7, 0.75));
    assert.equal(seen.trial.state, 'succeeded');
    assert.equal(seen.trial.value, 0.75);
  });

  it('names the reasons of failures: OOMKilled, exit codes, NaN, missing metric, garbled result', () => {
    const cases: [Parameters<typeof trialPod>[2], ReturnType<typeof log>, string][] = [
      [{ exitCode: 137, reason: 'OOMKilled' }, log(0.5), 'OOMKilled'],
      [{ exitCode: 3, reason: 'Error', result: { status: 'failed', metrics: {}, reason: 'DatasetError', message: 'no such file' } }, log(), 'DatasetError'],
      [{ exitCode: 2, reason: 'Error' }, log(), 'ExitCode'],
      [{ exitCode: 0, result: { status: 'succeeded', metrics: { val_accuracy: Number.NaN } } }, log(), 'MetricNaN'],
      [{ exitCode: 0 }, log(), 'MetricMissing'],
      [{ exitCode: 0, result: '{not json' }, log(0.9), 'BadResult'],
      [{ exitCode: 0, reason: 'Completed', signal: 9 }, log(0.9), 'Signal'],
    ];
    for (const [term, metrics, reason] of cases) {
      const seen = observeTrial(spec, trialJob(), [trialPod(3, term!.exitCode === 0 && term!.signal === undefined ? 'Succeeded' : 'Failed', term)], metrics);
      assert.equal(seen.ended, true, reason);
      assert.equal(seen.trial.state, 'failed', reason);
      assert.equal(seen.trial.reason, reason);
    }
  });

  it('reports a garbled metric line as a broken contract', () => {
    const metrics = parseLog('kubetune-metrics step=1 val_accuracy=0.5\nkubetune-metrics step=2 val_accuracy=oops');
    const seen = observeTrial(spec, trialJob(), [trialPod(3, 'Succeeded', { exitCode: 0 })], metrics);
    assert.equal(seen.trial.reason, 'BadMetricLine');
  });

  it('treats a Job that failed without a terminated container as failed with the Job reason', () => {
    const job = trialJob();
    job.status = { conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }] };
    const seen = observeTrial(spec, job, [], NO_METRICS);
    assert.equal(seen.ended, true);
    assert.equal(seen.trial.reason, 'Timeout');
  });

  it('turns a stop order into the trial\'s end, keeping what it reported', () => {
    const running = observeTrial(spec, trialJob(), [trialPod(3, 'Running')], log(0.4, 0.5)).trial;
    const pruned = stoppedTrial(spec, running, 'Pruned', 'worse than the median', 2_000_000);
    assert.equal(pruned.state, 'pruned');
    assert.equal(pruned.value, 0.5);
    assert.equal(pruned.message, 'worse than the median');
    assert.equal(pruned.finishedAt, 2_000_000);
    assert.equal(stoppedTrial(spec, running, 'Timeout', undefined, 2_000_000).reason, 'Timeout');
    assert.equal(stoppedTrial(spec, running, 'Cancelled', undefined, 2_000_000).state, 'pruned');
  });
});
