/** The GP's coordinates of a space, the history caps and the target transform. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GpEncoding } from '../../../../operator/samplers/gp/encode.js';
import { buildTrainingSet, clipInfinite, selectTrials, standardize } from '../../../../operator/samplers/gp/history.js';
import { Rng } from '../../../../operator/samplers/rng.js';
import type { TrialRecord } from '../../../../operator/samplers/types.js';
import { SearchSpace } from '../../../../operator/space/space.js';

const space = SearchSpace.parse([
  { name: 'lr', type: 'float', min: 1e-5, max: 1, log: true },
  { name: 'units', type: 'int', min: 8, max: 256, log: true },
  { name: 'dropout', type: 'float', min: 0, max: 0.5, step: 0.1 },
  { name: 'opt', type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
  { name: 'momentum', type: 'float', min: 0, max: 0.99, when: { opt: 'sgd' } },
  { name: 'features', type: 'subset', values: ['a', 'b', 'c', 'd'], minSize: 1, maxSize: 2 },
]);

describe('GP encoding', () => {
  const enc = new GpEncoding(space);

  it('models the unconditional parameters: continuous, discrete, categorical and per-value subset coordinates', () => {
    assert.deepEqual(enc.modelled.map((p) => p.name), ['lr', 'units', 'dropout', 'opt', 'features']);
    assert.ok(enc.partial);
    assert.deepEqual(enc.dims.map((d) => d.kind), ['continuous', 'discrete', 'discrete', 'categorical', 'categorical', 'categorical', 'categorical', 'categorical']);
    assert.deepEqual(Array.from(enc.categorical), [0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('repairs any point to one that decodes to the same trial as the raw point, and is a fixed point', () => {
    const rng = new Rng(1);
    for (let k = 0; k < 300; k++) {
      const x = Float64Array.from({ length: enc.d }, () => rng.next());
      const repaired = Float64Array.from(x);
      enc.repair(repaired);
      const raw = enc.decode(x, new Rng(2, k));
      const fixed = enc.decode(repaired, new Rng(2, k));
      assert.deepEqual(fixed, raw);
      assert.deepEqual(space.check(fixed), []);
      // Re-encoding the trial gives the repaired point back (a repaired point is canonical):
      // exactly on discrete and categorical coordinates, to rounding on continuous (log) ones.
      const again = enc.encode(fixed) as Float64Array;
      enc.dims.forEach((dim, j) => {
        if (dim.kind === 'continuous') assert.ok(Math.abs((again[j] as number) - (repaired[j] as number)) < 1e-12);
        else assert.equal(again[j], repaired[j]);
      });
    }
  });

  it('leaves out trials with a missing parameter or a categorical value the space no longer has', () => {
    const ok = { lr: 0.01, units: 64, dropout: 0.2, opt: 'adam', features: ['a'] };
    assert.ok(enc.encode(ok) !== undefined);
    assert.equal(enc.encode({ ...ok, opt: 'adagrad' }), undefined);
    const { lr: _lr, ...withoutLr } = ok;
    assert.equal(enc.encode(withoutLr), undefined);
  });

  it('draws conditional parameters at random, present exactly when their parent is active', () => {
    const x = Float64Array.of(0.5, 0.5, 0.5, 0.5, 0.75, 0.25, 0.25, 0.25); // opt = sgd
    const a = enc.decode(x, new Rng(1));
    const b = enc.decode(x, new Rng(2));
    assert.equal(a.opt, 'sgd');
    assert.notEqual(a.momentum, b.momentum);
    assert.equal(enc.decode(Float64Array.of(0.5, 0.5, 0.5, 0.1, 0.75, 0.25, 0.25, 0.25), new Rng(1)).momentum, undefined);
  });
});

describe('GP history', () => {
  it('keeps the best half and the most recent of the rest past the cap, in creation order', () => {
    const losses = Float64Array.of(5, 1, 9, 2, 8, 7, 6, 3);
    assert.deepEqual(selectTrials(losses, 8), [0, 1, 2, 3, 4, 5, 6, 7]);
    // Best two: indices 1 and 3; then the most recent: 7, 6.
    assert.deepEqual(selectTrials(losses, 4), [1, 3, 6, 7]);
    assert.deepEqual(selectTrials(losses, 3), [1, 3, 7]);
  });

  it('clips infinite losses to the finite extremes and standardises to mean 0, sd 1, negated', () => {
    assert.deepEqual(Array.from(clipInfinite(Float64Array.of(1, Infinity, -Infinity, 3))), [1, 3, 1, 3]);
    assert.deepEqual(Array.from(clipInfinite(Float64Array.of(Infinity))), [0]);
    const y = standardize(Float64Array.of(1, 2, 3));
    assert.ok(Math.abs((y[0] as number) - Math.sqrt(1.5)) < 1e-12 && Math.abs(y[1] as number) < 1e-15 && (y[2] as number) < 0);
    assert.deepEqual(Array.from(standardize(Float64Array.of(4, 4))), [-0, -0]);
  });

  it('trains on succeeded trials only (capped), with pending ones apart', () => {
    const plane = SearchSpace.parse([{ name: 'x', type: 'float', min: 0, max: 1 }]);
    const enc = new GpEncoding(plane);
    const history: TrialRecord[] = [];
    for (let i = 0; i < 500; i++) history.push({ index: i, params: { x: (i % 97) / 97 }, state: 'succeeded', value: i % 13 });
    history.push({ index: 500, params: { x: 0.5 }, state: 'failed' });
    history.push({ index: 501, params: { x: 0.5 }, state: 'succeeded', value: Number.NaN });
    history.push({ index: 502, params: { x: 0.25 }, state: 'pruned', value: 1 });
    history.push({ index: 503, params: { x: 0.3 }, state: 'running' });
    history.push({ index: 504, params: { x: 0.6 }, state: 'pending' });
    const set = buildTrainingSet(history, enc, 'minimize', 150, 1);
    assert.equal(set.n, 150);
    assert.equal(set.p, 1);
    assert.deepEqual(Array.from(set.pending), [0.6]); // the most recent pending one
  });
});
