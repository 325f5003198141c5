/**
 * A Parzen estimator: a weighted mixture of product kernels over a box of numeric and categorical
 * dimensions, one kernel per observation plus one wide "prior" kernel. Pure math on typed arrays:
 * it sees observations and weights, never a trial (which trials count is `split.ts`'s business).
 *
 * Per dimension, kernel k is
 * - continuous: N(mu_k, sigma_k²) truncated to the dimension's bounds (internal scale, so log
 *   parameters get log-normal kernels);
 * - discrete (stepped, ints): the same normal's mass on the grid cell [v - step/2, v + step/2]
 *   around grid value v, renormalised by its mass on the padded bounds;
 * - categorical: observed category i gets 1 + w/(n+1) and every category w/(n+1), normalised
 *   (w the prior weight), which smooths towards uniform as Optuna 5.0 does.
 * The prior kernel is centred mid-range with sigma = range (uniform over categories) and weighs
 * `priorWeight` against each observation's weight.
 *
 * Coordinates: continuous dimensions on the internal scale, discrete ones as grid values (the
 * value itself), categorical ones as the category's index.
 */
import type { Rng } from '../rng.js';
import { type BandwidthOptions, neighbourGapSigmas, sortedOrder } from './bandwidth.js';
import {
  categoricalKernels,
  type DiscreteKernels,
  discreteKernels,
  LOG_NEGLIGIBLE,
  logSumExpAbove,
  type NumericKernels,
  numericKernels,
  toGrid,
  truncatedNormal,
} from './kernels.js';
import { LOG_SQRT_2PI, logGaussMass } from './truncnorm.js';

export type Dimension =
  /** Bounds on the internal scale (the log for log parameters). */
  | { readonly kind: 'continuous'; readonly low: number; readonly high: number }
  /**
   * Grid values min, min + step, …, max; `low`/`high` are the internal bounds padded by half a
   * cell (so every grid value owns an equal cell), `log` says the internal scale is the log.
   */
  | {
      readonly kind: 'discrete';
      readonly low: number;
      readonly high: number;
      readonly min: number;
      readonly max: number;
      readonly step: number;
      readonly log: boolean;
    }
  | { readonly kind: 'categorical'; readonly choices: number };

export interface ParzenOptions extends BandwidthOptions {
  /** Weight of the prior kernel relative to one observation of weight 1. */
  readonly priorWeight: number;
}


export class ParzenEstimator {
  /** Number of kernels (observations + prior). */
  readonly size: number;
  /** Normalised mixture weights and their logs. */
  readonly weights: Float64Array;
  private readonly numeric: (NumericKernels | undefined)[];
  /** Row-major kernel × category probabilities, and their logs, per categorical dimension. */
  private readonly probs: (Float64Array | undefined)[];
  private readonly logProbs: (Float64Array | undefined)[];
  /** log weight minus the normalisers of every continuous dimension, per kernel. */
  private readonly base: Float64Array;
  /** The continuous dimensions, and their kernels' mus and 1/sigmas packed dimension-major. */
  private readonly contDims: Int32Array;
  private readonly contMu: Float64Array;
  private readonly contInv: Float64Array;
  /**
   * Observation kernels sorted by their mu in the first continuous dimension (see `logPdf`),
   * the sorted mus, and the largest of their sigmas there.
   */
  private sweepOrder: Int32Array | undefined;
  private sweepMu: Float64Array | undefined;
  private sweepSigmaMax = 0;
  /** Largest `base` term, an upper bound on any kernel's log term. */
  private baseMax = -Infinity;
  /** Per discrete dimension: its kernels with duplicates merged (see `DiscreteKernels`). */
  private readonly discrete: (DiscreteKernels | undefined)[];

