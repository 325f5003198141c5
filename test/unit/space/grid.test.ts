import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { enumerateGrid, GridError, gridSize, gridValues } from '../../../operator/space/grid.js';
import { paramsKey, SearchSpace } from '../../../operator/space/space.js';
import { cnnSpace } from './fixtures.js';

describe('grid enumeration', () => {
  it('is the Cartesian product of stepped and categorical parameters', () => {
    const space = SearchSpace.parse([
      { name: 'lr', type: 'float', min: 0.1, max: 0.3, step: 0.1 },
      { name: 'opt', type: 'categorical', values: ['adam', 'sgd'] },
      { name: 'n', type: 'int', min: 1, max: 2 },
    ]);
    const grid = enumerateGrid(space);
    assert.equal(grid.length, 3 * 2 * 2);
    assert.equal(new Set(grid.map(paramsKey)).size, grid.length);
    assert.deepEqual(grid[0], { lr: 0.1, opt: 'adam', n: 1 });
    for (const p of grid) assert.deepEqual(space.check(p), []);
  });

  it('varies conditional parameters only where they are active', () => {
    // first_conv=false: 3 unit choices; first_conv=true: size 3 (3 units) + size 5 × 2 pools (6 units).
    const grid = enumerateGrid(SearchSpace.parse(cnnSpace));
    assert.equal(grid.length, 4 * (1 + 1 + 2));
    assert.equal(grid.filter((p) => p.first_conv === false).length, 4);
    assert.equal(gridSize(SearchSpace.parse(cnnSpace)), grid.length);
    for (const p of grid) if (p.first_conv === false) assert.deepEqual(Object.keys(p).sort(), ['first_conv', 'units']);
  });

  it('enumerates subsets within their size limits', () => {
    const space = SearchSpace.parse([{ name: 'f', type: 'subset', values: ['a', 'b', 'c', 'd'], minSize: 2, maxSize: 3 }]);
    const values = gridValues(space, space.get('f'));
    assert.equal(values.length, 6 + 4); // C(4,2) + C(4,3)
    assert.ok(values.every((v) => Array.isArray(v) && v.length >= 2 && v.length <= 3));
  });

  it('refuses a continuous float with a message that says how to fix it', () => {
    const space = SearchSpace.parse([{ name: 'lr', type: 'float', min: 0, max: 1 }]);
    assert.throws(() => enumerateGrid(space), (e: unknown) => e instanceof GridError && /"lr" is continuous: give it a step/.test(e.message));
  });

  it('refuses grids past the size limit instead of exhausting memory', () => {
    const space = SearchSpace.parse([
      { name: 'a', type: 'int', min: 0, max: 999 },
      { name: 'b', type: 'int', min: 0, max: 999 },
      { name: 'c', type: 'int', min: 0, max: 9 },
    ]);
    assert.equal(gridSize(space), 10_000_000);
    assert.throws(() => enumerateGrid(space), (e: unknown) => e instanceof GridError && /10000000 points/.test(e.message));
  });
});
