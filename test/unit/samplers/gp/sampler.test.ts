/**
 * The GP sampler end to end: settings, determinism, parallel suggestions, and that the model
 * actually helps (GP against random search on a quadratic). The sampler contract (contract.test.ts)
 * covers legality, conditional spaces, replay and discrete-space repeats for every sampler.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SpecError } from '../../../../operator/api/issues.js';
import { Study } from '../../../../operator/engine/study.js';
import { DEFAULT_GP_OPTIONS, GpSampler, parseGpOptions } from '../../../../operator/samplers/gp/index.js';
import { RandomSampler } from '../../../../operator/samplers/random.js';
import { Rng } from '../../../../operator/samplers/rng.js';
import { createSampler } from '../../../../operator/samplers/registry.js';
import type { Sampler, TrialRecord } from '../../../../operator/samplers/types.js';
import { SearchSpace } from '../../../../operator/space/space.js';
import type { Params } from '../../../../operator/space/types.js';
import { runSequential, suggestAt } from '../helpers.js';

const plane = SearchSpace.parse([
  { name: 'x', type: 'float', min: -5, max: 5 },
  { name: 'y', type: 'float', min: -5, max: 5 },
]);
const quadratic = (p: Params) => ((p.x as number) - 1.3) ** 2 + 2 * ((p.y as number) + 0.7) ** 2;
const bumpy = (p: Params) => Math.sin(1.5 * (p.x as number)) + Math.cos(1.5 * (p.y as number)) + 0.05 * ((p.x as number) ** 2 + (p.y as number) ** 2);
const best = (h: readonly TrialRecord[]) => Math.min(...h.map((t) => t.value as number));

describe('gp settings', () => {
  it('defaults to Optuna’s start-up, candidates and local searches, with documented caps', () => {
    assert.deepEqual(parseGpOptions({}), DEFAULT_GP_OPTIONS);
    assert.equal(DEFAULT_GP_OPTIONS.startupTrials, 10);
    assert.equal(DEFAULT_GP_OPTIONS.candidates, 2048);
    assert.equal(parseGpOptions({ startupTrials: 4, deterministic: true }).startupTrials, 4);
    assert.equal((createSampler('gp', { maxTrials: 80 }) as GpSampler).options.maxTrials, 80);
  });

  it('reports every bad or unknown field at /algorithm/settings/<field>', () => {
    try {
      createSampler('gp', { startupTrials: -1, candidates: 0.5, fitStarts: 4, kernel: 'rbf' });
      assert.fail('expected a SpecError');
    } catch (e) {
      assert.ok(e instanceof SpecError);
      assert.deepEqual(e.issues.map((i) => i.path).sort(), [
        '/algorithm/settings/candidates',
        '/algorithm/settings/fitStarts',
        '/algorithm/settings/kernel',
        '/algorithm/settings/startupTrials',
      ]);
    }
  });
});

describe('gp sampler', () => {
  it('is deterministic per seed, and another seed gives other trials', () => {
    const a = runSequential(new GpSampler(), plane, 14, quadratic, 11).map((t) => t.params);
    const b = runSequential(new GpSampler(), plane, 14, quadratic, 11).map((t) => t.params);
    const c = runSequential(new GpSampler(), plane, 14, quadratic, 12).map((t) => t.params);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.slice(10), c.slice(10));
  });

  it('works from the first trial when startupTrials is 0, and follows the goal when maximising', () => {
    const history: TrialRecord[] = [];
    const sampler = new GpSampler({ startupTrials: 0 });
    for (let i = 0; i < 20; i++) {
      const s = suggestAt(sampler, plane, history, i, 3, 'maximize');
      assert.ok('params' in s);
      history.push({ index: i, params: s.params, state: 'succeeded', value: -quadratic(s.params) });
    }
    assert.ok(Math.max(...history.map((t) => t.value as number)) > -0.05);
  });

  it('spreads parallel suggestions: pending trials enter as kriging-believer points', () => {
    const spread = (points: Params[]) => {
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < points.length; i++) {
        for (let j = 0; j < i; j++) {
          min = Math.min(min, Math.hypot((points[i]?.x as number) - (points[j]?.x as number), (points[i]?.y as number) - (points[j]?.y as number)));
        }
      }
      return min;
    };
    for (const seed of [0, 1, 2, 3]) {
      const finished = runSequential(new GpSampler(), plane, 12, bumpy, seed);
      const withPending: TrialRecord[] = [...finished];
      const blind: Params[] = [];
      for (let k = 0; k < 4; k++) {
        const index = finished.length + k;
        const seen = suggestAt(new GpSampler(), plane, withPending, index, seed);
        const unseen = suggestAt(new GpSampler(), plane, finished, index, seed);
        assert.ok('params' in seen && 'params' in unseen);
        withPending.push({ index, params: seen.params, state: 'running' });
        blind.push(unseen.params);
      }
      const parallel = withPending.slice(finished.length).map((t) => t.params);
      // Ignoring the running trials, the four asks land on (almost) the same point; seeing them,
      // they are well apart in a 10-wide box.
      assert.ok(spread(blind) < 0.01, `seed ${seed}: blind spread ${spread(blind)}`);
      assert.ok(spread(parallel) > 0.02, `seed ${seed}: parallel spread ${spread(parallel)}`);
    }
  });

  it('past the history cap (300 finished, 12 pending, failures), still suggests a legal, new point', () => {
    const space = SearchSpace.parse([
      { name: 'a', type: 'float', min: 0, max: 1 },
      { name: 'b', type: 'int', min: 1, max: 100, log: true },
      { name: 'c', type: 'categorical', values: ['x', 'y', 'z'] },
    ]);
    const history: TrialRecord[] = [];
    const rng = new Rng(9);
    for (let i = 0; i < 312; i++) {
      const params = { a: rng.next(), b: 1 + rng.int(100), c: ['x', 'y', 'z'][rng.int(3)] as string };
      const state = i >= 300 ? 'running' : i % 50 === 7 ? 'failed' : 'succeeded';
      history.push({ index: i, params, state, value: state === 'succeeded' ? (params.a - 0.3) ** 2 + (params.c === 'y' ? 0 : 1) : undefined });
    }
    const s = suggestAt(new GpSampler(), space, history, 312, 9);
    assert.ok('params' in s);
    assert.deepEqual(space.check(s.params), []);
    assert.equal(s.params.c, 'y');
  });

  it('runs through the ask/tell Study like any sampler, parallel asks included', () => {
    const study = new Study({
      objective: { metric: 'loss', goal: 'minimize' },
      parameters: [
        { name: 'lr', type: 'float', min: 1e-5, max: 1, log: true },
        { name: 'layers', type: 'int', min: 1, max: 4 },
      ],
      algorithm: { name: 'gp', seed: 4, settings: { startupTrials: 5 } },
    });
    const loss = (p: Params) => (Math.log10(p.lr as number) + 3) ** 2 + ((p.layers as number) - 2) ** 2;
    for (let round = 0; round < 6; round++) {
      const asked = [study.ask(), study.ask()]; // two workers
      assert.notDeepEqual(asked[0]?.params, asked[1]?.params);
      for (const a of asked) study.tell(a.index, loss(a.params));
    }
    assert.ok((study.best?.value ?? Infinity) < 0.5, `best ${study.best?.value}`);
  });

  it('beats random search on a 2-D quadratic after 30 trials, for at least 9 seeds of 10', () => {
    let wins = 0;
    const gpBest: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      const gp = best(runSequential(new GpSampler(), plane, 30, quadratic, seed));
      const random = best(runSequential(new RandomSampler() as Sampler, plane, 30, quadratic, seed));
      gpBest.push(gp);
      if (gp < random) wins++;
    }
    assert.ok(wins >= 9, `GP won ${wins} of 10`);
    // Not just better: 20 model-based trials pin the minimum down (random's typical best is ~0.5).
    assert.ok(gpBest.sort((a, b) => a - b)[5]! < 0.01, `median GP best ${gpBest[5]}`);
  });
});
