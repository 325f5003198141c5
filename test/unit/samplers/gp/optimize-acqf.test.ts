/** The acquisition search on hand-made acquisition functions with a known maximum. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { sobolCandidates } from '../../../../operator/samplers/gp/candidates.js';
import { type AcquisitionProblem, type DimKind, MAX_CATEGORICAL_MOVES, optimizeAcquisition } from '../../../../operator/samplers/gp/optimize-acqf.js';
import { Rng } from '../../../../operator/samplers/rng.js';

/** A problem from a plain function of the point; `batches` records every batch size asked for. */
function problemOf(dims: DimKind[], f: (x: Float64Array) => number, grad: (x: Float64Array, g: Float64Array) => void, batches: number[] = []): AcquisitionProblem {
  const d = dims.length;
  const snap = (x: Float64Array, base: number) => {
    dims.forEach((dim, j) => {
      if (dim.kind === 'continuous') return;
      let best = 0;
      for (let c = 1; c < dim.choices.length; c++) if (Math.abs((dim.choices[c] as number) - (x[base + j] as number)) < Math.abs((dim.choices[best] as number) - (x[base + j] as number))) best = c;
      x[base + j] = dim.choices[best] as number;
    });
  };
  return {
    dims,
    lengthscales: new Float64Array(d).fill(0.5),
    value: (xs, row) => f(xs.subarray(row * d, row * d + d)),
    valueBatch: (xs, count, out) => {
      batches.push(count);
      for (let r = 0; r < count; r++) out[r] = f(xs.subarray(r * d, r * d + d));
    },
    valueWithGrad: (x, g) => {
      grad(x, g);
      return f(x);
    },
    repair: (x) => snap(x, 0),
  };
}

const grid = (n: number) => Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);

describe('acquisition search', () => {
  it('finds the maximum of a smooth function over continuous, grid and categorical coordinates', () => {
    const dims: DimKind[] = [{ kind: 'continuous' }, { kind: 'continuous' }, { kind: 'discrete', choices: grid(40) }, { kind: 'categorical', choices: grid(3) }];
    const target = [0.3141, 0.8, grid(40)[29] as number, grid(3)[2] as number];
    // Concave in the continuous coordinates; the category adds a bonus only for the last value.
    const f = (x: Float64Array) => -(((x[0] as number) - 0.3141) ** 2) - 2 * ((x[1] as number) - 0.8) ** 2 - ((x[2] as number) - (target[2] as number)) ** 2 + (x[3] === target[3] ? 0.5 : 0);
    const grad = (x: Float64Array, g: Float64Array) => {
      g.fill(0);
      g[0] = -2 * ((x[0] as number) - 0.3141);
      g[1] = -4 * ((x[1] as number) - 0.8);
    };
    const problem = problemOf(dims, f, grad);
    const count = 64;
    const candidates = sobolCandidates(count, 4, new Rng(3));
    for (let r = 0; r < count; r++) problem.repair(candidates.subarray(r * 4, r * 4 + 4));
    const ranked = optimizeAcquisition(problem, { candidates, count, localSearches: 3, rng: new Rng(4) });
    const best = ranked[0]?.x as Float64Array;
    assert.ok(Math.abs((best[0] as number) - 0.3141) < 1e-3 && Math.abs((best[1] as number) - 0.8) < 1e-3, `${best}`);
    assert.equal(best[2], target[2]);
    assert.equal(best[3], target[3]);
    // The winner comes first (local optima, then the other candidates, each part best first), and
    // no point appears twice.
    assert.equal(ranked[0]?.value, Math.max(...ranked.map((p) => p.value)));
    assert.equal(new Set(ranked.map((p) => Array.from(p.x).join())).size, ranked.length);
  });

  it('tries at most MAX_CATEGORICAL_MOVES values of a large categorical per step', () => {
    const n = 300;
    const dims: DimKind[] = [{ kind: 'categorical', choices: grid(n) }];
    const batches: number[] = [];
    const problem = problemOf(dims, (x) => Math.sin(40 * (x[0] as number)), (_x, g) => g.fill(0), batches);
    const candidates = sobolCandidates(32, 1, new Rng(1));
    for (let r = 0; r < 32; r++) problem.repair(candidates.subarray(r, r + 1));
    optimizeAcquisition(problem, { candidates, count: 32, localSearches: 4, rng: new Rng(2) });
    assert.equal(batches[0], 32); // the screening
    assert.ok(batches.length > 1);
    for (const size of batches.slice(1)) assert.ok(size <= MAX_CATEGORICAL_MOVES, `a step scored ${size} moves`);
  });
});
