import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SearchSpace } from '../../../operator/space/space.js';
import { decodeSubset, UnitCube } from '../../../operator/space/unit-cube.js';
import type { Params, SubsetParam } from '../../../operator/space/types.js';
import { Rng } from '../../../operator/samplers/rng.js';

const mixed = SearchSpace.parse([
  { name: 'lr', type: 'float', min: 1e-4, max: 1, log: true },
  { name: 'opt', type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
  { name: 'momentum', type: 'float', min: 0, max: 0.9, step: 0.1, when: { opt: 'sgd' } },
  { name: 'features', type: 'subset', values: ['a', 'b', 'c', 'd'], minSize: 1, maxSize: 3 },
  { name: 'layers', type: 'int', min: 1, max: 4 },
]);

describe('UnitCube', () => {
  it('gives subsets one coordinate per value and everything else one', () => {
    const cube = new UnitCube(mixed);
    assert.equal(cube.dims, 1 + 1 + 1 + 4 + 1);
    assert.equal(cube.offset('features'), 3);
  });

  it('decodes every point of the cube to a legal configuration', () => {
    const cube = new UnitCube(mixed);
    const rng = new Rng(7);
    for (let i = 0; i < 2000; i++) {
      const u = Array.from({ length: cube.dims }, () => rng.next());
      const params = cube.decode(u);
      assert.deepEqual(mixed.check(params), [], JSON.stringify(params));
    }
  });

  it('round-trips legal configurations through encode and decode', () => {
    const cube = new UnitCube(mixed);
    const points: Params[] = [
      { lr: 0.01, opt: 'sgd', momentum: 0.3, features: ['a', 'd'], layers: 2 },
      { lr: 1e-4, opt: 'rmsprop', features: ['b', 'c', 'd'], layers: 4 },
    ];
    for (const p of points) {
      const back = cube.decode(cube.encode(p));
      assert.equal(back.opt, p.opt);
      assert.deepEqual(back.features, p.features);
      assert.equal(back.layers, p.layers);
      assert.equal(back.momentum, p.momentum);
      assert.ok(Math.abs(Math.log(back.lr as number) - Math.log(p.lr as number)) < 1e-9);
    }
  });

  it('encodes inactive parameters as NaN', () => {
    const u = new UnitCube(mixed).encode({ lr: 0.1, opt: 'adam', features: ['a'], layers: 1 });
    assert.ok(Number.isNaN(u[2]));
    assert.ok(!Number.isNaN(u[1]));
  });

  it('repairs subsets to their allowed size by coordinate strength', () => {
    const p: SubsetParam = { name: 'f', type: 'subset', values: ['a', 'b', 'c', 'd'], minSize: 2, maxSize: 3 };
    assert.deepEqual(decodeSubset(p, [0.1, 0.4, 0.2, 0.3]), ['b', 'd']); // none chosen: the two strongest join
    assert.deepEqual(decodeSubset(p, [0.9, 0.6, 0.7, 0.8]), ['a', 'c', 'd']); // all chosen: the weakest leaves
    assert.deepEqual(decodeSubset(p, [0.9, 0.1, 0.7, 0.2]), ['a', 'c']);
  });
});
