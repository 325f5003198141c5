/**
 * A Gaussian-process posterior with fixed kernel hyperparameters (fitting them is `fit.ts`):
 *
 *   C = K(X, X) + noise·I = L Lᵀ,   α = C⁻¹ y,
 *   mean(x) = k(x)ᵀ α,              var(x) = scale - k(x)ᵀ C⁻¹ k(x)   (latent f, no noise),
 *
 * with k(x) = k(x, X). The variance is computed as scale - |L⁻¹ k|² and clamped at 0 against
 * rounding. Gradients with respect to the numeric coordinates of x are exact (used by the local
 * search of the acquisition); categorical coordinates get no gradient (they move by exhaustive
 * search instead).
 *
 * Pending trials enter by the *kriging believer* (Ginsbourger et al. 2010, "Kriging is
 * well-suited to parallelize optimization"): `withBelieved(Xp)` returns the posterior of the same
 * hyperparameters conditioned also on y(Xp) := mean(Xp). The mean surface does not change, but
 * the variance collapses around each pending point, so expected improvement there drops to almost
 * nothing and the next suggestion goes elsewhere. The factor is extended, not recomputed.
 *
 * Pure arrays in, numbers out: this module never sees a trial or a search space.
 */
import { crossKernel, kernelMatrix, type KernelParams } from './kernel.js';
import { choleskyWithJitter, extendCholesky, solveCholesky, solveLower, solveLowerTransposed } from './linalg.js';

export class GpPosterior {
  /** Training inputs, `n` rows of `d` coordinates. */
  readonly x: Float64Array;
  /** Training targets (standardised). */
  readonly y: Float64Array;
  /** Lower Cholesky factor of K + noise·I. */
  readonly l: Float64Array;
  /** C⁻¹ y. */
  readonly alpha: Float64Array;
  private readonly kBuf: Float64Array;
  private readonly vBuf: Float64Array;
  private readonly dBuf: Float64Array;

  private constructor(
    x: Float64Array,
    y: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly categorical: Uint8Array,
    readonly params: KernelParams,
    l: Float64Array,
  ) {
    this.x = x;
    this.y = y;
    this.l = l;
    this.alpha = solveCholesky(l, n, Float64Array.from(y));
    this.kBuf = new Float64Array(n);
    this.vBuf = new Float64Array(n);
    this.dBuf = new Float64Array(n);
  }

  /** Conditions the prior with hyperparameters `params` on `n` observations (x rows, y). */
  static condition(x: Float64Array, y: Float64Array, n: number, d: number, categorical: Uint8Array, params: KernelParams): GpPosterior {
    const c = kernelMatrix(x, n, d, categorical, params);
    for (let i = 0; i < n; i++) c[i * n + i] = (c[i * n + i] as number) + params.noise;
    return new GpPosterior(x, y, n, d, categorical, params, choleskyWithJitter(c, n).l);
  }

  /**
   * Kriging believer: the posterior that has also "observed" its own mean at the `p` rows of
   * `pending`. Returns `this` when there are none.
   */
  withBelieved(pending: Float64Array, p: number): GpPosterior {
    if (p === 0) return this;
    const { n, d, categorical, params } = this;
    const believed = new Float64Array(p);
    const cross = new Float64Array(p * n);
    const k = new Float64Array(n);
    for (let r = 0; r < p; r++) {
      crossKernel(pending, r, this.x, n, d, categorical, params, k);
      cross.set(k, r * n);
      let mean = 0;
      for (let i = 0; i < n; i++) mean += (k[i] as number) * (this.alpha[i] as number);
      believed[r] = mean;
    }
    const cpp = kernelMatrix(pending, p, d, categorical, params);
    for (let r = 0; r < p; r++) cpp[r * p + r] = (cpp[r * p + r] as number) + params.noise;
    const l = extendCholesky(this.l, n, cross, cpp, p);
    const x = new Float64Array((n + p) * d);
    x.set(this.x.subarray(0, n * d));
    x.set(pending.subarray(0, p * d), n * d);
    const y = new Float64Array(n + p);
    y.set(this.y.subarray(0, n));
    y.set(believed, n);
    return new GpPosterior(x, y, n + p, d, categorical, params, l);
  }

  /** Posterior mean and variance of f at row `row` of `xs`. */
  predict(xs: Float64Array, row: number): { mean: number; variance: number } {
    const { n, kBuf: k } = this;
    crossKernel(xs, row, this.x, n, this.d, this.categorical, this.params, k);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += (k[i] as number) * (this.alpha[i] as number);
    solveLower(this.l, n, k);
    let q = 0;
    for (let i = 0; i < n; i++) q += (k[i] as number) * (k[i] as number);
    return { mean, variance: Math.max(0, this.params.scale - q) };
  }

