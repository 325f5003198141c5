import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GridSampler, parseGridOptions } from '../../../operator/samplers/grid.js';
import { SpecError } from '../../../operator/api/issues.js';
import { enumerateGrid } from '../../../operator/space/grid.js';
import { paramsKey, SearchSpace } from '../../../operator/space/space.js';
import type { TrialRecord } from '../../../operator/samplers/types.js';
import { askParallel, runSequential, suggestAt } from './helpers.js';

const space = SearchSpace.parse([
  { name: 'lr', type: 'float', min: 0.01, max: 0.05, step: 0.01 },
  { name: 'opt', type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
  { name: 'layers', type: 'int', min: 1, max: 3 },
]);

describe('GridSampler', () => {
  it('visits every grid point exactly once, then says exhausted', () => {
    const history = runSequential(new GridSampler(), space, 100, () => 0, 1);
    assert.equal(history.length, 45);
    assert.equal(new Set(history.map((t) => paramsKey(t.params))).size, 45);
    const after = suggestAt(new GridSampler(), space, history, 45, 1);
    assert.ok('exhausted' in after && /all 45 grid points/.test(after.exhausted));
  });

  it('shuffles the order by seed, so a short budget covers the grid evenly', () => {
    const a = runSequential(new GridSampler(), space, 10, () => 0, 1).map((t) => t.params);
    const b = runSequential(new GridSampler(), space, 10, () => 0, 2).map((t) => t.params);
    assert.notDeepEqual(a, b);
    // Ten trials of a seeded order touch more than one learning rate (the plain order would not).
    assert.ok(new Set(a.map((p) => p.lr)).size > 1);
    const ordered = runSequential(new GridSampler({ ordered: true }), space, 3, () => 0, 1).map((t) => t.params);
    assert.deepEqual(ordered, enumerateGrid(space).slice(0, 3));
  });

  it('gives parallel trials distinct points and resumes after a restart', () => {
    const history: TrialRecord[] = [];
    const first = askParallel(new GridSampler(), space, history, 4, 3);
    assert.equal(new Set(first.map(paramsKey)).size, 4);
    // A fresh sampler (a restarted operator) with the same history continues the same plan.
    const fresh = suggestAt(new GridSampler(), space, history, 4, 3);
    const same = suggestAt(new GridSampler(), space, history, 4, 3);
    assert.deepEqual(fresh, same);
    assert.ok('params' in fresh && !first.map(paramsKey).includes(paramsKey(fresh.params)));
  });

  it('rejects unknown or mistyped settings, naming the field', () => {
    assert.deepEqual(parseGridOptions({ ordered: true }), { ordered: true });
    assert.throws(() => parseGridOptions({ order: true }), (e: unknown) => e instanceof SpecError && e.issues[0]!.path === '/algorithm/settings/order');
    assert.throws(() => parseGridOptions({ ordered: 'yes' }), (e: unknown) => e instanceof SpecError && e.issues[0]!.code === 'bad_setting');
  });
});
