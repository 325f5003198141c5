import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EndObservation, judgeOutcome } from '../../../operator/engine/outcome.js';
import type { ObjectiveSpec } from '../../../operator/engine/objective.js';

const objective: ObjectiveSpec = { metric: 'loss', goal: 'minimize', valueFrom: 'last', additionalMetrics: [] };
const exited = (fields: Partial<EndObservation> = {}): EndObservation => ({ exitCode: 0, signal: null, reports: [], ...fields });
const reports = (...values: number[]) => values.map((v, i) => ({ step: i + 1, values: { loss: v } }));

describe('judgeOutcome', () => {
  it('succeeds with the final metric of the result document', () => {
    const o = judgeOutcome(objective, exited({ result: { status: 'succeeded', metrics: { loss: 0.2, acc: 0.9 } }, reports: reports(0.5, 0.3) }));
    assert.deepEqual(o, { state: 'succeeded', value: 0.2, metrics: { loss: 0.2, acc: 0.9 } });
  });

  it('falls back on the last reported value when there is no result document', () => {
    assert.equal(judgeOutcome(objective, exited({ reports: reports(0.5, 0.3, 0.4) })).value, 0.4);
  });

  it('takes the best value at any step with valueFrom: best, in the direction of the goal', () => {
    const best = { ...objective, valueFrom: 'best' as const };
    assert.equal(judgeOutcome(best, exited({ reports: reports(0.5, 0.3, 0.4), result: { status: 'succeeded', metrics: { loss: 0.45 } } })).value, 0.3);
    assert.equal(judgeOutcome({ ...best, goal: 'maximize' }, exited({ reports: reports(0.5, 0.3, 0.4) })).value, 0.5);
    assert.equal(judgeOutcome(best, exited({ reports: reports(Number.NaN, 0.7) })).value, 0.7, 'NaN steps are skipped');
  });

  it('fails with ExitCode, or the reason the trial wrote, on a non-zero exit', () => {
    assert.deepEqual(judgeOutcome(objective, exited({ exitCode: 1 })), { state: 'failed', metrics: {}, reason: 'ExitCode', message: 'exited with code 1' });
    const own = judgeOutcome(objective, exited({ exitCode: 2, result: { status: 'failed', metrics: {}, reason: 'InvalidParameter', message: 'lr < 0' } }));
    assert.equal(own.reason, 'InvalidParameter');
    assert.equal(own.message, 'exited with code 2: lr < 0');
  });

  it('fails with Signal when killed by a signal nobody asked for, or the body\'s reason (OOMKilled)', () => {
    assert.equal(judgeOutcome(objective, exited({ exitCode: null, signal: 'SIGSEGV' })).reason, 'Signal');
    assert.equal(judgeOutcome(objective, exited({ exitCode: null, signal: 'SIGKILL', runtimeReason: 'OOMKilled' })).reason, 'OOMKilled');
  });

  it('fails when the objective is missing, NaN or infinite', () => {
    assert.equal(judgeOutcome(objective, exited({ result: { status: 'succeeded', metrics: { acc: 1 } } })).reason, 'MetricMissing');
    assert.equal(judgeOutcome(objective, exited({ reports: reports(Number.NaN) })).reason, 'MetricNaN');
    assert.equal(judgeOutcome(objective, exited({ result: { status: 'succeeded', metrics: { loss: Number.POSITIVE_INFINITY } } })).reason, 'MetricInfinite');
  });

  it('fails a trial that broke the contract: unreadable result, garbled metric line', () => {
    assert.equal(judgeOutcome(objective, exited({ resultError: 'result document is not JSON', reports: reports(1) })).reason, 'BadResult');
    assert.equal(judgeOutcome(objective, exited({ badMetricLines: ['kubetune-metrics step=x'], reports: reports(1) })).reason, 'BadMetricLine');
  });

  it('lets the engine\'s stop order decide the outcome of a stopped trial', () => {
    const stopped = (stopReason: EndObservation['stopReason']) => judgeOutcome(objective, exited({ exitCode: 143, reports: reports(0.9, 0.8), stopReason }));
    assert.deepEqual([stopped('Timeout').state, stopped('Timeout').reason, stopped('Timeout').value], ['failed', 'Timeout', 0.8]);
    assert.deepEqual([stopped('Pruned').state, stopped('Pruned').value], ['pruned', 0.8]);
    assert.deepEqual([stopped('Cancelled').state, stopped('Cancelled').reason], ['pruned', 'Cancelled']);
    assert.equal(stopped('PendingTimeout').reason, 'PendingTimeout');
  });

  it('records a trial that pruned itself (result status pruned) as pruned with its value', () => {
    const o = judgeOutcome(objective, exited({ result: { status: 'pruned', metrics: { loss: 0.7 } } }));
    assert.deepEqual([o.state, o.value], ['pruned', 0.7]);
  });
});