  /**
   * @param observations column-major, dimension d of observation i at `d * n + i`
   * @param weights one per observation (all 1 when omitted); the prior's is `priorWeight`
   */
  constructor(
    readonly dims: readonly Dimension[],
    observations: Float64Array,
    readonly n: number,
    weights: Float64Array | undefined,
    options: ParzenOptions,
  ) {
    if (!(options.priorWeight >= 0)) throw new RangeError(`priorWeight must be >= 0, got ${options.priorWeight}`);
    const K = n + 1;
    this.size = K;
    const w = new Float64Array(K);
    if (n === 0) {
      w[0] = 1;
    } else {
      for (let i = 0; i < n; i++) w[i] = weights === undefined ? 1 : (weights[i] as number);
      w[n] = options.priorWeight;
    }
    let total = 0;
    for (let k = 0; k < K; k++) total += w[k] as number;
    for (let k = 0; k < K; k++) w[k] = (w[k] as number) / total;
    this.weights = w;

    const base = new Float64Array(K);
    for (let k = 0; k < K; k++) base[k] = Math.log(w[k] as number);
    this.numeric = [];
    this.probs = [];
    this.logProbs = [];
    this.discrete = [];
    dims.forEach((dim, d) => {
      const column = observations.subarray(d * n, (d + 1) * n);
      if (dim.kind === 'categorical') {
        this.numeric.push(undefined);
        this.discrete.push(undefined);
        const p = categoricalKernels(column, dim.choices, options.priorWeight);
        this.probs.push(p);
        this.logProbs.push(p.map(Math.log));
        return;
      }
      this.probs.push(undefined);
      this.logProbs.push(undefined);
      const mus = new Float64Array(K);
      for (let i = 0; i < n; i++) mus[i] = dim.kind === 'discrete' && dim.log ? Math.log(column[i] as number) : (column[i] as number);
      const sigma = new Float64Array(K);
      // The first continuous dimension's order also serves `sweep`; other dimensions sort only
      // if their bandwidths need it.
      const order = dim.kind === 'continuous' && this.sweepOrder === undefined && n > 64 ? sortedOrder(mus.subarray(0, n)) : undefined;
      neighbourGapSigmas(mus.subarray(0, n), dim.low, dim.high, options, sigma.subarray(0, n), order);
      if (order !== undefined) this.sweepOrder = order;
      mus[n] = 0.5 * (dim.low + dim.high);
      sigma[n] = dim.high - dim.low;
      const kernels = numericKernels(mus, sigma, dim.low, dim.high);
      this.numeric.push(kernels);
      if (dim.kind === 'continuous') {
        // Most sigmas sit at the clip, so their log is computed once.
        let lastSigma = Number.NaN;
        let lastLog = 0;
        for (let k = 0; k < K; k++) {
          const s = sigma[k] as number;
          if (s !== lastSigma) (lastSigma = s), (lastLog = Math.log(s) + LOG_SQRT_2PI);
          base[k] = (base[k] as number) - lastLog - logGaussMass(kernels.a[k] as number, kernels.b[k] as number);
        }
        this.discrete.push(undefined);
      } else {
        this.discrete.push(discreteKernels(mus, sigma, dim.low, dim.high));
      }
    });
    this.base = base;
    for (let k = 0; k < K; k++) if ((base[k] as number) > this.baseMax) this.baseMax = base[k] as number;
    const cont: number[] = [];
    dims.forEach((dim, d) => dim.kind === 'continuous' && cont.push(d));
    this.contDims = Int32Array.from(cont);
    this.contMu = new Float64Array(cont.length * K);
    this.contInv = new Float64Array(cont.length * K);
    cont.forEach((d, j) => {
      const kern = this.numeric[d] as NumericKernels;
      this.contMu.set(kern.mu, j * K);
      this.contInv.set(kern.invSigma, j * K);
    });
    if (this.sweepOrder !== undefined && cont.length > 0) {
      const kern = this.numeric[cont[0] as number] as NumericKernels;
      const order = this.sweepOrder;
      this.sweepMu = new Float64Array(n);
      for (let p = 0; p < n; p++) this.sweepMu[p] = kern.mu[order[p] as number] as number;
      for (let i = 0; i < n; i++) this.sweepSigmaMax = Math.max(this.sweepSigmaMax, kern.sigma[i] as number);
    }
  }

  /** `count` points drawn from the mixture, row-major (`count × dims.length`). */
  sample(rng: Rng, count: number): Float64Array {
    const D = this.dims.length;
    const out = new Float64Array(count * D);
    for (let c = 0; c < count; c++) {
      const k = rng.choice(this.weights);
      for (let d = 0; d < D; d++) {
        const dim = this.dims[d] as Dimension;
        let x: number;
        if (dim.kind === 'categorical') {
          x = rng.choice((this.probs[d] as Float64Array).subarray(k * dim.choices, (k + 1) * dim.choices));
        } else {
          const kern = this.numeric[d] as NumericKernels;
          const mu = kern.mu[k] as number;
          const sigma = kern.sigma[k] as number;
          const z = truncatedNormal(rng, kern.a[k] as number, kern.b[k] as number);
          x = Math.min(dim.high, Math.max(dim.low, mu + sigma * z));
          if (dim.kind === 'discrete') x = toGrid(dim, dim.log ? Math.exp(x) : x);
        }
        out[c * D + d] = x;
      }
    }
    return out;
  }

  /**
   * Log density (log mass for discrete dimensions) of each of `count` row-major points.
   *
   * Every dimension only lowers a kernel's log term (densities are normalised, masses are at
   * most 1), so the continuous dimensions go last, fused, and a kernel is dropped as soon as its
   * partial term falls LOG_NEGLIGIBLE below the best complete term seen: it could only have
   * contributed under e^-60 of the sum. Far kernels then cost one or two multiplications, which
   * is what keeps a suggestion with thousands of bad trials fast.
   */
  logPdf(points: Float64Array, count: number): Float64Array {
    const D = this.dims.length;
    const K = this.size;
    const out = new Float64Array(count);
    const acc = new Float64Array(K);
    const { contDims, contMu, contInv } = this;
    const J = contDims.length;
    const x = new Float64Array(J);
    for (let c = 0; c < count; c++) {
      acc.set(this.base);
      for (let d = 0; d < D; d++) {
        const dim = this.dims[d] as Dimension;
        const v = points[c * D + d] as number;
        if (dim.kind === 'discrete') {
          this.addCellMass(d, dim, v, acc);
        } else if (dim.kind === 'categorical') {
          const logP = this.logProbs[d] as Float64Array;
          const j = v | 0;
          for (let k = 0; k < K; k++) acc[k] = (acc[k] as number) + (logP[k * dim.choices + j] as number);
        }
      }
      for (let j = 0; j < J; j++) x[j] = points[c * D + (contDims[j] as number)] as number;
      out[c] = this.sweepMu !== undefined ? this.sweep(x, acc) : this.scan(x, acc);
    }
    return out;
  }

