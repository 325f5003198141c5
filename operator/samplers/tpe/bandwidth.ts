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
  /** The n of the clip's range / min(100, n + 2); the number of observations when absent. */
  readonly clipCount?: number;
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
  const order = sortedOrder(mus);
  const range = high - low;
  const minSigma = options.magicClip ? range / Math.min(100, (options.clipCount ?? n) + 2) : 1e-12;
  const at = (p: number) => mus[order[p] as number] as number;
  for (let p = 0; p < n; p++) {
    const x = at(p);
    const left = x - (p === 0 ? low : at(p - 1));
    const right = (p === n - 1 ? high : at(p + 1)) - x;
    let sigma = Math.max(left, right);
    if (!options.endpoints && n >= 2) {
      if (p === 0) sigma = right;
      else if (p === n - 1) sigma = left;
    }
    out[order[p] as number] = Math.min(range, Math.max(minSigma, sigma));
  }
  return out;
}

/**
 * Indices of `values` in increasing order, ties in index order: a quicksort on (value, index)
 * pairs with insertion sort for short runs, on typed arrays throughout (the built-in sort needs
 * a comparator closure to carry indices, several times slower).
 */
export function sortedOrder(values: Float64Array): Int32Array {
  const n = values.length;
  const idx = new Int32Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) (idx[i] = i), (v[i] = values[i] as number);
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    let hi = stack.pop() as number;
    let lo = stack.pop() as number;
    while (hi - lo > 16) {
      // Median of three as the pivot, then Hoare partition around it.
      const mid = (lo + hi) >>> 1;
      if (less(v, idx, mid, lo)) swap(v, idx, mid, lo);
      if (less(v, idx, hi, lo)) swap(v, idx, hi, lo);
      if (less(v, idx, hi, mid)) swap(v, idx, hi, mid);
      const pv = v[mid] as number;
      const pi = idx[mid] as number;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while ((v[i] as number) < pv || ((v[i] as number) === pv && (idx[i] as number) < pi)) i++;
        while ((v[j] as number) > pv || ((v[j] as number) === pv && (idx[j] as number) > pi)) j--;
        if (i <= j) swap(v, idx, i++, j--);
      }
      // Set the smaller side aside, go on with the larger: the stack stays logarithmic.
      if (j - lo < hi - i) {
        stack.push(i, hi);
        hi = j;
      } else {
        stack.push(lo, j);
        lo = i;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      const x = v[i] as number;
      const xi = idx[i] as number;
      let j = i - 1;
      while (j >= lo && ((v[j] as number) > x || ((v[j] as number) === x && (idx[j] as number) > xi))) {
        v[j + 1] = v[j] as number;
        idx[j + 1] = idx[j] as number;
        j--;
      }
      v[j + 1] = x;
      idx[j + 1] = xi;
    }
  }
  return idx;
}

function less(v: Float64Array, idx: Int32Array, a: number, b: number): boolean {
  return (v[a] as number) < (v[b] as number) || ((v[a] as number) === (v[b] as number) && (idx[a] as number) < (idx[b] as number));
}

function swap(v: Float64Array, idx: Int32Array, a: number, b: number): void {
  const t = v[a] as number;
  v[a] = v[b] as number;
  v[b] = t;
  const ti = idx[a] as number;
  idx[a] = idx[b] as number;
  idx[b] = ti;
}
