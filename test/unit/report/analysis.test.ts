import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { bestSoFar, boxStats, countByState, rankTrials, repeatGroups } from '../../../operator/report/analysis.js';
import type { ReportTrial } from '../../../operator/report/model.js';
import { smallInput } from './fixtures.js';

const trial = (index: number, value: number | undefined, params = { x: index }, state: ReportTrial['state'] = 'succeeded'): ReportTrial => ({
  index,
  params,
  state,
  ...(value === undefined ? {} : { value }),
  metrics: {},
  intermediate: [],
});

describe('report analysis', () => {
  it('counts trials by state', () => {
    assert.deepEqual(countByState(smallInput().trials), { succeeded: 2, pruned: 1, failed: 1, running: 0, pending: 0 });
  });

  it('ranks succeeded trials in the direction of the goal, ties by trial index', () => {
    const trials = [trial(0, 3), trial(1, 1), trial(2, 1), trial(3, 0, { x: 3 }, 'pruned'), trial(4, Number.NaN)];
    const minimize = smallInput({ objective: { metric: 'loss', goal: 'minimize' }, trials });
    assert.deepEqual(rankTrials(minimize).map((t) => t.index), [1, 2, 0]);
    const maximize = smallInput({ objective: { metric: 'acc', goal: 'maximize' }, trials });
    assert.deepEqual(rankTrials(maximize).map((t) => t.index), [0, 1, 2]);
  });

  it('tracks the best value so far over succeeded trials only', () => {
    const input = smallInput({ objective: { metric: 'loss', goal: 'minimize' }, trials: [trial(0, 5), trial(1, 7), trial(2, undefined, { x: 2 }, 'failed'), trial(3, 2)] });
    assert.deepEqual(bestSoFar(input), [[0, 5], [1, 5], [3, 2]]);
  });

  it('computes box statistics with interpolated quartiles', () => {
    assert.deepEqual(boxStats([4, 1, 3, 2, 5]), [1, 2, 3, 4, 5]);
    assert.deepEqual(boxStats([1, 2, 3, 4]), [1, 1.75, 2.5, 3.25, 4]);
    assert.deepEqual(boxStats([7]), [7, 7, 7, 7, 7]);
  });

  it('groups trials with identical parameters, whatever the key order, best median first', () => {
    const trials = [
      trial(0, 0.8, { a: 1, b: 'x' } as never),
      trial(1, 0.9, { b: 'x', a: 1 } as never),
      trial(2, 0.95, { a: 2, b: 'x' } as never),
      trial(3, 0.93, { a: 2, b: 'x' } as never),
      trial(4, 0.99, { a: 3, b: 'x' } as never),
    ];
    const groups = repeatGroups(smallInput({ trials }));
    assert.deepEqual(groups.map((g) => [g.rank, g.trials.map((t) => t.index)]), [[1, [2, 3]], [2, [0, 1]]]);
    assert.equal(groups[0]!.stats[2], 0.94);
  });
});