  /** Adds the continuous dimensions' terms of point `x` to every kernel's `acc`; the log-sum. */
  private scan(x: Float64Array, acc: Float64Array): number {
    const { contMu, contInv } = this;
    const J = x.length;
    const K = acc.length;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const s = this.kernelTerm(x, acc[k] as number, k, max - LOG_NEGLIGIBLE, contMu, contInv, J, K);
      acc[k] = s;
      if (s > max) max = s;
    }
    return logSumExpAbove(acc, max);
  }

  /**
   * As `scan`, visiting only the kernels that can matter: outwards from `x` in the order of the
   * first continuous dimension, each way stopping once even the best possible kernel that far
   * out (log term at most `baseMax`, sigma at most `sweepSigmaMax`) would fall LOG_NEGLIGIBLE
   * below the best term found. The prior kernel, as wide as the range, is always visited.
   */
  private sweep(x: Float64Array, acc: Float64Array): number {
    const { contMu, contInv, baseMax, sweepSigmaMax } = this;
    const order = this.sweepOrder as Int32Array;
    const mus = this.sweepMu as Float64Array;
    const J = x.length;
    const K = acc.length;
    const n = K - 1;
    const x0 = x[0] as number;
    const seen = this.seen.length >= K ? this.seen : (this.seen = new Float64Array(K));
    let m = 0;
    let max = this.kernelTerm(x, acc[n] as number, n, -Infinity, contMu, contInv, J, K);
    seen[m++] = max;
    // First mu at or above x0.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((mus[mid] as number) < x0) lo = mid + 1;
      else hi = mid;
    }
    let up = lo;
    let down = lo - 1;
    const reach = (mu: number) => {
      const z = (mu - x0) / sweepSigmaMax;
      return baseMax - 0.5 * z * z >= max - LOG_NEGLIGIBLE;
    };
    let goUp = up < n && reach(mus[up] as number);
    let goDown = down >= 0 && reach(mus[down] as number);
    while (goUp || goDown) {
      if (goUp) {
        const k = order[up] as number;
        const s = this.kernelTerm(x, acc[k] as number, k, max - LOG_NEGLIGIBLE, contMu, contInv, J, K);
        seen[m++] = s;
        if (s > max) max = s;
        up++;
        goUp = up < n && reach(mus[up] as number);
      }
      if (goDown) {
        const k = order[down] as number;
        const s = this.kernelTerm(x, acc[k] as number, k, max - LOG_NEGLIGIBLE, contMu, contInv, J, K);
        seen[m++] = s;
        if (s > max) max = s;
        down--;
        goDown = down >= 0 && reach(mus[down] as number);
      }
    }
    return logSumExpAbove(seen.subarray(0, m), max);
  }

  /** Scratch for `sweep`. */
  private seen = new Float64Array(0);

  /**
   * Kernel k's log term: `start` (its weight, normalisers and non-continuous terms) minus the
   * Gaussian exponents of the continuous dimensions, abandoned below `floor` (as -Infinity is
   * not needed: any value under the floor is dropped by the log-sum).
   */
  private kernelTerm(x: Float64Array, start: number, k: number, floor: number, contMu: Float64Array, contInv: Float64Array, J: number, K: number): number {
    let s = start;
    for (let j = 0, at = k; j < J && s >= floor; j++, at += K) {
      const z = ((x[j] as number) - (contMu[at] as number)) * (contInv[at] as number);
      s -= 0.5 * z * z;
    }
    return s;
  }

  /** Adds each kernel's log mass of the grid cell around value `v`, renormalised. */
  private addCellMass(d: number, dim: Dimension & { kind: 'discrete' }, v: number, acc: Float64Array): void {
    const kern = this.discrete[d] as DiscreteKernels;
    let cell = kern.cache.get(v);
    if (cell === undefined) {
      const lo = dim.log ? Math.log(v - dim.step / 2) : v - dim.step / 2;
      const hi = dim.log ? Math.log(v + dim.step / 2) : v + dim.step / 2;
      const U = kern.mu.length;
      cell = new Float64Array(U);
      for (let u = 0; u < U; u++) {
        const m = kern.mu[u] as number;
        const s = kern.invSigma[u] as number;
        cell[u] = logGaussMass((lo - m) * s, (hi - m) * s) - (kern.logNorm[u] as number);
      }
      kern.cache.set(v, cell);
    }
    const of = kern.of;
    for (let k = 0; k < acc.length; k++) acc[k] = (acc[k] as number) + (cell[of[k] as number] as number);
  }
}

export { logSumExp, toGrid } from './kernels.js';
