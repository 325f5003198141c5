import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MedianPruner, PercentilePruner, percentileOf } from '../../../operator/pruners/percentile.js';
import type { TrialRecord } from '../../../operator/samplers/types.js';

/** A trial whose curve is `values[s]` at step s (steps 0..n-1). */
function trial(index: number, values: number[], state: TrialRecord['state'] = 'succeeded'): TrialRecord {
  return { index, params: {}, state, intermediate: values.map((v, s) => [s, v] as const), ...(state === 'succeeded' ? { value: values.at(-1)! } : {}) };
}

// Five completed trials whose values at step 2 are 1, 2, 3, 4, 5 (median 3).
const completed = [1, 2, 3, 4, 5].map((v, i) => trial(i, [10, 10 - v, v]));
const ctx = { goal: 'minimize' as const, seed: 0 };

describe('MedianPruner', () => {
  it('stops a trial whose best value so far is worse than the median of completed trials at that step', () => {
    const bad = trial(9, [10, 9, 3.5], 'running');
    const verdict = new MedianPruner().decide(bad, [...completed, bad], ctx);
    assert.equal(verdict.prune, true);
    assert.match((verdict as { reason: string }).reason, /50th percentile 3 of 5 completed trials/);
  });

  it('keeps a trial at or better than the median', () => {
    const ok = trial(9, [10, 9, 3], 'running');
    assert.deepEqual(new MedianPruner().decide(ok, [...completed, ok], ctx), { prune: false });
    // Its best so far counts, not only the latest value: 2 at step 1 beats the median 3 at step 2.
    const earlier = trial(9, [10, 2, 4], 'running');
    assert.deepEqual(new MedianPruner().decide(earlier, [...completed, earlier], ctx), { prune: false });
  });

  it('mirrors the rule when maximising', () => {
    const low = trial(9, [0, 0, 2.5], 'running');
    const high = trial(9, [0, 0, 3.5], 'running');
    assert.equal(new MedianPruner().decide(low, completed, { ...ctx, goal: 'maximize' }).prune, true);
    assert.equal(new MedianPruner().decide(high, completed, { ...ctx, goal: 'maximize' }).prune, false);
  });

  it('waits for startup trials, warm-up steps and steps on the interval', () => {
    const bad = trial(9, [100, 100, 100], 'running');
    assert.equal(new MedianPruner({ startupTrials: 6 }).decide(bad, completed, ctx).prune, false);
    assert.equal(new MedianPruner({ warmupSteps: 3 }).decide(bad, completed, ctx).prune, false);
    assert.equal(new MedianPruner({ intervalSteps: 4 }).decide(bad, completed, ctx).prune, false);
    assert.equal(new MedianPruner({ minTrials: 6 }).decide(bad, completed, ctx).prune, false);
    assert.equal(new MedianPruner().decide(bad, completed, ctx).prune, true);
  });

  it('ignores steps that no completed trial reported, and running or pruned peers', () => {
    const long = trial(9, [100, 100, 100, 100], 'running');
    assert.equal(new MedianPruner().decide(long, completed, ctx).prune, false); // step 3: nobody to compare with
    const others = completed.map((t) => ({ ...t, state: 'pruned' as const }));
    assert.equal(new MedianPruner().decide(trial(9, [100, 100, 100], 'running'), others, ctx).prune, false);
  });

  it('stops a trial that reports NaN', () => {
    const nan = trial(9, [1, Number.NaN], 'running');
    assert.match((new MedianPruner({ startupTrials: 100 }).decide(nan, completed, ctx) as { reason: string }).reason, /NaN at step 1/);
  });
});

describe('PercentilePruner', () => {
  it('compares with the p-th percentile, interpolated as numpy does', () => {
    assert.equal(percentileOf([1, 2, 3, 4, 5], 25), 2);
    assert.equal(percentileOf([1, 2, 3, 4], 50), 2.5);
    const t = trial(9, [10, 9, 2.5], 'running');
    assert.equal(new PercentilePruner({ percentile: 25 }).decide(t, completed, ctx).prune, true);
    assert.equal(new PercentilePruner({ percentile: 75 }).decide(t, completed, ctx).prune, false);
  });

  it('rejects settings out of range, naming them', () => {
    assert.throws(() => new PercentilePruner({ percentile: 100 }), /percentile must be in/);
    assert.throws(() => new PercentilePruner({ intervalSteps: 0 }), /intervalSteps must be an integer >= 1/);
  });
});