  /**
   * Means and variances at the first `count` rows of `xs`, into `means` and `variances`. Same
   * numbers as `predict`, several times faster: eight points share each pass over L in the
   * triangular solve, so every element of L is loaded once per eight points and the eight
   * independent sums keep the CPU's pipelines full.
   */
  predictBatch(xs: Float64Array, count: number, means: Float64Array, variances: Float64Array): void {
    const { n, d, categorical, params, l, alpha } = this;
    const B = 8;
    const block = new Float64Array(B * n);
    const k = this.kBuf;
    const invDiag = this.invDiag();
    const scale = params.scale;
    let r = 0;
    for (; r + B <= count; r += B) {
      for (let c = 0; c < B; c++) {
        crossKernel(xs, r + c, this.x, n, d, categorical, params, k);
        let mean = 0;
        for (let i = 0; i < n; i++) {
          mean += (k[i] as number) * (alpha[i] as number);
          block[B * i + c] = k[i] as number;
        }
        means[r + c] = mean;
      }
      let q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0;
      for (let i = 0; i < n; i++) {
        const ri = i * n;
        const b = B * i;
        let s0 = block[b] as number, s1 = block[b + 1] as number, s2 = block[b + 2] as number, s3 = block[b + 3] as number;
        let s4 = block[b + 4] as number, s5 = block[b + 5] as number, s6 = block[b + 6] as number, s7 = block[b + 7] as number;
        for (let j = 0; j < i; j++) {
          const lij = l[ri + j] as number;
          const bj = B * j;
          s0 -= lij * (block[bj] as number);
          s1 -= lij * (block[bj + 1] as number);
          s2 -= lij * (block[bj + 2] as number);
          s3 -= lij * (block[bj + 3] as number);
          s4 -= lij * (block[bj + 4] as number);
          s5 -= lij * (block[bj + 5] as number);
          s6 -= lij * (block[bj + 6] as number);
          s7 -= lij * (block[bj + 7] as number);
        }
        const inv = invDiag[i] as number;
        s0 *= inv; s1 *= inv; s2 *= inv; s3 *= inv; s4 *= inv; s5 *= inv; s6 *= inv; s7 *= inv;
        block[b] = s0; block[b + 1] = s1; block[b + 2] = s2; block[b + 3] = s3;
        block[b + 4] = s4; block[b + 5] = s5; block[b + 6] = s6; block[b + 7] = s7;
        q0 += s0 * s0; q1 += s1 * s1; q2 += s2 * s2; q3 += s3 * s3;
        q4 += s4 * s4; q5 += s5 * s5; q6 += s6 * s6; q7 += s7 * s7;
      }
      variances[r] = Math.max(0, scale - q0);
      variances[r + 1] = Math.max(0, scale - q1);
      variances[r + 2] = Math.max(0, scale - q2);
      variances[r + 3] = Math.max(0, scale - q3);
      variances[r + 4] = Math.max(0, scale - q4);
      variances[r + 5] = Math.max(0, scale - q5);
      variances[r + 6] = Math.max(0, scale - q6);
      variances[r + 7] = Math.max(0, scale - q7);
    }
    for (; r < count; r++) {
      const { mean, variance } = this.predict(xs, r);
      means[r] = mean;
      variances[r] = variance;
    }
  }

  private invDiagCache: Float64Array | undefined;
  private invDiag(): Float64Array {
    if (this.invDiagCache === undefined) {
      const out = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) out[i] = 1 / (this.l[i * this.n + i] as number);
      this.invDiagCache = out;
    }
    return this.invDiagCache;
  }

  /**
   * Mean and variance at `x` (one point) plus their gradients with respect to each coordinate,
   * written into `gradMean` and `gradVar` (zero for categorical coordinates).
   */
  predictWithGrad(x: Float64Array, gradMean: Float64Array, gradVar: Float64Array): { mean: number; variance: number } {
    const { n, d, kBuf: k, vBuf: v, dBuf: deriv, categorical } = this;
    const isl = this.params.invSqLengthscales;
    crossKernel(x, 0, this.x, n, d, categorical, this.params, k, deriv);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += (k[i] as number) * (this.alpha[i] as number);
    v.set(k);
    solveLower(this.l, n, v);
    let q = 0;
    for (let i = 0; i < n; i++) q += (v[i] as number) * (v[i] as number);
    solveLowerTransposed(this.l, n, v); // v = C⁻¹ k
    gradMean.fill(0);
    gradVar.fill(0);
    // dk_i/dx_j = scale·m'(r²_i) · 2 (x_j - X_ij) / ℓ_j²; `deriv` already holds scale·m'(r²_i).
    for (let i = 0; i < n; i++) {
      const gi = 2 * (deriv[i] as number);
      const cm = gi * (this.alpha[i] as number);
      const cv = -2 * gi * (v[i] as number);
      const ti = i * d;
      for (let j = 0; j < d; j++) {
        if (categorical[j] === 1) continue;
        const diff = (x[j] as number) - (this.x[ti + j] as number);
        gradMean[j] = (gradMean[j] as number) + cm * diff;
        gradVar[j] = (gradVar[j] as number) + cv * diff;
      }
    }
    for (let j = 0; j < d; j++) {
      gradMean[j] = (gradMean[j] as number) * (isl[j] as number);
      gradVar[j] = (gradVar[j] as number) * (isl[j] as number);
    }
    const variance = this.params.scale - q;
    if (variance <= 0) gradVar.fill(0);
    return { mean, variance: Math.max(0, variance) };
  }
}
