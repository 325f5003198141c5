/**
 * The Matérn-5/2 kernel with automatic relevance determination (one lengthscale per input
 * dimension), on points of the unit cube stored as rows of a row-major `Float64Array`:
 *
 *   k(x, x') = scale · m(r²),   r² = Σ_j sqd_j(x, x') / ℓ_j²,
 *   m(r²)    = (1 + √5 r + 5/3 r²) · exp(-√5 r),
 *
 * where sqd_j is (x_j - x'_j)² for a numeric dimension and the Hamming indicator [x_j ≠ x'_j] for
 * a categorical one (an unordered choice has no "nearer" value; Optuna does the same). Matérn-5/2
 * sample paths are twice differentiable — smooth enough for hyperparameter landscapes, rough
 * enough not to overfit like the squared exponential (Snoek et al. 2012).
 *
 * Hyperparameters are stored as inverse squared lengthscales `1/ℓ_j²` (what the fit optimises,
 * in log space), a kernel scale (the prior variance of f) and the observation noise variance.
 */

export interface KernelParams {
  /** 1/ℓ_j² per dimension. */
  readonly invSqLengthscales: Float64Array;
  /** Prior variance of the latent function, k(x, x). */
  readonly scale: number;
  /** Observation noise variance added on the diagonal of the training covariance. */
  readonly noise: number;
}

const SQRT5 = Math.sqrt(5);

/** m(r²) of the Matérn-5/2 kernel (unit scale), as a function of the squared scaled distance. */
export function matern52(r2: number): number {
  const r5 = Math.sqrt(5 * r2);
  return (1 + r5 + (5 / 3) * r2) * Math.exp(-r5);
}

/**
 * dm/d(r²) = -5/6 · (1 + √5 r) · exp(-√5 r). Taken with respect to r², not r, so it is finite at
 * r = 0 (where automatic differentiation of the r form divides by zero).
 */
export function matern52Deriv(r2: number): number {
  const r5 = Math.sqrt(5 * r2);
  return (-5 / 6) * (1 + r5) * Math.exp(-r5);
}

/** Per-dimension distance contribution: squared difference, or Hamming for categorical dims. */
export function dimSqDist(a: number, b: number, categorical: boolean): number {
  if (categorical) return a === b ? 0 : 1;
  const diff = a - b;
  return diff * diff;
}

/** r² between row `i` of `a` and row `j` of `b` (both with `d` columns). */
export function scaledSqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number, categorical: Uint8Array, isl: Float64Array): number {
  const ai = i * d;
  const bj = j * d;
  let r2 = 0;
  for (let k = 0; k < d; k++) r2 += dimSqDist(a[ai + k] as number, b[bj + k] as number, categorical[k] === 1) * (isl[k] as number);
  return r2;
}

/** K(X, X) for `n` rows of `x` (no noise), full symmetric n × n. */
export function kernelMatrix(x: Float64Array, n: number, d: number, categorical: Uint8Array, params: KernelParams): Float64Array {
  const k = new Float64Array(n * n);
  const s = params.scale;
  for (let i = 0; i < n; i++) {
    k[i * n + i] = s;
    for (let j = 0; j < i; j++) {
      const v = s * matern52(scaledSqDist(x, i, x, j, d, categorical, params.invSqLengthscales));
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
  return k;
}

/**
 * k(x, X_i) for one point `x` (row `row` of `xs`) against the `n` rows of `train`, into `out`.
 * When `deriv` is given it receives scale · dm/d(r²) per training point, for gradients.
 */
export function crossKernel(
  xs: Float64Array,
  row: number,
  train: Float64Array,
  n: number,
  d: number,
  categorical: Uint8Array,
  params: KernelParams,
  out: Float64Array,
  deriv?: Float64Array,
): void {
  const s = params.scale;
  const isl = params.invSqLengthscales;
  const base = row * d;
  let anyCategorical = false;
  for (let k = 0; k < d; k++) if (categorical[k] === 1) anyCategorical = true;
  for (let i = 0; i < n; i++) {
    const ti = i * d;
    let r2 = 0;
    if (anyCategorical) {
      for (let k = 0; k < d; k++) r2 += dimSqDist(xs[base + k] as number, train[ti + k] as number, categorical[k] === 1) * (isl[k] as number);
    } else {
      // The common all-numeric case, without the per-coordinate branch (the hottest loop of a suggestion).
      for (let k = 0; k < d; k++) {
        const diff = (xs[base + k] as number) - (train[ti + k] as number);
        r2 += diff * diff * (isl[k] as number);
      }
    }
    const r5 = Math.sqrt(5 * r2);
    const e = Math.exp(-r5);
    out[i] = s * (1 + r5 + (5 / 3) * r2) * e;
    if (deriv !== undefined) deriv[i] = s * (-5 / 6) * (1 + r5) * e;
  }
}
