/**
 * One-dimensional Parzen estimators on a finite grid: the density model behind PED-ANOVA
 * (`importance.ts`). A parameter's values are first turned into bin indices `0 … n-1` (see
 * `importance.ts`); these functions only see bin counts and return a probability per bin.
 *
 * Two kernels, as in the PED-ANOVA paper and Optuna's implementation of it:
 *  - ordered bins (numbers): a normal kernel on each occupied bin, truncated to the grid and
 *    integrated over each bin, with Scott's rule for the bandwidth. TPE's own bandwidth rule is
 *    tuned for sampling and smooths too much to tell "good" from "all" trials apart here.
 *  - unordered bins (categories): each observation puts weight 1 on its category, plus a
 *    `priorWeight / n` share on every category.
 * Both add a prior kernel (wide normal at the centre / uniform) with weight `priorWeight`, so a
 * handful of observations cannot produce a density of zero anywhere.
 *
 * Owns: the density per bin. Does not know about trials, objectives or parameter kinds.
 */

/** Normal CDF through erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: plenty for a report). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Probability of each bin `0 … n-1` under a normal(mu, sigma) truncated to `[-0.5, n-0.5]`. */
function discreteTruncNormal(n: number, mu: number, sigma: number): number[] {
  const lo = normalCdf((-0.5 - mu) / sigma);
  const hi = normalCdf((n - 0.5 - mu) / sigma);
  const mass = Math.max(hi - lo, 1e-300);
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    out.push((normalCdf((k + 0.5 - mu) / sigma) - normalCdf((k - 0.5 - mu) / sigma)) / mass);
  }
  return out;
}

/**
 * Scott's rule on binned data: `1.059 · min(IQR / 1.34, sd) · N^-1/5`, never narrower than a
 * kernel that keeps ~90% of its mass inside its own bin (0.5 / 1.64), so one observation still
 * spreads a little and identical observations do not make a spike of width zero.
 */
export function scottBandwidth(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const minSigma = 0.5 / 1.64;
  if (total === 0) return minSigma;
  let mean = 0;
  counts.forEach((c, k) => (mean += (c * k) / total));
  let ss = 0;
  counts.forEach((c, k) => (ss += c * (k - mean) ** 2));
  const sd = Math.sqrt(ss / Math.max(1, total - 1));
  const q25 = binQuantile(counts, total, Math.floor(total / 4), false);
  const q75 = binQuantile(counts, total, Math.floor((total * 3) / 4), true);
  const iqr = q75 - q25;
  const sigma = 1.059 * Math.min(iqr / 1.34, sd) * total ** -0.2;
  return Math.max(sigma, minSigma);
}

/** The bin holding the `rank`-th observation (1-based); `after` takes the first bin past it. */
function binQuantile(counts: readonly number[], total: number, rank: number, after: boolean): number {
  let cum = 0;
  let last = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k] as number;
    if (c === 0) continue;
    last = k;
    cum += c;
    if (after ? cum > rank : cum >= rank) return k;
  }
  return total > 0 ? last : 0;
}

/** Density per bin of ordered bins (numeric parameters) from the count per bin. */
export function orderedDensity(counts: readonly number[], priorWeight = 1): number[] {
  const n = counts.length;
  const sigma = scottBandwidth(counts);
  const pdf = new Array<number>(n).fill(0);
  let weightSum = 0;
  const add = (weight: number, kernel: number[]) => {
    weightSum += weight;
    kernel.forEach((p, k) => (pdf[k] = (pdf[k] as number) + weight * p));
  };
  counts.forEach((c, k) => {
    if (c > 0) add(c, discreteTruncNormal(n, k, sigma));
  });
  if (priorWeight > 0) add(priorWeight, discreteTruncNormal(n, (n - 1) / 2, n));
  return weightSum > 0 ? pdf.map((p) => p / weightSum) : pdf.map(() => 1 / n);
}

/** Density per bin of unordered bins (categorical parameters) from the count per bin. */
export function categoricalDensity(counts: readonly number[], priorWeight = 1): number[] {
  const n = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  // Each observation's kernel is (one-hot + prior/n) / (1 + prior); the prior kernel is uniform.
  // Summed with weights `count` and `priorWeight`, that is the expression below.
  const obsShare = priorWeight / n / (1 + priorWeight);
  const weightSum = total + priorWeight;
  if (weightSum === 0) return counts.map(() => 1 / n);
  return counts.map((c) => (c / (1 + priorWeight) + total * obsShare + priorWeight / n) / weightSum);
}
