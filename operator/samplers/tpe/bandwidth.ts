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
 * Sigmas for the `mus` (internal scale) of a dimension bounded by [low, high], written to `out`;
 * `order` is `sortedOrder(mus)` when the caller has it already.
 * Ties are broken by position, the earlier observation counting as the lower one, so the result
 * does not depend on the sort algorithm.
 */
export function neighbourGapSigmas(
  mus: Float64Array,
  low: number,
  high: number,
  options: BandwidthOptions,
  out: Float64Array = new Float64Array(mus.length),
  order?: Int32Array,
): Float64Array {
  const n = mus.length;
  if (n === 0) return out;
  const range = high - low;
  if (options.magicClip && n > 64) return bucketSigmas(mus, low, high, range / Math.min(100, (options.clipCount ?? n) + 2), !options.endpoints, out);
  order ??= sortedOrder(mus);
  const minSigma = options.magicClip ? range / Math.min(100, (options.clipCount ?? n) + 2) : 1e-12;
  const trimEnds = !options.endpoints && n >= 2;
  let prev = low;
  let x = mus[order[0] as number] as number;
  for (let p = 0; p < n; p++) {
    const next = p === n - 1 ? high : (mus[order[p + 1] as number] as number);
    const left = x - prev;
    const right = next - x;
    let sigma = left > right ? left : right;
    if (trimEnds) {
      if (p === 0) sigma = right;
      else if (p === n - 1) sigma = left;
    }
    out[order[p] as number] = sigma < minSigma ? minSigma : sigma > range ? range : sigma;
    prev = x;
    x = next;
  }
  return out;
}

/**
 * The same sigmas without sorting, when the clip is on: cut [low, high] into cells no wider than
 * the clip floor. Two observations in one cell are closer than the floor, so only the lowest of
 * a cell can have a left gap above it (to the highest of the previous non-empty cell) and only
 * the highest a right gap; every other observation gets the floor. Ties go as in the sorted
 * rule: among equal lowest values the earliest observation, among equal highest the latest.
 */
function bucketSigmas(mus: Float64Array, low: number, high: number, minSigma: number, trimEnds: boolean, out: Float64Array): Float64Array {
  const n = mus.length;
  const range = high - low;
  const B = Math.max(1, Math.ceil(range / minSigma - 1e-9));
  const scale = B / range;
  const first = new Int32Array(B).fill(-1);
  const last = new Int32Array(B).fill(-1);
  for (let i = 0; i < n; i++) {
    const x = mus[i] as number;
    const b = Math.min(B - 1, Math.max(0, Math.floor((x - low) * scale)));
    const f = first[b] as number;
    if (f < 0 || x < (mus[f] as number)) first[b] = i;
    const l = last[b] as number;
    if (l < 0 || x >= (mus[l] as number)) last[b] = i;
  }
  out.fill(minSigma);
  const clip = (sigma: number) => (sigma < minSigma ? minSigma : sigma > range ? range : sigma);
  let prevHigh = low; // highest value of the previous non-empty cell
  let isFirst = true;
  for (let b = 0; b < B; b++) {
    const lo = first[b] as number;
    if (lo < 0) continue;
    const hi = last[b] as number;
    let next = b + 1;
    while (next < B && (first[next] as number) < 0) next++;
    const nextLow = next < B ? (mus[first[next] as number] as number) : high;
    const isLast = next >= B;
    const left = (mus[lo] as number) - prevHigh;
    const right = nextLow - (mus[hi] as number);
    if (lo === hi) {
      // Alone in its cell: both gaps are real. The outermost use their inner gap only.
      out[lo] = clip(trimEnds && n >= 2 && isFirst ? right : trimEnds && n >= 2 && isLast ? left : Math.max(left, right));
    } else {
      if (!(trimEnds && isFirst)) out[lo] = clip(left);
      if (!(trimEnds && isLast)) out[hi] = clip(right);
    }
    prevHigh = mus[hi] as number;
    isFirst = false;
    b = next - 1;
  }
  return out;
}

/**
 * Indices of `values` in increasing order, ties in index order.
 *
 * Up to 65,536 values, the index is written into the lowest mantissa bits of a copy of each
 * value (mirrored for negatives, whose bit order is reversed) and the copies are sorted by the
 * built-in numeric sort, the fastest sort JavaScript has; the indices are then read back out of
 * the bits. Values that differ only in those bits (relative 1e-11 or less) are ordered by index:
 * the gaps between them are far below any clip, so the bandwidths do not change. Larger inputs
 * use an exact quicksort on (value, index) pairs.
 */
export function sortedOrder(values: Float64Array): Int32Array {
  const n = values.length;
  if (n > 65536) return quicksortOrder(values);
  const bits = Math.max(1, Math.ceil(Math.log2(n)));
  const mask = (1 << bits) - 1;
  const keys = new Float64Array(n);
  const words = new Uint32Array(keys.buffer);
  for (let i = 0; i < n; i++) {
    keys[i] = (values[i] as number) + 0; // -0 → +0
    const w = 2 * i + LOW;
    const negative = (words[2 * i + 1 - LOW] as number) >>> 31 === 1;
    words[w] = ((((words[w] as number) >>> bits) << bits) | (negative ? mask - i : i)) >>> 0;
  }
  keys.sort();
  const order = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const negative = (words[2 * p + 1 - LOW] as number) >>> 31 === 1;
    const low = (words[2 * p + LOW] as number) & mask;
    order[p] = negative ? mask - low : low;
  }
  return order;
}

/** Which 32-bit half of a double holds the low mantissa bits on this machine. */
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** Exact (value, index) quicksort with insertion sort for short runs. */
function quicksortOrder(values: Float64Array): Int32Array {
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
