import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../../operator/engine/decide.js';
import type { EngineTrial } from '../../../operator/engine/types.js';
import { makeStudy, trial } from './fixtures.js';

const curve = (...losses: number[]) => losses.map((loss, i) => ({ step: i + 1, values: { loss } }));

describe('decide with early stopping', () => {
  it('stops a running trial the median pruner judges hopeless, and leaves a good one running', () => {
    const study = makeStudy({ earlyStopping: { name: 'median', settings: { startupTrials: 2, warmupSteps: 0 } }, budget: { maxTrials: 10, parallelism: 2 } });
    const done: EngineTrial[] = [
      trial(0, { reports: curve(1.0, 0.5, 0.3), value: 0.3 }),
      trial(1, { reports: curve(1.0, 0.6, 0.4), value: 0.4 }),
      trial(2, { reports: curve(1.1, 0.55, 0.35), value: 0.35 }),
    ];
    const bad = trial(3, { state: 'running', reports: curve(5, 4), value: undefined });
    const good = trial(4, { state: 'running', reports: curve(0.9, 0.4), value: undefined });
    const d = decide(study, { trials: [...done, bad, good] }, 0);
    assert.deepEqual(d.stop.map((s) => [s.index, s.reason]), [[3, 'Pruned']]);
    assert.ok(d.stop[0]?.message, 'the pruner says why');
  });

  it('does not prune without a pruner', () => {
    const study = makeStudy({ budget: { maxTrials: 10, parallelism: 2 } });
    const trials = [trial(0, { reports: curve(0.1), value: 0.1 }), trial(1, { state: 'running', reports: curve(100), value: undefined })];
    assert.deepEqual(decide(study, { trials }, 0).stop, []);
  });
});
