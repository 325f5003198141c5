import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { paramsKey, SearchSpace } from '../../../operator/space/space.js';
import { cnnSpace } from './fixtures.js';

describe('SearchSpace', () => {
  it('orders parents before children and keeps the user order otherwise', () => {
    const space = SearchSpace.parse(cnnSpace);
    assert.deepEqual(space.params.map((p) => p.name), ['first_conv', 'first_conv_size', 'pool', 'units']);
    assert.ok(space.isConditional);
  });

  it('activates a child only while every parent holds a listed value (nesting included)', () => {
    const space = SearchSpace.parse(cnnSpace);
    const pool = space.get('pool');
    assert.equal(space.isActive(pool, { first_conv: true, first_conv_size: 5 }), true);
    assert.equal(space.isActive(pool, { first_conv: true, first_conv_size: 3 }), false);
    assert.equal(space.isActive(pool, { first_conv: false }), false);
    assert.equal(space.isActive(space.get('units'), {}), true);
  });

  it('accepts a list of values in a condition', () => {
    const space = SearchSpace.parse([
      { name: 'opt', type: 'categorical', values: ['sgd', 'rmsprop', 'adam'] },
      { name: 'momentum', type: 'float', min: 0, max: 0.99, when: { opt: ['sgd', 'rmsprop'] } },
    ]);
    const m = space.get('momentum');
    assert.equal(space.isActive(m, { opt: 'rmsprop' }), true);
    assert.equal(space.isActive(m, { opt: 'adam' }), false);
  });

  it('assembles exactly the active parameters, in dependency order', () => {
    const space = SearchSpace.parse(cnnSpace);
    const asked: string[] = [];
    const params = space.assemble((p) => {
      asked.push(p.name);
      return p.name === 'first_conv' ? false : p.type === 'int' ? 32 : 'x';
    });
    assert.deepEqual(asked, ['first_conv', 'units']);
    assert.deepEqual(params, { first_conv: false, units: 32 });
  });

  it('checks a concrete point: legal values, missing, inactive and unknown parameters', () => {
    const space = SearchSpace.parse(cnnSpace);
    assert.deepEqual(space.check({ first_conv: true, first_conv_size: 3, units: 48 }), []);
    assert.deepEqual(space.check({ first_conv: false, first_conv_size: 3, units: 40, extra: 1 }), [
      'first_conv_size is set but inactive',
      'units must be 16 plus a multiple of 16',
      'extra is not a parameter of this space',
    ]);
    assert.deepEqual(space.check({ first_conv: true }), ['first_conv_size is missing', 'units is missing']);
  });

  it('checks subsets: known values, no repeats, allowed size', () => {
    const space = SearchSpace.parse([{ name: 'f', type: 'subset', values: ['a', 'b', 'c'], maxSize: 2 }]);
    assert.deepEqual(space.check({ f: ['a', 'c'] }), []);
    assert.match(space.check({ f: ['a', 'b', 'c'] })[0]!, /between 1 and 2/);
    assert.match(space.check({ f: ['a', 'a'] })[0]!, /repeat/);
    assert.match(space.check({ f: ['z'] })[0]!, /may only hold/);
  });

  it('does not share state with the list it was parsed from', () => {
    const raw = [{ name: 'x', type: 'float', min: 0, max: 1 }];
    const space = SearchSpace.parse(raw);
    raw[0]!.max = 100;
    assert.equal(space.domain('x').max, 1);
  });

  it('keys parameter sets independently of key order', () => {
    assert.equal(paramsKey({ a: 1, b: [1, 2] }), paramsKey({ b: [1, 2], a: 1 }));
    assert.notEqual(paramsKey({ a: 1 }), paramsKey({ a: '1' }));
  });
});
