/**
 * The sampler contract, checked for every registered sampler (style.md: "One contract, every
 * sampler"): legal values, conditional presence, determinism per seed, replay after a restart,
 * distinct suggestions for parallel trials, no repeats in a discrete space, and a NaN or failed
 * history that does not break anything.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createSampler, samplerNames } from '../../../operator/samplers/registry.js';
import type { TrialRecord } from '../../../operator/samplers/types.js';
import { paramsKey, SearchSpace } from '../../../operator/space/space.js';
import type { Params } from '../../../operator/space/types.js';
import { cnnSpace } from '../space/fixtures.js';
import { askParallel, runSequential, suggestAt } from './helpers.js';

const mixed = SearchSpace.parse([
  { name: 'lr', type: 'float', min: 1e-5, max: 1, log: true },
  { name: 'dropout', type: 'float', min: 0, max: 0.5, step: 0.1 },
  { name: 'units', type: 'int', min: 8, max: 256, log: true },
  { name: 'layers', type: 'int', min: 1, max: 7, step: 2 },
  { name: 'opt', type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
  { name: 'momentum', type: 'float', min: 0, max: 0.99, when: { opt: ['sgd', 'rmsprop'] } },
  { name: 'nesterov', type: 'categorical', values: [true, false], when: { opt: 'sgd' } },
  { name: 'features', type: 'subset', values: ['a', 'b', 'c', 'd'], minSize: 1, maxSize: 3 },
]);

/** A smooth objective over the mixed space, so model-based samplers have something to model. */
function objective(p: Params): number {
  const lr = Math.log10(p.lr as number) + 2.5;
  return lr * lr + (p.dropout as number) + Math.abs(Math.log2(p.units as number) - 6) + (p.opt === 'adam' ? 0 : 0.5);
}

/** Grid needs a discrete space; every other sampler takes the mixed one. */
const spaceFor = (name: string) => (name === 'grid' ? SearchSpace.parse(cnnSpace) : mixed);

for (const name of samplerNames()) {
  describe(`sampler contract: ${name}`, () => {
    const space = spaceFor(name);
    const n = name === 'grid' ? 16 : 40;

    it('proposes legal configurations with conditional parameters exactly when active', () => {
      const history = runSequential(createSampler(name), space, n, objective, 1);
      assert.equal(history.length, n);
      for (const t of history) assert.deepEqual(space.check(t.params), [], JSON.stringify(t.params));
    });

    it('gives the same trials for the same seed, and others for another seed', () => {
      const a = runSequential(createSampler(name), space, n, objective, 5).map((t) => t.params);
      const b = runSequential(createSampler(name), space, n, objective, 5).map((t) => t.params);
      const c = runSequential(createSampler(name), space, n, objective, 6).map((t) => t.params);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
    });

    it('replays the next suggestion after a restart (a fresh sampler, the same history)', () => {
      const history = runSequential(createSampler(name), space, Math.min(n - 1, 25), objective, 2);
      const before = suggestAt(createSampler(name), space, history, history.length, 2);
      const after = suggestAt(createSampler(name), space, history, history.length, 2);
      assert.deepEqual(before, after);
    });

    it('gives parallel trials distinct configurations', () => {
      const history: TrialRecord[] = runSequential(createSampler(name), space, name === 'grid' ? 4 : 20, objective, 3);
      const batch = askParallel(createSampler(name), space, history, 8, 3);
      assert.equal(new Set(batch.map(paramsKey)).size, 8);
    });

    it('survives failed, pruned and NaN trials in the history', () => {
      const history = runSequential(createSampler(name), space, name === 'grid' ? 6 : 15, objective, 4).map(
        (t, i): TrialRecord =>
          i % 3 === 0 ? { ...t, state: 'failed' } : i % 3 === 1 ? { ...t, value: Number.NaN, state: 'failed' } : { ...t, state: 'pruned', intermediate: [[1, 3]] },
      );
      const next = suggestAt(createSampler(name), space, history, history.length, 4);
      assert.ok('params' in next);
      assert.deepEqual(space.check(next.params), []);
    });

    it('never repeats a configuration of a discrete space while unseen ones remain', () => {
      const discrete = SearchSpace.parse(cnnSpace);
      const history = runSequential(createSampler(name), discrete, 16, (p) => (p.units as number) / 64, 7);
      assert.equal(history.length, 16);
      assert.equal(new Set(history.map((t) => paramsKey(t.params))).size, 16);
      assert.ok('exhausted' in suggestAt(createSampler(name), discrete, history, 16, 7));
    });
  });
}
