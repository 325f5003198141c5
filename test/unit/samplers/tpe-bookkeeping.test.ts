/**
 * The bookkeeping half of TPE: which trials are good, where pruned, failed and pending trials
 * go (Optuna 5.0's `_split_trials`), how a conditional space is grouped, and how settings are
 * read (every bad field reported by name).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SpecError } from '../../../operator/api/issues.js';
import { Study } from '../../../operator/engine/study.js';
import { createSampler } from '../../../operator/samplers/registry.js';
import { OPTUNA_PRESET, parseTpeOptions } from '../../../operator/samplers/tpe/options.js';
import { parameterGroups } from '../../../operator/samplers/tpe/groups.js';
import { prunedRank, splitTrials } from '../../../operator/samplers/tpe/split.js';
import type { TrialRecord } from '../../../operator/samplers/types.js';
import { SearchSpace } from '../../../operator/space/space.js';
import type { Params } from '../../../operator/space/types.js';

const t = (index: number, state: TrialRecord['state'], value?: number, intermediate?: [number, number][]): TrialRecord => ({
  index,
  params: { x: index },
  state,
  ...(value === undefined ? {} : { value }),
  ...(intermediate === undefined ? {} : { intermediate }),
});
/** The trials' indices, which `t` stores as their parameter `x`. */
const indices = (ps: readonly Params[]) => ps.map((p) => p.x as number);

describe('the good/bad split', () => {
  it('puts the best gamma(n) succeeded trials below, the rest above, both in trial order', () => {
    const history = [t(0, 'succeeded', 5), t(1, 'succeeded', 1), t(2, 'succeeded', 3), t(3, 'succeeded', 0), t(4, 'succeeded', 9)];
    const split = splitTrials(history, 'minimize', () => 2, true);
    assert.deepEqual(indices(split.below), [1, 3]);
    assert.deepEqual(indices(split.above), [0, 2, 4]);
    assert.equal(split.finished, 5);
    // Maximising flips the ranking.
    assert.deepEqual(indices(splitTrials(history, 'maximize', () => 2, true).below), [0, 4]);
  });

  it('breaks ties in favour of the earlier trial', () => {
    const history = [t(0, 'succeeded', 2), t(1, 'succeeded', 1), t(2, 'succeeded', 1), t(3, 'succeeded', 1)];
    assert.deepEqual(indices(splitTrials(history, 'minimize', () => 2, true).below), [1, 2]);
  });

  it('fills the good group with pruned trials only after every succeeded one, by step reached then value', () => {
    const history = [
      t(0, 'pruned', undefined, [[1, 0.1], [3, 0.5]]), // reached step 3 with 0.5
      t(1, 'succeeded', 4),
      t(2, 'pruned', undefined, [[3, 0.2]]), // step 3 with 0.2: best pruned
      t(3, 'pruned', undefined, [[1, 0.01]]), // only step 1
      t(4, 'pruned'), // reported nothing: last
      t(5, 'pruned', undefined, [[3, Number.NaN]]), // NaN ranks last at its step
    ];
    assert.deepEqual(indices(splitTrials(history, 'minimize', () => 3, true).below), [0, 1, 2]);
    assert.deepEqual(indices(splitTrials(history, 'minimize', () => 5, true).below), [0, 1, 2, 3, 5]);
    assert.deepEqual(prunedRank(t(9, 'pruned'), 'minimize'), [1, 0]);
    assert.deepEqual(prunedRank(t(9, 'pruned', undefined, [[2, 3]]), 'maximize'), [-2, -3]);
  });

  it('ignores failed trials entirely and counts pruned ones towards n', () => {
    const history = [t(0, 'failed'), t(1, 'succeeded', Number.NaN), t(2, 'succeeded', 1), t(3, 'pruned', undefined, [[0, 2]])];
    const split = splitTrials(history, 'minimize', (n) => n, true);
    assert.equal(split.finished, 2);
    assert.deepEqual(indices([...split.below, ...split.above]).sort(), [2, 3]);
  });

  it('files pending and running trials with the bad ones under the constant liar, without counting them', () => {
    const history = [t(0, 'succeeded', 1), t(1, 'running'), t(2, 'succeeded', 2), t(3, 'pending')];
    const liar = splitTrials(history, 'minimize', (n) => n / 2, true);
    assert.equal(liar.finished, 2);
    assert.deepEqual(indices(liar.below), [0]);
    assert.deepEqual(indices(liar.above), [1, 2, 3]);
    assert.deepEqual(indices(splitTrials(history, 'minimize', (n) => n / 2, false).above), [2]);
  });
});

