import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RECENT_TRIALS, MAX_TOP_TRIALS } from '../../../operator/api/schema.js';
import { countedValue, rankTrials } from '../../../operator/engine/objective.js';
import { summarize } from '../../../operator/engine/summary.js';
import { makeStudy, trial } from './fixtures.js';

describe('summarize', () => {
  it('counts trials by state and names the best in the direction of the goal', () => {
    const trials = [trial(0, { value: 3 }), trial(1, { value: 1 }), trial(2, { state: 'failed', value: Number.NaN }), trial(3, { state: 'running', value: undefined })];
    const s = summarize(makeStudy(), trials);
    assert.deepEqual(s.counts, { total: 4, finished: 3, pending: 0, running: 1, succeeded: 2, failed: 1, pruned: 0 });
    assert.equal(s.bestTrial?.index, 1);
    const max = summarize(makeStudy({ objective: { goal: 'maximize' } }), trials);
    assert.equal(max.bestTrial?.index, 0);
  });

  it('names the sampler proposing trials: the algorithm, or for auto the one it chose', () => {
    assert.equal(summarize(makeStudy(), []).sampler, 'random');
    // One float and a budget of 4: gp. All-discrete and small enough to enumerate: grid.
    assert.equal(summarize(makeStudy({ algorithm: { name: 'auto' } }), []).sampler, 'gp');
    const discrete = makeStudy({ algorithm: { name: 'auto' }, parameters: [{ name: 'k', type: 'int', min: 1, max: 3 }] });
    assert.equal(summarize(discrete, []).sampler, 'grid');
  });

  it('with stages, names the stage whose turn it is, then the main algorithm’s sampler', () => {
    const staged = makeStudy({ algorithm: { name: 'auto', stages: [{ name: 'sobol', trials: 2 }] } });
    assert.equal(summarize(staged, []).sampler, 'sobol');
    assert.equal(summarize(staged, [trial(0, { value: 1 })]).sampler, 'sobol');
    assert.equal(summarize(staged, [trial(0, { value: 1 }), trial(1, { state: 'running', value: undefined })]).sampler, 'gp');
    // Every trial of the budget (4) created: the last configuration's sampler stays.
    const all = [0, 1, 2, 3].map((i) => trial(i, { value: i }));
    assert.equal(summarize(staged, all).sampler, 'gp');
    assert.equal(summarize(makeStudy({ algorithm: { name: 'tpe', stages: [{ name: 'sobol', trials: 4 }] } }), all).sampler, 'sobol');
    // With repeats a stage counts configurations: trials 0–1 are configuration 0, 2 starts the next.
    const repeated = makeStudy({ algorithm: { name: 'tpe', repeats: 2, stages: [{ name: 'random', trials: 1 }] }, budget: { maxTrials: 8 } });
    assert.equal(summarize(repeated, [trial(0, { value: 1 })]).sampler, 'tpe');
    assert.equal(summarize(repeated, []).sampler, 'random');
  });

  it('stays bounded however many trials there are', () => {
    const trials = Array.from({ length: 500 }, (_, i) => trial(i, { value: (i * 37) % 101, finishedAt: i }));
    const s = summarize(makeStudy(), trials);
    assert.equal(s.topTrials?.length, MAX_TOP_TRIALS);
    assert.equal(s.recentTrials?.length, MAX_RECENT_TRIALS);
    assert.deepEqual(s.recentTrials?.map((t) => t.index).slice(0, 3), [499, 498, 497]);
    const values = s.topTrials?.map((t) => t.value as number) ?? [];
    assert.deepEqual(values, [...values].sort((a, b) => a - b));
  });

  it('ranks ties by index and ignores trials without a finite value', () => {
    const ranked = rankTrials([trial(2, { value: 1 }), trial(1, { value: 1 }), trial(0, { value: Number.POSITIVE_INFINITY })], 'minimize');
    assert.deepEqual(ranked.map((t) => t.index), [1, 2]);
  });

  it('countedValue is undefined when the metric never appeared', () => {
    assert.equal(countedValue({ metric: 'loss', goal: 'minimize', valueFrom: 'best', additionalMetrics: [] }, [{ step: 1, values: { acc: 1 } }], {}), undefined);
  });
});
