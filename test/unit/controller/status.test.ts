import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { nextDeadline } from '../../../operator/controller/reconciler.js';
import { renderInvalidStatus, renderStatus } from '../../../operator/controller/status.js';
import { compileStudy } from '../../../operator/engine/compile.js';
import type { Decision, EngineTrial } from '../../../operator/engine/types.js';
import { resolved } from './fixtures.js';

const study = compileStudy(resolved());
const done = (index: number, value: number): EngineTrial => ({ index, params: { lr: 0.01, features: ['a'] }, state: 'succeeded', value, reports: [], createdAt: 0, finishedAt: index + 1 });
const cond = (s: ReturnType<typeof renderStatus>, type: string) => s.conditions!.find((c) => c.type === type);

describe('renderStatus', () => {
  it('is Running with Reconciling=True while trials run', () => {
    const decision: Decision = { launch: [{ index: 2, params: {}, seed: 1 }], stop: [] };
    const s = renderStatus({ study, trials: [done(0, 0.5), done(1, 0.7)], decision, previous: undefined, generation: 3, startedAt: 0, now: 5000 });
    assert.equal(s.phase, 'Running');
    assert.equal(cond(s, 'Ready')!.status, 'False');
    assert.equal(cond(s, 'Reconciling')!.status, 'True');
    assert.equal(cond(s, 'Reconciling')!.observedGeneration, 3);
    assert.equal(s.observedGeneration, 3);
    assert.equal(s.bestTrial!.index, 1, 'maximize: 0.7 beats 0.5');
    assert.equal(s.counts!.succeeded, 2);
    assert.equal(s.startTime, new Date(0).toISOString());
  });

  it('is Completed with Ready=True when the budget is spent, and keeps transition times', () => {
    const decision: Decision = { launch: [], stop: [], finish: { reason: 'MaxTrials', phase: 'Completed', message: 'all ran' } };
    const s = renderStatus({ study, trials: [done(0, 0.5)], decision, previous: undefined, generation: 1, startedAt: 0, now: 9000 });
    assert.equal(s.phase, 'Completed');
    assert.equal(s.reason, 'MaxTrials');
    assert.equal(cond(s, 'Ready')!.status, 'True');
    assert.equal(s.completionTime, new Date(9000).toISOString());
    const again = renderStatus({ study, trials: [done(0, 0.5)], decision, previous: s, generation: 1, startedAt: 0, now: 20_000 });
    assert.equal(cond(again, 'Ready')!.lastTransitionTime, new Date(9000).toISOString());
    assert.equal(again.completionTime, s.completionTime);
  });

  it('is Failed and Stalled when too many trials failed', () => {
    const decision: Decision = { launch: [], stop: [], finish: { reason: 'MaxFailedTrials', phase: 'Failed', message: '3 failed' } };
    const s = renderStatus({ study, trials: [], decision, previous: undefined, generation: 1, startedAt: 0, now: 1 });
    assert.equal(s.phase, 'Failed');
    assert.equal(cond(s, 'Stalled')!.status, 'True');
    assert.equal(cond(s, 'Stalled')!.reason, 'MaxFailedTrials');
  });

  it('is Suspended when suspend is set and nothing runs', () => {
    const suspended = compileStudy(resolved({ suspend: true }));
    const s = renderStatus({ study: suspended, trials: [done(0, 0.5)], decision: { launch: [], stop: [] }, previous: undefined, generation: 1, startedAt: 0, now: 1 });
    assert.equal(s.phase, 'Suspended');
  });

  it('stays bounded whatever the number of trials', () => {
    const trials = Array.from({ length: 5000 }, (_, i) => done(i, i / 5000));
    const s = renderStatus({ study, trials, decision: { launch: [], stop: [] }, previous: undefined, generation: 1, startedAt: 0, now: 1 });
    assert.ok(s.topTrials!.length <= 10 && s.recentTrials!.length <= 10);
    assert.ok(Buffer.byteLength(JSON.stringify(s)) < 16 * 1024);
  });

  it('marks an invalid spec Stalled with the fields named', () => {
    const s = renderInvalidStatus([{ code: 'empty_range', path: '/spec/parameters/0/max', message: 'min must be less than max' }], undefined, 4, 0);
    assert.equal(s.reason, 'InvalidSpec');
    assert.match(cond(s as never, 'Stalled')!.message!, /\/spec\/parameters\/0\/max: min must be less than max/);
    assert.equal(s.observedGeneration, 4);
  });
});

describe('nextDeadline', () => {
  const spec = resolved({ budget: { maxTrials: 5, trialTimeout: '10s', pendingTimeout: '5s', timeout: '1h' } });
  it('wakes the study just after the earliest trial or study deadline', () => {
    const trials: EngineTrial[] = [
      { index: 0, params: {}, state: 'running', reports: [], createdAt: 0, startedAt: 1000 },
      { index: 1, params: {}, state: 'pending', reports: [], createdAt: 2000 },
    ];
    assert.equal(nextDeadline(spec, trials, 0, 3000), 2000 + 5000 - 3000 + 50);
    assert.equal(nextDeadline(resolved({ budget: { maxTrials: 5 } }), trials, 0, 3000), undefined);
  });
});
