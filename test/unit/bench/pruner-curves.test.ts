/**
 * The pruners benchmark's learning curves: the same numbers in TypeScript (our side) and Python
 * (Optuna's side) for both families, a floor that is the lower bound at the best configuration,
 * curves that cross in the `crossing` family (a fast, worse configuration leads early and loses at
 * the end) and early ranks that predict final ones, imperfectly, in the `ranked` family; and the
 * `fashion` family's replay of recorded curves (inverse-distance-weighted mean of the 4 nearest
 * recorded configurations, ties to the lowest index, diverged epochs) gives the same answers in
 * both languages.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { CURVE_FAMILIES, CURVE_PARAMETERS, type CurveFamily, floorOf, LOWER_BOUND, lossAt, MAX_STEPS, rankCorrelation, rankedLossAt } from '../../../bench/pruners/curves.js';
import { FASHION_EPOCHS, FASHION_REPLAY, type FashionConfig, FashionCurves, readFashionTable } from '../../../bench/pruners/fashion.js';
import { sampleUniform } from '../../../operator/samplers/random.js';
import { Rng } from '../../../operator/samplers/rng.js';
import { SearchSpace } from '../../../operator/space/space.js';
import type { Params } from '../../../operator/space/types.js';

const pythonCurves = fileURLToPath(new URL('../../../bench/pruners/curves.py', import.meta.url));
const pythonFashion = fileURLToPath(new URL('../../../bench/pruners/fashion.py', import.meta.url));
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;
const best = { lr: 10 ** -2.5, width: 256, dropout: 0.2, optimizer: 'adam' };

describe('the pruners benchmark curves', () => {
  it('have their lower bound at the best configuration and never go below it at the end', () => {
    assert.ok(Math.abs(floorOf(best) - LOWER_BOUND) < 1e-12);
    const space = SearchSpace.parse(CURVE_PARAMETERS);
    for (let i = 0; i < 300; i++) {
      const p = sampleUniform(space, new Rng(3, i, 'curves'));
      assert.ok(lossAt(p, MAX_STEPS) >= LOWER_BOUND - 1e-12);
      assert.ok(rankedLossAt(p, MAX_STEPS) >= LOWER_BOUND - 1e-12);
    }
    assert.ok(rankedLossAt(best, MAX_STEPS) - LOWER_BOUND < 1e-5, 'the best configuration converges within the budget');
  });

  it('rank early as they end only in the ranked family, and only up to noise', () => {
    const space = SearchSpace.parse(CURVE_PARAMETERS);
    const configs = Array.from({ length: 500 }, (_, i) => sampleUniform(space, new Rng(5, i, 'curves')));
    // Crossing: at step 2 the ranking says nothing about the end (it is that of the rates).
    assert.ok(Math.abs(rankCorrelation('crossing', configs, 2)) < 0.3);
    // Ranked: clearly predictive from the start, never perfect before the end, better with time.
    const early = rankCorrelation('ranked', configs, 2);
    const later = rankCorrelation('ranked', configs, 32);
    assert.ok(early > 0.3 && early < 0.8, `ranked step 2: ${early}`);
    assert.ok(later > early && later < 1, `ranked step 32: ${later}`);
  });

  it('cross: a large learning rate leads early and ends worse', () => {
    const fast = { ...best, lr: 0.3 };
    assert.ok(lossAt(fast, 2) < lossAt(best, 2));
    assert.ok(lossAt(fast, MAX_STEPS) > lossAt(best, MAX_STEPS));
  });

  it('compute the same losses in TypeScript and in Python', { skip: python === undefined && 'python3 not found' }, () => {
    const space = SearchSpace.parse(CURVE_PARAMETERS);
    const families: CurveFamily[] = ['crossing', 'ranked'];
    const points = Array.from({ length: 80 }, (_, i) => ({
      params: sampleUniform(space, new Rng(9, i >> 1, 'curves')), step: 1 + ((i * 7) % MAX_STEPS), family: families[i % 2] as CurveFamily,
    }));
    for (const family of families) points.push({ params: best, step: MAX_STEPS, family });
    const out = spawnSync(python as string, [pythonCurves], { input: JSON.stringify(points), encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const theirs = JSON.parse(out.stdout) as number[];
    points.forEach((x, i) => {
      const ours = CURVE_FAMILIES[x.family](x.params, x.step);
      assert.ok(Math.abs(ours - (theirs[i] as number)) <= 1e-12 * Math.max(1, Math.abs(ours)), `${JSON.stringify(x)}: ${ours} vs ${theirs[i]}`);
    });
  });

  describe('the fashion family', () => {
    const space = SearchSpace.parse(CURVE_PARAMETERS);
    type Query = { params: Params; step: number };
    type Answer = { neighbours: number[]; nearest: number; loss: number };
    const askPython = (request: { curves?: FashionConfig[] | null; table?: string | null; queries: Query[] }) => {
      const out = spawnSync(python as string, [pythonFashion], { input: JSON.stringify(request), encoding: 'utf8' });
      assert.equal(out.status, 0, out.stderr);
      const answer = JSON.parse(out.stdout) as { replay: string; answers: Answer[] };
      assert.equal(answer.replay, FASHION_REPLAY, 'the two replays carry the same name (it keys the cache of Optuna\'s results)');
      return answer.answers;
    };
    // Random points, the recorded points themselves (distance 0) and points a hair away from them.
    const queriesFor = (configs: readonly FashionConfig[]): Query[] => [
      ...Array.from({ length: 200 }, (_, i) => ({ params: sampleUniform(space, new Rng(11, i, 'fashion')), step: 1 + (i % FASHION_EPOCHS) })),
      ...configs.slice(0, 40).map((c, i) => ({ params: c.params, step: 1 + ((i * 5) % FASHION_EPOCHS) })),
      ...configs.slice(0, 40).map((c, i) => ({ params: { ...c.params, lr: (c.params.lr as number) * 1.0001 }, step: FASHION_EPOCHS - (i % 3) })),
    ];
    // The same neighbours in the same order; the losses to rounding (log10 and log2 may differ in the last bit between the two languages).
    const agree = (curves: FashionCurves, queries: Query[], theirs: Answer[]) => {
      assert.equal(theirs.length, queries.length);
      queries.forEach((q, i) => {
        assert.deepEqual(curves.neighbours(q.params).map((n) => n.index), theirs[i]!.neighbours, `neighbours of ${JSON.stringify(q.params)}`);
        assert.equal(curves.nearest(q.params), theirs[i]!.nearest, `nearest of ${JSON.stringify(q.params)}`);
        const ours = curves.lossAt(q.params, q.step);
        assert.ok(Math.abs(ours - theirs[i]!.loss) <= 1e-12 * Math.max(1, Math.abs(ours)), `loss of ${JSON.stringify(q)}: ${ours} vs ${theirs[i]!.loss}`);
      });
    };

    it('replays the same weighted mean in TypeScript and in Python, ties and divergence included', { skip: python === undefined && 'python3 not found' }, () => {
      // A made-up table: random configurations, every fifth one recorded twice and one recorded six
      // times (ties in distance the lowest indexes must win on both sides, with different losses so
      // that the wrong pick shows), every seventh one diverging part way.
      const configs: FashionConfig[] = [];
      for (let i = 0; configs.length < 120; i++) {
        const params = sampleUniform(space, new Rng(13, i, 'fashion-table'));
        const copies = i === 7 ? 6 : i % 5 === 0 ? 2 : 1;
        for (let k = 0; k < copies; k++) {
          const index = configs.length;
          const at = index % 7 === 3 ? 1 + (index % FASHION_EPOCHS) : FASHION_EPOCHS + 1;
          const valLoss = Array.from({ length: FASHION_EPOCHS }, (_, e) => (e + 1 >= at ? null : Number((0.3 + 2 / (e + 2) + index / 1000).toPrecision(5))));
          const first = valLoss.indexOf(null);
          configs.push({ index, params, seed: index, valLoss, valAccuracy: valLoss.map((v) => (v === null ? null : 0.5)), divergedAt: first < 0 ? null : first + 1, seconds: 1, cpuSeconds: 1 });
        }
      }
      const curves = new FashionCurves(configs);
      const sixfold = configs.findIndex((c, j) => j + 5 < configs.length && configs[j + 5]!.params === c.params);
      const queries = [...queriesFor(configs), { params: configs[sixfold]!.params, step: 4 }, { params: { ...configs[sixfold]!.params, dropout: (configs[sixfold]!.params.dropout as number) + 1e-3 }, step: 20 }];
      const theirs = askPython({ curves: configs, queries });
      agree(curves, queries, theirs);
      // The ties were exercised: a duplicated configuration resolves to its first copy, then the second;
      // of six copies the first four are averaged, on both sides.
      assert.deepEqual(curves.neighbours(configs[1]!.params).slice(0, 2).map((n) => n.index), [0, 1]);
      assert.deepEqual(theirs[200 + 1]!.neighbours.slice(0, 2), [0, 1]);
      const four = [0, 1, 2, 3].map((k) => sixfold + k);
      assert.deepEqual(theirs[queries.length - 2]!.neighbours, four);
      assert.deepEqual(theirs[queries.length - 1]!.neighbours, four);
    });

    it('replays the committed table the same in TypeScript and in Python', { skip: python === undefined && 'python3 not found' }, () => {
      const table = readFashionTable();
      const curves = new FashionCurves(table.curves);
      const queries = queriesFor(table.curves);
      agree(curves, queries, askPython({ table: null, queries }));
    });
  });
});
