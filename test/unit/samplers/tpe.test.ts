/**
 * TpeSampler as a whole: legal values, conditional presence, determinism, start-up, parallel
 * suggestions under the constant liar, no repeats in a discrete space, and that the model
 * actually learns (a convergence check that is deterministic given its seeds, and wins by a
 * margin that leaves room for changes to the sampler).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RandomSampler } from '../../../operator/samplers/random.js';
import { TpeSampler } from '../../../operator/samplers/tpe/index.js';
import type { Sampler, TrialRecord } from '../../../operator/samplers/types.js';
import { paramsKey, SearchSpace } from '../../../operator/space/space.js';
import type { Params } from '../../../operator/space/types.js';
import { askParallel, runSequential, suggestAt } from './helpers.js';

const mixed = SearchSpace.parse([
  { name: 'lr', type: 'float', min: 1e-5, max: 1, log: true },
  { name: 'dropout', type: 'float', min: 0, max: 0.5, step: 0.1 },
  { name: 'units', type: 'int', min: 8, max: 256, log: true },
  { name: 'layers', type: 'int', min: 1, max: 7, step: 2 },
  { name: 'opt', type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
  { name: 'momentum', type: 'float', min: 0, max: 0.99, when: { opt: ['sgd', 'rmsprop'] } },
  { name: 'nesterov', type: 'categorical', values: [true, false], when: { opt: 'sgd' } },
  { name: 'features', type: 'subset', values: ['a', 'b', 'c', 'd', 'e'], minSize: 2, maxSize: 3 },
]);

function objective(p: Params): number {
  const lr = Math.log10(p.lr as number) + 2.5;
  const features = (p.features as string[]).includes('b') ? 0 : 0.3;
  return lr * lr + (p.dropout as number) + Math.abs(Math.log2(p.units as number) - 6) + (p.opt === 'sgd' ? (1 - (p.momentum as number)) : 0.4) + features;
}

describe('TpeSampler', () => {
  it('honours bounds, steps, log scales and subset sizes, and sets exactly the active parameters', () => {
    const history = runSequential(new TpeSampler({ startupTrials: 5 }), mixed, 80, objective, 1);
    for (const trial of history) {
      const p = trial.params;
      assert.deepEqual(mixed.check(p), [], JSON.stringify(p));
      assert.ok((p.lr as number) >= 1e-5 && (p.lr as number) <= 1);
      assert.ok(Number.isInteger(p.units) && [1, 3, 5, 7].includes(p.layers as number));
      assert.ok([0, 0.1, 0.2, 0.3, 0.4, 0.5].includes(p.dropout as number), `dropout ${p.dropout}`);
      assert.equal('momentum' in p, p.opt !== 'adam');
      assert.equal('nesterov' in p, p.opt === 'sgd');
      const size = (p.features as string[]).length;
      assert.ok(size >= 2 && size <= 3);
    }
    // The model explored the conditional branch it favours, with its child parameters present.
    assert.ok(history.slice(40).some((t) => t.params.opt === 'sgd' && typeof t.params.momentum === 'number'));
  });

  it('gives the same suggestions for the same seed and history, and others for another seed', () => {
    const history = runSequential(new TpeSampler(), mixed, 30, objective, 3);
    const again = runSequential(new TpeSampler(), mixed, 30, objective, 3);
    assert.deepEqual(again, history);
    const next = (seed: number) => suggestAt(new TpeSampler(), mixed, history, history.length, seed);
    assert.deepEqual(next(3), next(3));
    assert.notDeepEqual(next(3), next(4));
  });

  it('samples uniformly at random during the start-up trials: the objective does not matter yet', () => {
    const a = runSequential(new TpeSampler({ startupTrials: 10 }), mixed, 12, objective, 5);
    const b = runSequential(new TpeSampler({ startupTrials: 10 }), mixed, 12, (p) => -objective(p), 5);
    assert.deepEqual(a.slice(0, 10).map((t) => t.params), b.slice(0, 10).map((t) => t.params));
    assert.notDeepEqual(a[10]?.params, b[10]?.params);
  });

  it('counts only succeeded and pruned trials towards the start-up, not failed or running ones', () => {
    const space = SearchSpace.parse([{ name: 'x', type: 'float', min: 0, max: 1 }]);
    const done = runSequential(new TpeSampler({ startupTrials: 4 }), space, 3, (p) => p.x as number, 2);
    const failed: TrialRecord[] = [...done, ...[3, 4, 5].map((index): TrialRecord => ({ index, params: { x: 0.5 }, state: 'failed' }))];
    const uniform = new TpeSampler({ startupTrials: 4 });
    const model = new TpeSampler({ startupTrials: 3 });
    // With 3 finished trials a start-up of 4 is still random; the failures do not count.
    const s = suggestAt(uniform, space, failed, 6, 2);
    const r = suggestAt(new TpeSampler({ startupTrials: 100 }), space, failed, 6, 2);
    assert.deepEqual(s, r);
    assert.notDeepEqual(suggestAt(model, space, failed, 6, 2), r);
  });

  it('gives parallel workers different suggestions: pending trials count as bad (constant liar)', () => {
    const space = SearchSpace.parse([
      { name: 'x', type: 'float', min: -5, max: 5 },
      { name: 'y', type: 'float', min: -5, max: 5 },
    ]);
    const f = (p: Params) => (p.x as number) ** 2 + (p.y as number) ** 2;
    const history = runSequential(new TpeSampler(), space, 30, f, 7);
    const batch = askParallel(new TpeSampler(), space, [...history], 8, 7);
    assert.equal(new Set(batch.map(paramsKey)).size, 8);
    // Without the liar running trials are ignored: the same rng stream and finished trials give
    // the same proposal. With it, trials running at that very point make it look bad.
    const first = suggestAt(new TpeSampler(), space, history, 30, 7);
    assert.ok('params' in first);
    const running = [0, 1, 2, 3, 4].map((k): TrialRecord => ({ index: 30 + k, params: first.params, state: 'running' }));
    const ignoring = new TpeSampler({ constantLiar: false });
    assert.deepEqual(suggestAt(ignoring, space, [...history, ...running], 30, 7), suggestAt(ignoring, space, history, 30, 7));
    const lying = suggestAt(new TpeSampler(), space, [...history, ...running], 30, 7);
    assert.notDeepEqual(lying, first);
  });

  it('never repeats a configuration of a discrete space, then says it is exhausted', () => {
    const space = SearchSpace.parse([
      { name: 'a', type: 'int', min: 0, max: 4 },
      { name: 'b', type: 'categorical', values: ['x', 'y', 'z'] },
      { name: 'c', type: 'float', min: 0, max: 1, step: 0.5 },
    ]);
    const f = (p: Params) => Math.abs((p.a as number) - 2) + (p.b === 'y' ? 0 : 1) + (p.c as number);
    const sampler = new TpeSampler({ startupTrials: 3 });
    const history = runSequential(sampler, space, 45, f, 9);
    assert.equal(history.length, 45);
    assert.equal(new Set(history.map((t) => paramsKey(t.params))).size, 45);
    const next = suggestAt(sampler, space, history, 45, 9);
    assert.ok('exhausted' in next);
  });

  it('learns: on a 1-D quadratic, after 60 trials it beats random search for most of 10 seeds', () => {
    const space = SearchSpace.parse([{ name: 'x', type: 'float', min: -10, max: 10 }]);
    const f = (p: Params) => ((p.x as number) - 3.3) ** 2;
    const best = (s: Sampler, seed: number) => Math.min(...runSequential(s, space, 60, f, seed).map((t) => t.value as number));
    let wins = 0;
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      tpe.push(best(new TpeSampler(), seed));
      random.push(best(new RandomSampler(), seed));
      if ((tpe.at(-1) as number) < (random.at(-1) as number)) wins++;
    }
    // Deterministic given the seeds; the margins are wide so that a reasonable change to the
    // sampler does not flip them: random's best of 60 is ~1e-2 away, TPE's far closer.
    assert.ok(wins >= 8, `TPE won ${wins} of 10`);
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[5] as number;
    assert.ok(median(tpe) * 10 < median(random), `medians: tpe ${median(tpe)}, random ${median(random)}`);
  });
});
