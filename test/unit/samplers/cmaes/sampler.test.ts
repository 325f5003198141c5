/**
 * The `cmaes` sampler as the engine drives it: convergence on a quadratic, bounds and grids,
 * replay after a restart, parallel and failed trials, categorical handling and settings. Every
 * assertion holds with a wide margin for any seed; the seeds only make failures reproducible.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SpecError } from '../../../../operator/api/issues.js';
import { CmaEsSampler, DEFAULT_SIGMA0, parseCmaEsSettings } from '../../../../operator/samplers/cmaes/sampler.js';
import type { CmaState } from '../../../../operator/samplers/cmaes/strategy.js';
import { createSampler } from '../../../../operator/samplers/registry.js';
import { Rng } from '../../../../operator/samplers/rng.js';
import type { TrialRecord } from '../../../../operator/samplers/types.js';
import { paramsKey, SearchSpace } from '../../../../operator/space/space.js';
import type { Params } from '../../../../operator/space/types.js';
import { UnitCube } from '../../../../operator/space/unit-cube.js';
import { askParallel, runSequential, suggestAt } from '../helpers.js';

const quadSpace = SearchSpace.parse([
  { name: 'a', type: 'float', min: -5, max: 5 },
  { name: 'b', type: 'float', min: -5, max: 5 },
  { name: 'c', type: 'float', min: 1e-3, max: 10, log: true },
  { name: 'n', type: 'int', min: 0, max: 20 },
]);
/** Minimum at a = 1, b = -2, c = 0.1, n = 7. */
const quad = (p: Params) => ((p.a as number) - 1) ** 2 + ((p.b as number) + 2) ** 2 + Math.log10((p.c as number) / 0.1) ** 2 + ((p.n as number) - 7) ** 2;
const optimum = new UnitCube(quadSpace).encode({ a: 1, b: -2, c: 0.1, n: 7 });

const distance = (mean: Float64Array, target: Float64Array) => Math.hypot(...Array.from(mean, (m, i) => m - (target[i] as number)));

/**
 * Runs `n` trials with `parallel` workers: a finished slot is refilled at once, workers finish in
 * a seeded random order, and a fraction `failRate` of the trials fail. Records, for each trial,
 * the generation the sampler drew it from.
 */
function runAsync(sampler: CmaEsSampler, space: SearchSpace, n: number, parallel: number, failRate: number, seed: number, objective: (p: Params) => number, record = true) {
  const history: TrialRecord[] = [];
  const drawnFrom: number[] = [];
  const world = new Rng(seed, 'world');
  const running: number[] = [];
  for (let i = 0; i < n; i++) {
    while (running.length >= parallel) {
      const j = running.splice(world.int(running.length), 1)[0] as number;
      const t = history[j] as TrialRecord;
      history[j] = world.next() < failRate ? { ...t, state: 'failed' } : { ...t, state: 'succeeded', value: objective(t.params) };
    }
    if (record) drawnFrom.push(sampler.replay(space, history, { index: i, seed, goal: 'minimize' }).next.generation);
    const s = suggestAt(sampler, space, history, i, seed);
    assert.ok('params' in s);
    history.push({ index: i, params: s.params, state: 'running' });
    running.push(i);
  }
  return { history, drawnFrom };
}

/** Three sequential runs of 240 trials on the quadratic, shared by the convergence tests. */
const quadRuns = [1, 2, 3].map((seed) => {
  let run: { history: TrialRecord[]; states: readonly CmaState[] } | undefined;
  return {
    seed,
    get: () => {
      if (run !== undefined) return run;
      const sampler = new CmaEsSampler();
      const history = runSequential(sampler, quadSpace, 240, quad, seed);
      return (run = { history, states: sampler.replay(quadSpace, history, { index: history.length, seed, goal: 'minimize' }).states });
    },
  };
});

