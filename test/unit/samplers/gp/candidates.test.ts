/** Sobol' candidates with a digital shift: in the cube, stratified, different per stream. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { sobolCandidates } from '../../../../operator/samplers/gp/candidates.js';
import { Rng } from '../../../../operator/samplers/rng.js';

describe('Sobol’ candidates', () => {
  it('lie in [0, 1) and put exactly one of the first 2^k points in each of 2^k slices of every coordinate', () => {
    const d = 7;
    const count = 256;
    const x = sobolCandidates(count, d, new Rng(1));
    for (const v of x) assert.ok(v >= 0 && v < 1);
    for (let j = 0; j < d; j++) {
      const slices = new Set<number>();
      for (let r = 0; r < count; r++) slices.add(Math.floor((x[r * d + j] as number) * count));
      assert.equal(slices.size, count, `coordinate ${j}`);
    }
  });

  it('are a pure function of the stream, and differ between streams', () => {
    assert.deepEqual(sobolCandidates(64, 3, new Rng(5)), sobolCandidates(64, 3, new Rng(5)));
    assert.notDeepEqual(sobolCandidates(64, 3, new Rng(5)), sobolCandidates(64, 3, new Rng(6)));
  });
});
