/** Cholesky, triangular solves, inverse and factor extension on known matrices. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  cholesky,
  choleskyWithJitter,
  extendCholesky,
  inverseFromCholesky,
  solveCholesky,
  solveLower,
  solveLowerTransposed,
} from '../../../../operator/samplers/gp/linalg.js';
import { Rng } from '../../../../operator/samplers/rng.js';

// The textbook example: A = L Lᵀ with integer L.
const A = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
const L = Float64Array.of(2, 0, 0, 6, 1, 0, -8, 5, 3);

const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-10) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs((a[i] as number) - (b[i] as number)) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

/** A random SPD matrix B Bᵀ + n·I. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let k = 0; k < n; k++) s += (b[i * n + k] as number) * (b[j * n + k] as number);
    a[i * n + j] = s;
  }
  return a;
}

describe('linalg', () => {
  it('factors a known SPD matrix exactly', () => {
    near(cholesky(A, 3) as Float64Array, L, 1e-12);
  });

  it('solves L x = b, Lᵀ x = b and A x = b', () => {
    // A x = b with x = (1, -2, 3): b = A x.
    const x = Float64Array.of(1, -2, 3);
    const b = Float64Array.of(4 - 24 - 48, 12 - 74 - 129, -16 + 86 + 294);
    near(solveCholesky(L, 3, Float64Array.from(b)), x);
    // Triangular solves, checked by multiplying back.
    const y = solveLower(L, 3, Float64Array.of(2, 7, -3));
    near(Float64Array.of(2 * (y[0] as number), 6 * (y[0] as number) + (y[1] as number), -8 * (y[0] as number) + 5 * (y[1] as number) + 3 * (y[2] as number)), [2, 7, -3]);
    const z = solveLowerTransposed(L, 3, Float64Array.of(2, 1, 3));
    const [z0, z1, z2] = z as unknown as [number, number, number];
    near([2 * z0 + 6 * z1 - 8 * z2, z1 + 5 * z2, 3 * z2], [2, 1, 3]);
  });

  it('inverts through the factor: A · A⁻¹ = I', () => {
    const n = 7;
    const a = randomSpd(n, 1);
    const inv = inverseFromCholesky(cholesky(a, n) as Float64Array, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (inv[k * n + j] as number);
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-10, `(${i},${j}) = ${s}`);
    }
  });

  it('rejects an indefinite matrix, and factors a singular PSD one with a little jitter', () => {
    assert.equal(cholesky(Float64Array.of(1, 2, 2, 1), 2), undefined);
    const singular = Float64Array.of(1, 1, 1, 1); // rank one
    const { l, jitter } = choleskyWithJitter(singular, 2);
    assert.ok(jitter > 0 && jitter < 1e-6);
    assert.ok(Number.isFinite(l[3] as number) && (l[3] as number) > 0);
  });

  it('extends a factor by new rows to the factor of the bordered matrix', () => {
    const m = 8;
    const n = 5;
    const p = m - n;
    const a = randomSpd(m, 2);
    const full = cholesky(a, m) as Float64Array;
    const a11 = new Float64Array(n * n);
    const b = new Float64Array(p * n);
    const c = new Float64Array(p * p);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      const v = a[i * m + j] as number;
      if (i < n && j < n) a11[i * n + j] = v;
      else if (i >= n && j < n) b[(i - n) * n + j] = v;
      else if (i >= n && j >= n) c[(i - n) * p + (j - n)] = v;
    }
    near(extendCholesky(cholesky(a11, n) as Float64Array, n, b, c, p), full, 1e-10);
  });
});
