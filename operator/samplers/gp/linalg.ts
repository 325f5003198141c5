/**
 * Dense linear algebra for the Gaussian process, on row-major `Float64Array`s (element (i, j) of an
 * n × n matrix at `i * n + j`): Cholesky factorisation with escalating jitter, triangular solves,
 * the inverse from a factor, and the extension of a factor by new rows (used to add pending
 * trials to a fitted model without refactorising).
 *
 * Loops are ordered so the innermost one walks contiguous memory (Cholesky–Banachiewicz rows,
 * the transposed solve done column by column), which is what makes plain JS fast enough for
 * n in the hundreds: a 300 × 300 factorisation is ~9 M multiply-adds.
 */

/**
 * Lower-triangular L with A = L Lᵀ, or undefined when A is not (numerically) positive definite.
 * Reads only the lower triangle of `a`; the upper triangle of the result is zero.
 */
export function cholesky(a: Float64Array, n: number, out?: Float64Array): Float64Array | undefined {
  const l = out ?? new Float64Array(n * n);
  if (out !== undefined) l.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j] as number;
      for (let k = 0; k < j; k++) s -= (l[ri + k] as number) * (l[rj + k] as number);
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / (l[rj + j] as number);
      }
    }
  }
  return l;
}

/**
 * Cholesky of A + jitter·I, trying jitter 0 and then growing multiples of the mean diagonal
 * until the factorisation succeeds. Kernel matrices with near-duplicate points are PSD only up to
 * rounding; a jitter far below the noise floor is the standard remedy. Returns the factor and the
 * jitter that was added (0 when none).
 */
export function choleskyWithJitter(a: Float64Array, n: number): { l: Float64Array; jitter: number } {
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += Math.abs(a[i * n + i] as number);
  meanDiag = n > 0 ? meanDiag / n : 1;
  let jitter = 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    const shifted = jitter === 0 ? a : addDiagonal(a, n, jitter);
    const l = cholesky(shifted, n);
    if (l !== undefined) return { l, jitter };
    jitter = jitter === 0 ? 1e-10 * (meanDiag || 1) : jitter * 10;
  }
  throw new Error(`matrix not positive definite even with jitter ${jitter}`);
}

function addDiagonal(a: Float64Array, n: number, x: number): Float64Array {
  const out = Float64Array.from(a);
  for (let i = 0; i < n; i++) out[i * n + i] = (out[i * n + i] as number) + x;
  return out;
}

/** Solves L x = b in place (forward substitution); `b` becomes x. */
export function solveLower(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[ri + k] as number) * (b[k] as number);
    b[i] = s / (l[ri + i] as number);
  }
  return b;
}

/** Solves Lᵀ x = b in place (back substitution, walking rows of L); `b` becomes x. */
export function solveLowerTransposed(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = (b[i] as number) / (l[ri + i] as number);
    b[i] = xi;
    for (let k = 0; k < i; k++) b[k] = (b[k] as number) - (l[ri + k] as number) * xi;
  }
  return b;
}

/** Solves (L Lᵀ) x = b in place. */
export function solveCholesky(l: Float64Array, n: number, b: Float64Array): Float64Array {
  return solveLowerTransposed(l, n, solveLower(l, n, b));
}

/**
 * A⁻¹ = L⁻ᵀ L⁻¹ for A = L Lᵀ, as a full symmetric matrix. `scratch` and `out` (n² each) may be
 * passed to avoid allocating in a loop.
 */
export function inverseFromCholesky(l: Float64Array, n: number, scratch?: Float64Array, out?: Float64Array): Float64Array {
  // M = L⁻¹ (lower triangular), row by row: row_i(M) = (e_i - Σ_{k<i} L[i][k] row_k(M)) / L[i][i].
  // Each update is an axpy over a contiguous row, which is what keeps this fast.
  const m = scratch ?? new Float64Array(n * n);
  if (scratch !== undefined) m.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k] as number;
      if (lik === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) m[ri + j] = (m[ri + j] as number) - lik * (m[rk + j] as number);
    }
    const inv = 1 / (l[ri + i] as number);
    for (let j = 0; j < i; j++) m[ri + j] = (m[ri + j] as number) * inv;
    m[ri + i] = inv;
  }
  // A⁻¹[i][j] = Σ_k M[k][i] M[k][j] over k ≥ max(i, j).
  const inv = out ?? new Float64Array(n * n);
  if (out !== undefined) inv.fill(0, 0, n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const mki = m[rk + i] as number;
      if (mki === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) inv[ri + j] = (inv[ri + j] as number) + mki * (m[rk + j] as number);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j] as number;
  return inv;
}

/**
 * The factor of [[A, Bᵀ], [B, C]] from the factor `l11` of A (n × n), B (p × n, row-major) and C
 * (p × p, lower triangle read): L21 = B L11⁻ᵀ and L22 = chol(C - L21 L21ᵀ). Costs O(p n² + p² n)
 * instead of O((n + p)³). Jitter is added to the Schur complement only if it needs it.
 */
export function extendCholesky(l11: Float64Array, n: number, b: Float64Array, c: Float64Array, p: number): Float64Array {
  const m = n + p;
  const l = new Float64Array(m * m);
  for (let i = 0; i < n; i++) l.set(l11.subarray(i * n, i * n + i + 1), i * m);
  const l21 = new Float64Array(p * n);
  for (let r = 0; r < p; r++) {
    const row = b.slice(r * n, r * n + n);
    solveLower(l11, n, row);
    l21.set(row, r * n);
    l.set(row, (n + r) * m);
  }
  const schur = new Float64Array(p * p);
  for (let r = 0; r < p; r++) {
    for (let s = 0; s <= r; s++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += (l21[r * n + k] as number) * (l21[s * n + k] as number);
      schur[r * p + s] = (c[r * p + s] as number) - dot;
    }
  }
  const { l: l22 } = choleskyWithJitter(schur, p);
  for (let r = 0; r < p; r++) for (let s = 0; s <= r; s++) l[(n + r) * m + n + s] = l22[r * p + s] as number;
  return l;
}
