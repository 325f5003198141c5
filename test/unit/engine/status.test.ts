import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateStudy } from '../../../operator/api/validate.js';
import { renderInvalidStatus, renderStatus } from '../../../operator/engine/status.js';
import { makeStudy, trial } from './fixtures.js';

const cond = (status: ReturnType<typeof renderStatus>, type: string) => status.conditions?.find((c) => c.type === type);

describe('renderStatus', () => {
  it('is Running and Reconciling while trials run, with bounded counts and the best trial', () => {
    const s = renderStatus({ study: makeStudy(), trials: [trial(0, { value: 2 }), trial(1, { state: 'running', value: undefined })], generation: 3, now: 1000, startedAt: 0 });
    assert.equal(s.phase, 'Running');
    assert.deepEqual([cond(s, 'Ready')?.status, cond(s, 'Reconciling')?.status], ['False', 'True']);
    assert.equal(cond(s, 'Ready')?.observedGeneration, 3);
    assert.equal(s.bestTrial?.index, 0);
    assert.equal(s.counts?.running, 1);
    assert.equal(s.startTime, '1970-01-01T00:00:00.000Z');
  });

  it('is Completed and Ready once finished, Failed and Stalled on too many failures', () => {
    const done = renderStatus({ study: makeStudy(), trials: [trial(0)], generation: 1, now: 5000, finish: { reason: 'MaxTrials', phase: 'Completed', message: 'done', at: 5000 } });
    assert.deepEqual([done.phase, done.reason, cond(done, 'Ready')?.status, cond(done, 'Stalled')], ['Completed', 'MaxTrials', 'True', undefined]);
    assert.equal(done.completionTime, new Date(5000).toISOString());
    const failed = renderStatus({ study: makeStudy(), trials: [], generation: 1, now: 1, finish: { reason: 'MaxFailedTrials', phase: 'Failed', message: 'x', at: 1 } });
    assert.deepEqual([failed.phase, cond(failed, 'Stalled')?.status, cond(failed, 'Stalled')?.reason], ['Failed', 'True', 'MaxFailedTrials']);
  });

  it('is Suspended with suspend set, and Pending before the first trial', () => {
    assert.equal(renderStatus({ study: makeStudy({ suspend: true }), trials: [], generation: 1, now: 0 }).phase, 'Suspended');
    assert.equal(renderStatus({ study: makeStudy(), trials: [], generation: 1, now: 0 }).phase, 'Pending');
  });

  it('keeps lastTransitionTime while a condition does not change', () => {
    const first = renderStatus({ study: makeStudy(), trials: [trial(0, { state: 'running', value: undefined })], generation: 1, now: 1000 });
    const later = renderStatus({ study: makeStudy(), trials: [trial(0, { state: 'running', value: undefined })], generation: 1, now: 9000, previous: first });
    assert.equal(cond(later, 'Reconciling')?.lastTransitionTime, new Date(1000).toISOString());
  });

  it('marks an invalid spec Stalled with the fields named', () => {
    const { issues } = validateStudy({ apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy', metadata: { name: 'x' }, spec: { objective: { metric: 'm', goal: 'up' }, parameters: [] } });
    const s = renderInvalidStatus(issues, 2, 0);
    assert.equal(s.phase, 'Failed');
    assert.equal(cond(s as ReturnType<typeof renderStatus>, 'Stalled')?.reason, 'InvalidSpec');
    assert.match(cond(s as ReturnType<typeof renderStatus>, 'Stalled')?.message ?? '', /\/spec\/objective\/goal/);
  });
});
