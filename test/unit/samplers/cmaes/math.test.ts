/**
 * The numeric core of CMA-ES against oracles: the Jacobi eigen-decomposition against the
 * definition, the normal distribution against SciPy, and the update (`tell`) against the `cmaes`
 * Python package that Optuna's CmaEsSampler uses (fixtures/*.py say how the values were made).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import type { Coordinate } from '../../../../operator/samplers/cmaes/coordinates.js';
import { symmetricEigen } from '../../../../operator/samplers/cmaes/linalg.js';
import { applyMargin, defaultMargin } from '../../../../operator/samplers/cmaes/margin.js';
import { normalCdf, normalQuantile } from '../../../../operator/samplers/cmaes/normal.js';
import { cmaConstants, initialState, tell } from '../../../../operator/samplers/cmaes/strategy.js';
import { Rng } from '../../../../operator/samplers/rng.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;

function close(actual: number, expected: number, rel: number, what: string): void {
  const tol = rel * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('finds the eigenvalues of a matrix whose spectrum is known', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    close(values[0]!, 1, 1e-15, 'λ1');
    close(values[1]!, 3, 1e-15, 'λ2');
    // The eigenvector of 3 is (1, 1)/√2 up to sign.
    close(Math.abs(vectors[1]!), Math.SQRT1_2, 1e-15, 'v2');
    close(Math.abs(vectors[3]!), Math.SQRT1_2, 1e-15, 'v2');
  });

  it('decomposes random symmetric matrices into orthonormal vectors that rebuild them', () => {
    const rng = new Rng(11, 'jacobi');
    for (const n of [1, 3, 8, 20]) {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
      const { values, vectors: v } = symmetricEigen(a, n);
      for (let i = 1; i < n; i++) assert.ok(values[i]! >= values[i - 1]!, 'ascending');
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let vtv = 0;
          let rebuilt = 0;
          for (let l = 0; l < n; l++) {
            vtv += v[l * n + i]! * v[l * n + j]!;
            rebuilt += v[i * n + l]! * values[l]! * v[j * n + l]!;
          }
          close(vtv, i === j ? 1 : 0, 1e-12, `VᵀV[${i}][${j}]`);
          close(rebuilt, a[i * n + j]!, 1e-12, `VΛVᵀ[${i}][${j}]`);
        }
      }
    }
  });

  it('is deterministic to the bit and leaves its input alone', () => {
    const a = Float64Array.from([4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1]);
    const copy = Float64Array.from(a);
    assert.deepEqual(symmetricEigen(a, 3), symmetricEigen(a, 3));
    assert.deepEqual(a, copy);
  });
});

describe('normal distribution', () => {
  const oracle = fixture<{ cdf: [number, number][]; quantile: [number, number][] }>('normal.json');

  it('Φ matches SciPy, tails included', () => {
    for (const [x, p] of oracle.cdf) {
      if (p < 1e-300) assert.ok(normalCdf(x) < 1e-300, `Φ(${x})`);
      else assert.ok(Math.abs(normalCdf(x) - p) <= 1e-12 * p + 1e-16, `Φ(${x}) = ${normalCdf(x)}, SciPy ${p}`);
    }
  });

  it('Φ⁻¹ matches SciPy and inverts Φ', () => {
    for (const [p, x] of oracle.quantile) close(normalQuantile(p), x, 1e-9, `Φ⁻¹(${p})`);
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
  });
});

interface TellCase {
  dim: number;
  popsize: number;
  sigma0: number;
  mean0: number[];
  generations: { xs: number[][]; losses: number[]; mean: number[]; sigma: number; C: number[][]; pSigma: number[]; pc: number[] }[];
}

describe('tell (one CMA-ES update)', () => {
  const { cases } = fixture<{ cases: TellCase[] }>('cma-tell.json');

  for (const c of cases) {
    it(`reproduces the cmaes package over four generations (d = ${c.dim}, λ = ${c.popsize})`, () => {
      const k = cmaConstants(c.dim, c.popsize);
      let s = initialState(c.mean0, c.sigma0);
      c.generations.forEach((g, gi) => {
        s = tell(k, s, g.xs.map((x, i) => ({ x: Float64Array.from(x), loss: g.losses[i]! })));
        assert.equal(s.generation, gi + 1);
        g.mean.forEach((m, j) => close(s.mean[j]!, m, 1e-10, `gen ${gi} mean[${j}]`));
        close(s.sigma, g.sigma, 1e-10, `gen ${gi} sigma`);
        g.pSigma.forEach((p, j) => close(s.pSigma[j]!, p, 1e-10, `gen ${gi} pσ[${j}]`));
        g.pc.forEach((p, j) => close(s.pc[j]!, p, 1e-10, `gen ${gi} pc[${j}]`));
        g.C.forEach((row, i) => row.forEach((v, j) => close(s.C[i * c.dim + j]!, v, 1e-10, `gen ${gi} C[${i}][${j}]`)));
      });
    });
  }

  it('refuses a generation of the wrong size', () => {
    const k = cmaConstants(2, 6);
    assert.throws(() => tell(k, initialState([0.5, 0.5], 0.2), [{ x: new Float64Array(2), loss: 0 }]), RangeError);
  });
});

describe('applyMargin (CMA-ES with Margin)', () => {
  const oracle = fixture<{ popsize: number; sigma0: number; margin: number; generations: { xs: number[][]; losses: number[]; mean: number[]; sigma: number; A: number[] }[] }>('cmawm-tell.json');
  // The package's grid on [0, 1]: values k·step, thresholds halfway between them.
  const grid = (step: number, levels: number): Coordinate => ({
    kind: 'discrete',
    levels,
    threshold: (j) => (j + 0.5) * step,
    levelOf: (u) => Math.min(levels - 1, Math.max(0, Math.ceil(u / step - 0.5))),
  });
  const coords: Coordinate[] = [{ kind: 'continuous', levels: Infinity, threshold: () => Number.NaN, levelOf: () => 0 }, grid(0.25, 5), grid(1, 2)];

  it('uses the default margin of the paper, 1 / (d λ)', () => {
    assert.equal(defaultMargin(3, oracle.popsize), oracle.margin);
  });

  it('reproduces CMAwM over forty generations, edge and interior cells alike', () => {
    const k = cmaConstants(3, oracle.popsize);
    let s = initialState([0.5, 0.5, 0.5], oracle.sigma0);
    oracle.generations.forEach((g, gi) => {
      s = applyMargin(tell(k, s, g.xs.map((x, i) => ({ x: Float64Array.from(x), loss: g.losses[i]! }))), coords, oracle.margin);
      g.mean.forEach((m, j) => close(s.mean[j]!, m, 1e-8, `gen ${gi} mean[${j}]`));
      g.A.forEach((a, j) => close(s.A[j]!, a, 1e-8, `gen ${gi} A[${j}]`));
      close(s.sigma, g.sigma, 1e-8, `gen ${gi} sigma`);
    });
    // The fixture does reach the regime where the margin acts.
    assert.ok(oracle.generations.at(-1)!.A[1]! > 2);
  });

  it('leaves continuous coordinates and a zero margin alone', () => {
    const s = { ...initialState([0.5, 0.5, 0.5], 0.001), mean: Float64Array.from([0.9, 0.1, 0.9]) };
    assert.equal(applyMargin(s, coords, 0), s);
    const moved = applyMargin(s, coords, 0.05);
    assert.equal(moved.mean[0], 0.9);
    assert.notEqual(moved.mean[1], 0.1);
  });
});