describe('parameter groups in a conditional space', () => {
  const space = SearchSpace.parse([
    { name: 'model', type: 'categorical', values: ['a', 'b'] },
    { name: 'x', type: 'float', min: 0, max: 1, when: { model: 'a' } },
    { name: 'y', type: 'float', min: 0, max: 1, when: { model: 'a' } },
    { name: 'z', type: 'int', min: 0, max: 9, when: { model: 'b' } },
    { name: 'lr', type: 'float', min: 1e-4, max: 1, log: true },
    { name: 'fixed', type: 'categorical', values: ['only'] },
  ]);
  const finished: Params[] = [
    { model: 'a', x: 0.1, y: 0.2, lr: 0.01, fixed: 'only' },
    { model: 'b', z: 3, lr: 0.1, fixed: 'only' },
  ];
  const names = (groups: { name: string }[][]) => groups.map((g) => g.map((p) => p.name));

  it('groups parameters that appear in exactly the same trials (Optuna group=True)', () => {
    assert.deepEqual(names(parameterGroups(space, finished, 2, 'grouped')), [['model', 'lr'], ['x', 'y'], ['z']]);
  });

  it('models the always-present parameters jointly and the others alone without grouping', () => {
    assert.deepEqual(names(parameterGroups(space, finished, 2, 'intersection')), [['model', 'lr'], ['x'], ['y'], ['z']]);
  });

  it('models every parameter alone when univariate, and never a single-valued one', () => {
    assert.deepEqual(names(parameterGroups(space, finished, 2, 'independent')), [['model'], ['x'], ['y'], ['z'], ['lr']]);
  });
});

describe('TPE settings', () => {
  it('defaults to Optuna 5.0 values except where documented', () => {
    const o = parseTpeOptions({});
    assert.equal(o.startupTrials, 10);
    assert.equal(o.candidates, 24);
    assert.equal(o.multivariate, true);
    assert.equal(o.group, true);
    assert.equal(o.constantLiar, true);
    assert.equal(o.clipByStudy, 1); // the documented deviation
    assert.equal(OPTUNA_PRESET.clipByStudy, 0);
    assert.deepEqual(parseTpeOptions({ preset: 'optuna' }), OPTUNA_PRESET);
    assert.equal(parseTpeOptions({ preset: 'optuna', candidates: 48 }).candidates, 48);
  });

  it('reports every unknown or ill-typed setting as a SpecError naming the field', () => {
    assert.throws(
      () => createSampler('tpe', { startupTrials: -1, candidates: 2.5, multivariate: 'yes', bogus: 1, preset: 'hyperopt' }),
      (e: unknown) => {
        assert.ok(e instanceof SpecError);
        const paths = e.issues.map((i) => i.path).sort();
        assert.deepEqual(paths, [
          '/algorithm/settings/bogus',
          '/algorithm/settings/candidates',
          '/algorithm/settings/multivariate',
          '/algorithm/settings/preset',
          '/algorithm/settings/startupTrials',
        ]);
        assert.ok(e.issues.every((i) => i.message.length > 0 && ['bad_setting', 'unknown_setting'].includes(i.code)));
        return true;
      },
    );
  });

  it('rejects group without multivariate, and bad settings reach a Study as a SpecError', () => {
    assert.throws(() => parseTpeOptions({ multivariate: false, group: true }), /group needs multivariate/);
    assert.throws(
      () => new Study({ objective: { metric: 'loss', goal: 'minimize' }, parameters: [{ name: 'x', type: 'float', min: 0, max: 1 }], algorithm: { name: 'tpe', settings: { gammaFraction: 2 } } }),
      (e: unknown) => e instanceof SpecError && e.issues[0]?.path === '/algorithm/settings/gammaFraction',
    );
  });
});
