import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Rng } from '../../../operator/samplers/rng.js';

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('is a pure function of its key', () => {
    assert.deepEqual(draw(new Rng(42, 7, 'tpe'), 20), draw(new Rng(42, 7, 'tpe'), 20));
  });

  it('gives different streams for different seeds, indices and purposes', () => {
    const base = draw(new Rng(42, 7, 'tpe'), 5);
    for (const other of [new Rng(43, 7, 'tpe'), new Rng(42, 8, 'tpe'), new Rng(42, 7, 'random'), new Rng(42, '7', 'tpe')]) {
      assert.notDeepEqual(draw(other, 5), base);
    }
  });

  it('derives child streams without disturbing the parent', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    a.derive('child').next();
    assert.equal(a.next(), b.next());
    assert.deepEqual(draw(new Rng(1).derive('x', 2), 5), draw(new Rng(1).derive('x', 2), 5));
  });

  it('draws uniform values in [0, 1) with the right mean and spread', () => {
    const xs = draw(new Rng(3), 100_000);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    // Standard error of the mean is 0.0009; 6 of them make a false failure practically impossible.
    assert.ok(Math.abs(mean - 0.5) < 0.006, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1 / 12) < 0.003, `variance ${variance}`);
  });

  it('draws standard normals', () => {
    const rng = new Rng(5);
    const xs = Array.from({ length: 100_000 }, () => rng.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
  });

  it('chooses by weight and never picks a zero weight', () => {
    const rng = new Rng(9);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.choice([1, 0, 3])]! += 1;
    assert.equal(counts[1], 0);
    assert.ok(Math.abs(counts[2]! / counts[0]! - 3) < 0.3, JSON.stringify(counts));
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Rng(11).shuffle(items);
    assert.notDeepEqual(shuffled, items);
    assert.deepEqual([...shuffled].sort((a, b) => a - b), items);
  });

  it('rejects an empty range for int()', () => {
    assert.throws(() => new Rng(1).int(0), RangeError);
  });
});