describe('cmaes sampler', () => {
  it('moves the mean towards the minimum of a quadratic, generation after generation', () => {
    for (const { seed, get } of quadRuns) {
      const { history, states } = get();
      assert.ok(states.length >= 25, `${states.length} generations`);
      // Thresholds hold with room to spare over 40 seeds (worst seen: d20 = 0.46 d0, final
      // 0.08 d0, best 0.011).
      const d = states.map((s) => distance(s.mean, optimum));
      assert.ok(d[20]! < 0.75 * d[0]!, `seed ${seed}: distance ${d[0]} → ${d[20]}`);
      assert.ok(d.at(-1)! < d[0]! / 5, `seed ${seed}: final distance ${d.at(-1)}`);
      const best = Math.min(...history.map((t) => t.value as number));
      assert.ok(best < 0.05, `seed ${seed}: best ${best}`);
    }
  });

  it('shrinks σ as it converges', () => {
    for (const { seed, get } of quadRuns) {
      const { states } = get();
      assert.equal(states[0]!.sigma, DEFAULT_SIGMA0);
      // Worst over 40 seeds: σ0 / 4.5 (the margin keeps the integer coordinate from collapsing).
      assert.ok(states.at(-1)!.sigma < DEFAULT_SIGMA0 / 3, `seed ${seed}: σ ${states.at(-1)!.sigma}`);
      assert.ok(states.at(-1)!.sigma < states[10]!.sigma, `seed ${seed}: σ still shrinking`);
    }
  });

  it('keeps every trial inside the bounds and on the grid, even with the optimum outside', () => {
    const space = SearchSpace.parse([
      { name: 'x', type: 'float', min: 0, max: 1 },
      { name: 'lr', type: 'float', min: 1e-4, max: 1e-1, log: true },
      { name: 'drop', type: 'float', min: 0, max: 0.5, step: 0.05 },
      { name: 'units', type: 'int', min: 16, max: 512, log: true },
      { name: 'layers', type: 'int', min: 1, max: 9, step: 2 },
    ]);
    // Pushes x and drop past their upper bounds and lr past its lower one.
    const f = (p: Params) => -3 * (p.x as number) + Math.log10(p.lr as number) - (p.drop as number) + Math.abs(Math.log2(p.units as number) - 7) + Math.abs((p.layers as number) - 5);
    const history = runSequential(new CmaEsSampler(), space, 200, f, 5);
    for (const t of history) {
      assert.deepEqual(space.check(t.params), [], JSON.stringify(t.params));
      assert.ok(Number.isInteger(t.params.units) && Number.isInteger(t.params.layers));
    }
    // Over 20 seeds: the median x of the last 20 trials is at least 0.84, and at least 16 of them
    // have layers = 5.
    const last = history.slice(-20);
    const xs = last.map((t) => t.params.x as number).sort((a, b) => a - b);
    assert.ok(xs[10]! > 0.75, `x presses on its upper bound: median ${xs[10]}`);
    assert.ok(last.filter((t) => t.params.layers === 5).length >= 10, 'layers settles on 5');
  });

  it('finds the best integer value and keeps integers moving (margin)', () => {
    for (const { get } of quadRuns) {
      const { history, states } = get();
      const best = history.reduce((a, b) => ((a.value as number) <= (b.value as number) ? a : b));
      assert.equal(best.params.n, 7);
      const last = states.at(-1)!;
      // Coordinate 3 is n; its margin scaling has grown past 1 as σ shrank below a cell.
      assert.ok(last.A[3]! > 1, `A = ${last.A[3]}`);
    }
  });

  it('replays exactly after a restart, mid-run with running and failed trials', () => {
    const sampler = new CmaEsSampler();
    const { history } = runAsync(sampler, quadSpace, 90, 4, 0.2, 9, quad);
    for (const cut of [10, 37, 64, 90]) {
      const prefix = history.slice(0, cut).map((t, i) => (i >= cut - 3 ? { index: t.index, params: t.params, state: 'running' as const } : t));
      const warm = suggestAt(sampler, quadSpace, prefix, cut, 9);
      const cold = suggestAt(new CmaEsSampler(), quadSpace, prefix, cut, 9);
      assert.deepEqual(warm, cold, `at ${cut}`);
    }
  });

  it('is deterministic per seed under parallel, out-of-order, failing trials', () => {
    const a = runAsync(new CmaEsSampler(), quadSpace, 80, 5, 0.2, 10, quad).history;
    const b = runAsync(new CmaEsSampler(), quadSpace, 80, 5, 0.2, 10, quad).history;
    const c = runAsync(new CmaEsSampler(), quadSpace, 80, 5, 0.2, 11, quad).history;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.map((t) => t.params), c.map((t) => t.params));
  });

  it('recognises, from its parameters alone, the generation each trial was drawn from', () => {
    // Six workers finishing in random order, so updates regularly happen while earlier trials of
    // the generation still run, and those trials finish later.
    const sampler = new CmaEsSampler();
    const { history, drawnFrom } = runAsync(sampler, quadSpace, 200, 6, 0.15, 12, quad);
    const { tags, states } = new CmaEsSampler().replay(quadSpace, history, { index: history.length, seed: 12, goal: 'minimize' });
    assert.deepEqual(tags, drawnFrom);
    assert.ok(states.length >= 12, `${states.length} generations`);
  });

  it('keeps updating with more parallel trials than λ, at the cost of unused trials', () => {
    // Twelve workers for λ = 8: updates happen while many trials of the generation still run.
    // (At least 4 generations for every one of 20 seeds tried; 3 asserted.)
    const { history } = runAsync(new CmaEsSampler(), quadSpace, 128, 12, 0, 22, quad, false);
    const { states, tags } = new CmaEsSampler().replay(quadSpace, history, { index: history.length, seed: 22, goal: 'minimize' });
    assert.ok(states.length >= 3, `${states.length} generations`);
    assert.ok(tags.some((t) => t < 0), 'some trials went unused');
  });

  it('gives parallel trials of one generation distinct configurations', () => {
    const history = runSequential(new CmaEsSampler(), quadSpace, 30, quad, 13);
    const batch = askParallel(new CmaEsSampler(), quadSpace, history, 24, 13);
    assert.equal(new Set(batch.map(paramsKey)).size, 24);
  });

  describe('asynchronous bookkeeping', () => {
    const lambda = 8; // default for the 4 coordinates of quadSpace: 4 + ⌊3 ln 4⌋

    it('skips failed trials: each generation is told after exactly λ successes', () => {
      const sampler = new CmaEsSampler();
      const history: TrialRecord[] = [];
      for (let i = 0; i < 100; i++) {
        const s = suggestAt(sampler, quadSpace, history, i, 14);
        assert.ok('params' in s);
        // Every third trial fails, one in seven returns NaN.
        const state = i % 3 === 0 ? 'failed' : 'succeeded';
        history.push({ index: i, params: s.params, state, value: i % 7 === 0 ? Number.NaN : quad(s.params) });
      }
      const successes = history.filter((t) => t.state === 'succeeded' && !Number.isNaN(t.value)).length;
      const { next } = sampler.replay(quadSpace, history, { index: 100, seed: 14, goal: 'minimize' });
      assert.equal(next.generation, Math.floor(successes / lambda));
    });

    it('does not wait for trials drawn beyond the first λ successes of a generation', () => {
      const sampler = new CmaEsSampler();
      const history: TrialRecord[] = [];
      askParallel(sampler, quadSpace, history, lambda + 3, 15);
      const done = history.map((t, i): TrialRecord => (i < lambda ? { ...t, state: 'succeeded', value: quad(t.params) } : t));
      assert.equal(sampler.replay(quadSpace, done, { index: done.length, seed: 15, goal: 'minimize' }).next.generation, 1);
    });

    it('updates once λ trials succeeded while an earlier one still runs, and still recognises the update after it finishes', () => {
      const sampler = new CmaEsSampler();
      const history: TrialRecord[] = [];
      askParallel(sampler, quadSpace, history, lambda + 4, 16);
      // Trials 0 and 2 are stragglers; the others of generation 0 succeeded.
      const slow = new Set([0, 2]);
      const waiting = history.map((t, i): TrialRecord => (slow.has(i) ? t : { ...t, state: 'succeeded', value: quad(t.params) }));
      assert.equal(sampler.replay(quadSpace, waiting, { index: waiting.length, seed: 16, goal: 'minimize' }).next.generation, 1);
      const more = askParallel(sampler, quadSpace, waiting, 4, 16);
      assert.equal(new Set(more.map(paramsKey)).size, 4);
      // The stragglers succeed after all: the first λ successes in index order are now another set,
      // yet a fresh replay still finds the update the four new trials were drawn from.
      const ended = waiting.map((t, i): TrialRecord => (slow.has(i) ? { ...t, state: 'succeeded', value: quad(t.params) } : t));
      const { states, tags } = new CmaEsSampler().replay(quadSpace, ended, { index: ended.length, seed: 16, goal: 'minimize' });
      assert.equal(states.length, 2);
      assert.deepEqual(tags, ended.map((_, i) => (i < lambda + 4 ? 0 : 1)));
    });

    it('leaves trials planned by another sampler out of the updates', () => {
      const random = runSequential(createSampler('random'), quadSpace, 5, quad, 17);
      const sampler = new CmaEsSampler();
      const history = [...random];
      for (let i = 5; i < 40; i++) {
        const s = suggestAt(sampler, quadSpace, history, i, 17);
        assert.ok('params' in s);
        history.push({ index: i, params: s.params, state: 'succeeded', value: quad(s.params) });
      }
      const { tags, next } = sampler.replay(quadSpace, history, { index: 40, seed: 17, goal: 'minimize' });
      assert.deepEqual(tags.slice(0, 5), [-1, -1, -1, -1, -1]);
      assert.equal(next.generation, Math.floor(35 / lambda));
    });
  });

  it('maximising −f makes exactly the choices that minimising f does', () => {
    const run = (goal: 'minimize' | 'maximize') => {
      const sampler = new CmaEsSampler();
      const history: TrialRecord[] = [];
      for (let i = 0; i < 40; i++) {
        const s = suggestAt(sampler, quadSpace, history, i, 23, goal);
        assert.ok('params' in s);
        history.push({ index: i, params: s.params, state: 'succeeded', value: goal === 'minimize' ? quad(s.params) : -quad(s.params) });
      }
      return history.map((t) => t.params);
    };
    assert.deepEqual(run('maximize'), run('minimize'));
  });

  it('searches nothing, and stays legal, when no coordinate is searched', () => {
    const flat = SearchSpace.parse([
      { name: 'opt', type: 'categorical', values: ['sgd', 'adam', 'rmsprop'] },
      { name: 'one', type: 'categorical', values: [3] },
    ]);
    const sampler = new CmaEsSampler({ categorical: 'random' });
    assert.equal(sampler.config(flat, { seed: 0, goal: 'minimize' }).constants, undefined);
    const history = runSequential(sampler, flat, 3, () => 0, 24);
    assert.equal(history.length, 3);
    assert.equal(new Set(history.map((t) => t.params.opt)).size, 3);
    assert.ok(history.every((t) => t.params.one === 3));
    assert.ok('exhausted' in suggestAt(sampler, flat, history, 3, 24));
  });

  describe('categorical parameters', () => {
    const space = SearchSpace.parse([
      { name: 'x', type: 'float', min: 0, max: 1 },
      { name: 'opt', type: 'categorical', values: ['sgd', 'adam', 'rmsprop', 'adagrad'] },
    ]);
    const f = (p: Params) => ((p.x as number) - 0.3) ** 2 + (p.opt === 'rmsprop' ? 0 : 1);

    it('ordinal (default): searches the value as a coordinate and settles on the best one', () => {
      for (const seed of [18, 19]) {
        const history = runSequential(new CmaEsSampler(), space, 120, f, seed);
        const last = history.slice(-20);
        // At least 16 of 20 for each of 20 seeds tried.
        assert.ok(last.filter((t) => t.params.opt === 'rmsprop').length >= 12, JSON.stringify(last.map((t) => t.params.opt)));
      }
    });

    it('random: draws the value uniformly and leaves it out of the search', () => {
      const sampler = new CmaEsSampler({ categorical: 'random' });
      assert.deepEqual(sampler.config(space, { seed: 0, goal: 'minimize' }).layout.searched, [0]);
      const history = runSequential(sampler, space, 120, f, 20);
      const counts = new Map<unknown, number>();
      for (const t of history.slice(-60)) counts.set(t.params.opt, (counts.get(t.params.opt) ?? 0) + 1);
      assert.equal(counts.size, 4);
      for (const n of counts.values()) assert.ok(n >= 5, JSON.stringify([...counts]));
    });
  });

  describe('settings', () => {
    it('accepts every documented setting', () => {
      assert.deepEqual(parseCmaEsSettings({ populationSize: 12, sigma0: 0.2, margin: 0, categorical: 'random', maxResample: 5 }), {
        populationSize: 12, sigma0: 0.2, margin: 0, categorical: 'random', maxResample: 5,
      });
      const history = runSequential(createSampler('cmaes', { populationSize: 6, sigma0: 0.3 }), quadSpace, 30, quad, 21);
      assert.equal(history.length, 30);
    });

    it('names each bad field and its value', () => {
      try {
        createSampler('cmaes', { populationSize: 1.5, sigma0: 0, categorical: 'onehot', popSize: 4 });
        assert.fail('expected a SpecError');
      } catch (err) {
        assert.ok(err instanceof SpecError);
        assert.deepEqual(err.issues.map((i) => i.path).sort(), [
          '/algorithm/settings/categorical', '/algorithm/settings/popSize', '/algorithm/settings/populationSize', '/algorithm/settings/sigma0',
        ]);
        assert.match(err.message, /populationSize must be an integer in \[2, 10000\], got 1\.5/);
        assert.deepEqual(new Set(err.issues.map((i) => i.code)), new Set(['bad_setting', 'unknown_setting']));
      }
      assert.throws(() => parseCmaEsSettings({ sigma0: 2 }, '/spec/algorithm/settings'), (err: unknown) => err instanceof SpecError && err.issues[0]?.path === '/spec/algorithm/settings/sigma0');
    });
  });
});
