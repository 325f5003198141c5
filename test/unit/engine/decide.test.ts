import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paramsKey } from '../../../operator/space/space.js';
import { decide, trialSeed } from '../../../operator/engine/decide.js';
import type { EngineTrial } from '../../../operator/engine/types.js';
import { makeStudy, trial } from './fixtures.js';

/** Runs a study to the end with instant trials whose loss is x², returning every trial. */
function simulate(study = makeStudy(), now = 0): EngineTrial[] {
  const trials: EngineTrial[] = [];
  for (let round = 0; round < 1000; round++) {
    const d = decide(study, { trials, startedAt: 0 }, now);
    if (d.finish) return trials;
    for (const plan of d.launch) trials.push({ index: plan.index, params: plan.params, state: 'running', reports: [], createdAt: now, startedAt: now });
    // finish the oldest running trial
    const running = trials.find((t) => t.state === 'running');
    if (running) trials[running.index] = { ...running, state: 'succeeded', value: (running.params.x as number) ** 2, finishedAt: now };
  }
  throw new Error('study did not finish');
}

describe('decide', () => {
  it('launches up to parallelism trials with distinct indices and derived seeds', () => {
    const study = makeStudy({ budget: { maxTrials: 10, parallelism: 3 } });
    const d = decide(study, { trials: [] }, 0);
    assert.deepEqual(d.launch.map((p) => p.index), [0, 1, 2]);
    assert.deepEqual(d.launch.map((p) => p.seed), [0, 1, 2].map((i) => trialSeed(7, i)));
    assert.equal(new Set(d.launch.map((p) => paramsKey(p.params))).size, 3);
    assert.equal(d.finish, undefined);
  });

  it('fills only the free slots: parallelism minus pending and running trials', () => {
    const study = makeStudy({ budget: { maxTrials: 10, parallelism: 3 } });
    const trials = [trial(0, { state: 'running' }), trial(1, { state: 'pending' }), trial(2)];
    const d = decide(study, { trials }, 0);
    assert.deepEqual(d.launch.map((p) => p.index), [3]);
  });

  it('never plans past maxTrials', () => {
    const study = makeStudy({ budget: { maxTrials: 3, parallelism: 3 } });
    const d = decide(study, { trials: [trial(0), trial(1)] }, 0);
    assert.deepEqual(d.launch.map((p) => p.index), [2]);
  });

  it('is deterministic: the same observation gives the same plans', () => {
    const study = makeStudy({ budget: { maxTrials: 10, parallelism: 4 } });
    const trials = [trial(0), trial(1, { state: 'running' })];
    assert.deepEqual(decide(study, { trials }, 5), decide(makeStudy({ budget: { maxTrials: 10, parallelism: 4 } }), { trials }, 5));
  });

  it('plans the same trial whether it is asked for alone or after a restart (seed, index)', () => {
    const study = makeStudy({ budget: { maxTrials: 10, parallelism: 2 } });
    const both = decide(study, { trials: [] }, 0).launch;
    const again = decide(study, { trials: [trial(0, { params: both[0]!.params, state: 'running' })] }, 0).launch;
    assert.deepEqual(again[0], both[1]);
  });

  it('finishes with MaxTrials once every trial of the budget has ended', () => {
    const study = makeStudy({ budget: { maxTrials: 2, parallelism: 2 } });
    assert.equal(decide(study, { trials: [trial(0), trial(1, { state: 'running' })] }, 0).finish, undefined);
    const d = decide(study, { trials: [trial(0), trial(1, { state: 'failed', value: undefined })] }, 0);
    assert.equal(d.finish?.reason, 'MaxTrials');
    assert.equal(d.finish?.phase, 'Completed');
  });

  it('runs a whole study to MaxTrials with exactly maxTrials trials', () => {
    const trials = simulate(makeStudy({ budget: { maxTrials: 7, parallelism: 3 } }));
    assert.equal(trials.length, 7);
    assert.deepEqual(trials.map((t) => t.index), [0, 1, 2, 3, 4, 5, 6]);
  });

  it('ends the study and cancels running trials when the target value is reached', () => {
    const study = makeStudy({ objective: { targetValue: 0.5 }, budget: { maxTrials: 10, parallelism: 2 } });
    const trials = [trial(0, { value: 0.9 }), trial(1, { value: 0.4 }), trial(2, { state: 'running', value: undefined })];
    const d = decide(study, { trials }, 0);
    assert.equal(d.finish?.reason, 'TargetReached');
    assert.deepEqual(d.stop, [{ index: 2, reason: 'Cancelled' }]);
    assert.deepEqual(d.launch, []);
  });

  it('reads the target in the direction of the goal', () => {
    const study = makeStudy({ objective: { goal: 'maximize', targetValue: 0.9 }, budget: { maxTrials: 10 } });
    assert.equal(decide(study, { trials: [trial(0, { value: 0.5 })] }, 0).finish, undefined);
    assert.equal(decide(study, { trials: [trial(0, { value: 0.95 })] }, 0).finish?.reason, 'TargetReached');
  });

  it('fails the study once more than maxFailedTrials trials failed', () => {
    const study = makeStudy({ budget: { maxTrials: 10, maxFailedTrials: 1 } });
    const failed = (i: number) => trial(i, { state: 'failed', value: undefined, reason: 'ExitCode' });
    assert.equal(decide(study, { trials: [failed(0)] }, 0).finish, undefined);
    const d = decide(study, { trials: [failed(0), failed(1), trial(2, { state: 'running' })] }, 0);
    assert.equal(d.finish?.reason, 'MaxFailedTrials');
    assert.equal(d.finish?.phase, 'Failed');
    assert.deepEqual(d.stop, [{ index: 2, reason: 'Cancelled' }]);
  });

  it('ends the study at its timeout, counted from its start', () => {
    const study = makeStudy({ budget: { maxTrials: 10, timeout: '10s' } });
    const trials = [trial(0), trial(1, { state: 'running' })];
    assert.equal(decide(study, { trials, startedAt: 1000 }, 10_999).finish, undefined);
    const d = decide(study, { trials, startedAt: 1000 }, 11_000);
    assert.equal(d.finish?.reason, 'Timeout');
    assert.equal(d.finish?.phase, 'Completed');
    assert.deepEqual(d.stop, [{ index: 1, reason: 'Cancelled' }]);
  });

  it('stops a trial that runs past trialTimeout, and only that one', () => {
    const study = makeStudy({ budget: { maxTrials: 10, parallelism: 2, trialTimeout: '1m' } });
    const trials = [trial(0, { state: 'running', startedAt: 0 }), trial(1, { state: 'running', startedAt: 30_000 })];
    assert.deepEqual(decide(study, { trials }, 59_999).stop, []);
    assert.deepEqual(decide(study, { trials }, 60_000).stop, [{ index: 0, reason: 'Timeout' }]);
  });

  it('stops a trial that waits to start past pendingTimeout', () => {
    const study = makeStudy({ budget: { maxTrials: 10, pendingTimeout: '30s' } });
    const trials = [trial(0, { state: 'pending', createdAt: 0, startedAt: undefined })];
    assert.deepEqual(decide(study, { trials }, 30_000).stop, [{ index: 0, reason: 'PendingTimeout' }]);
  });

  it('counts pendingTimeout from when a re-queued trial became pending again, not from its creation', () => {
    const study = makeStudy({ budget: { maxTrials: 10, pendingTimeout: '30s' } });
    const trials = [trial(0, { state: 'pending', createdAt: 0, queuedAt: 100_000, startedAt: undefined })];
    assert.deepEqual(decide(study, { trials }, 120_000).stop, []);
    assert.deepEqual(decide(study, { trials }, 130_000).stop, [{ index: 0, reason: 'PendingTimeout' }]);
  });

  it('launches nothing while suspended, and does not finish', () => {
    const study = makeStudy({ suspend: true, budget: { maxTrials: 10 } });
    const d = decide(study, { trials: [trial(0)] }, 0);
    assert.deepEqual(d.launch, []);
    assert.equal(d.finish, undefined);
  });

  it('finishes with SearchExhausted when a grid is used up, after its running trials end', () => {
    const study = makeStudy({
      parameters: [{ name: 'x', type: 'categorical', values: ['a', 'b'] }],
      algorithm: { name: 'grid' },
      budget: { maxTrials: 10, parallelism: 4 },
    });
    const first = decide(study, { trials: [] }, 0);
    assert.equal(first.launch.length, 2);
    const running = first.launch.map((p) => trial(p.index, { params: p.params, state: 'running', value: undefined }));
    assert.equal(decide(study, { trials: running }, 0).finish, undefined);
    const done = running.map((t) => ({ ...t, state: 'succeeded' as const, value: 1 }));
    assert.equal(decide(study, { trials: done }, 0).finish?.reason, 'SearchExhausted');
  });

  it('hands the sampler pending trials so a discrete space is not repeated under parallelism', () => {
    const study = makeStudy({
      parameters: [{ name: 'n', type: 'int', min: 1, max: 4 }],
      budget: { maxTrials: 4, parallelism: 4 },
    });
    const d = decide(study, { trials: [] }, 0);
    assert.deepEqual(d.launch.map((p) => p.params.n).sort(), [1, 2, 3, 4]);
  });

  it('gives the same trials for the same seed and different ones for another seed', () => {
    const a = simulate(makeStudy({ budget: { maxTrials: 5, parallelism: 2 } }));
    const b = simulate(makeStudy({ budget: { maxTrials: 5, parallelism: 2 } }));
    const c = simulate(makeStudy({ algorithm: { seed: 8 }, budget: { maxTrials: 5, parallelism: 2 } }));
    assert.deepEqual(a.map((t) => t.params), b.map((t) => t.params));
    assert.notDeepEqual(a.map((t) => t.params), c.map((t) => t.params));
  });
});
