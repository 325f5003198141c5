/**
 * Kernel widths of a one-dimensional Parzen estimator: the "neighbour gap" rule of Bergstra et
 * al. (2011) as Optuna 5.0 applies it to every numeric dimension, multivariate or not.
 *
 * Each observation's sigma is the larger of its gaps to the neighbouring observations, the domain
 * bounds standing in as neighbours at the ends. Without `endpoints`, the outermost observations
 * use their inner gap only, so a point near a bound is not widened by the empty space beyond it.
 * The "magic clip" then keeps every sigma within [range / min(100, n + 2), range]: with few
 * observations no kernel collapses onto a point; with many, kernels may be 1% of the range.
 */

export interface BandwidthOptions {
  /** Clip sigmas below at range / min(100, n + 2) (else at 1e-12). */
  readonly magicClip: boolean;
  /** Count the distance to the domain bounds for the outermost observations. */
  readonly endpoints: boolean;
}

/**
 * Sigmas for the `mus` (internal scale) of a dimension bounded by [low, high], written to `out`.
 * Ties are broken by position, the earlier observation counting as the lower one, so the result
 * does not depend on the sort algorithm.
 */
export function neighbourGapSigmas(
  mus: Float64Array,
  low: number,
  high: number,
  options: BandwidthOptions,
  out: Float64Array = new Float64Array(mus.length),
): Float64Array {
  const n = mus.length;
  if (n === 0) return out;
  const sorted = Float64Array.from(mus).sort();
  // Gap-based sigma at each sorted position.
  const atPos = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const left = (sorted[p] as number) - (p === 0 ? low : (sorted[p - 1] as number));
    const right = (p === n - 1 ? high : (sorted[p + 1] as number)) - (sorted[p] as number);
    atPos[p] = Math.max(left, right);
  }
  if (!options.endpoints && n >= 2) {
    atPos[0] = (sorted[1] as number) - (sorted[0] as number);
    atPos[n - 1] = (sorted[n - 1] as number) - (sorted[n - 2] as number);
  }
  const range = high - low;
  const minSigma = options.magicClip ? range / Math.min(100, n + 2) : 1e-12;
  // Back to observation order: the j-th observation (in order) with value v takes the j-th
  // position among v's ties, found from v's first position by binary search.
  const taken = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = mus[i] as number;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    const sigma = atPos[lo + (taken[lo] as number)++] as number;
    out[i] = Math.min(range, Math.max(minSigma, sigma));
  }
  return out;
}
