import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RandomSampler } from '../../../operator/samplers/random.js';
import { paramsKey, SearchSpace } from '../../../operator/space/space.js';
import { cnnSpace } from '../space/fixtures.js';
import { askParallel, runSequential, suggestAt } from './helpers.js';

const space = SearchSpace.parse([
  { name: 'lr', type: 'float', min: 1e-5, max: 1, log: true },
  { name: 'dropout', type: 'float', min: 0, max: 0.5, step: 0.05 },
  { name: 'opt', type: 'categorical', values: ['adam', 'sgd'] },
  { name: 'momentum', type: 'float', min: 0, max: 0.99, when: { opt: 'sgd' } },
  { name: 'features', type: 'subset', values: ['a', 'b', 'c'], maxSize: 2 },
]);

describe('RandomSampler', () => {
  it('proposes only legal configurations, conditional parameters exactly when active', () => {
    const history = runSequential(new RandomSampler(), space, 300, () => 0, 1);
    assert.equal(history.length, 300);
    for (const t of history) {
      assert.deepEqual(space.check(t.params), []);
      assert.equal('momentum' in t.params, t.params.opt === 'sgd');
    }
  });

  it('is uniform on the log scale for log parameters', () => {
    const history = runSequential(new RandomSampler(), space, 2000, () => 0, 2);
    const below = history.filter((t) => (t.params.lr as number) < 1e-3).length / history.length;
    // 1e-3 is 2/5 of the way through 1e-5..1 on the log scale; binomial sd is 0.011.
    assert.ok(Math.abs(below - 0.4) < 0.06, `share below 1e-3: ${below}`);
  });

  it('gives the same trials for the same seed and different ones for another', () => {
    const a = runSequential(new RandomSampler(), space, 20, () => 0, 7).map((t) => t.params);
    const b = runSequential(new RandomSampler(), space, 20, () => 0, 7).map((t) => t.params);
    const c = runSequential(new RandomSampler(), space, 20, () => 0, 8).map((t) => t.params);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('depends on the trial index, not on the history, so a restart replays the plan', () => {
    const s1 = suggestAt(new RandomSampler(), space, [], 5, 3);
    const s2 = suggestAt(new RandomSampler(), space, [{ index: 0, params: { lr: 0.1, dropout: 0, opt: 'adam', features: ['a'] }, state: 'failed' }], 5, 3);
    assert.deepEqual(s1, s2);
  });

  it('never repeats a configuration of a discrete space while unseen ones remain, then says exhausted', () => {
    const discrete = SearchSpace.parse(cnnSpace); // 16 configurations
    const history: Parameters<typeof askParallel>[2] = [];
    const params = askParallel(new RandomSampler(), discrete, history, 16, 4);
    assert.equal(new Set(params.map(paramsKey)).size, 16);
    const next = suggestAt(new RandomSampler(), discrete, history, 16, 4);
    assert.ok('exhausted' in next);
  });
});
