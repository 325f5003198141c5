import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  numericDomain,
  numericFromUnit,
  numericGrid,
  numericToUnit,
  snap,
} from '../../../operator/space/numeric.js';

describe('numeric domains', () => {
  it('maps a linear float to and from the unit interval', () => {
    const d = numericDomain({ name: 'x', type: 'float', min: -2, max: 6 });
    assert.equal(d.count, Infinity);
    assert.equal(numericFromUnit(d, 0), -2);
    assert.equal(numericFromUnit(d, 1), 6);
    assert.equal(numericFromUnit(d, 0.25), 0);
    assert.equal(numericToUnit(d, 2), 0.5);
  });

  it('works on the log scale for log parameters', () => {
    const d = numericDomain({ name: 'lr', type: 'float', min: 1e-4, max: 1, log: true });
    assert.ok(Math.abs(numericFromUnit(d, 0.5) - 1e-2) < 1e-12);
    assert.ok(Math.abs(numericToUnit(d, 1e-3) - 0.25) < 1e-12);
  });

  it('gives every value of a stepped parameter an equal share of the unit interval', () => {
    const d = numericDomain({ name: 'n', type: 'int', min: 1, max: 4 });
    assert.deepEqual(numericGrid(d), [1, 2, 3, 4]);
    const counts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const v = numericFromUnit(d, (i + 0.5) / 4000);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    assert.deepEqual([...counts.entries()].sort((a, b) => a[0] - b[0]), [[1, 1000], [2, 1000], [3, 1000], [4, 1000]]);
    // Each value sits in the middle of its cell, so encode → decode is the identity.
    for (const v of [1, 2, 3, 4]) assert.equal(numericFromUnit(d, numericToUnit(d, v)), v);
  });

  it('keeps float steps exact in decimal and drops a last point beyond max', () => {
    const d = numericDomain({ name: 'p', type: 'float', min: 0.1, max: 0.75, step: 0.2 });
    assert.deepEqual(numericGrid(d), [0.1, 0.3, 0.5, 0.7]);
    assert.equal(d.max, 0.7);
    assert.equal(snap(d, 0.74), 0.7);
    assert.equal(snap(d, 0.39), 0.3);
  });

  it('pads a log int by half a unit so 1 and max are as likely as their neighbours on the log scale', () => {
    const d = numericDomain({ name: 'u', type: 'int', min: 1, max: 1024, log: true });
    assert.equal(numericFromUnit(d, 0), 1);
    assert.equal(numericFromUnit(d, 1), 1024);
    assert.ok(Math.abs(d.paddedLow - Math.log(0.5)) < 1e-12);
    for (const v of [1, 2, 3, 100, 1024]) assert.equal(numericFromUnit(d, numericToUnit(d, v)), v);
  });

  it('clips out-of-range unit values to the bounds', () => {
    const d = numericDomain({ name: 'x', type: 'int', min: 0, max: 10, step: 5 });
    assert.equal(numericFromUnit(d, -3), 0);
    assert.equal(numericFromUnit(d, 7), 10);
  });
});
