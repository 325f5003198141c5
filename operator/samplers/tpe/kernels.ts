/**
 * The kernels of a Parzen estimator, one dimension at a time, as typed arrays: numeric ones
 * (mus, sigmas and their standardised truncation bounds), discrete ones with duplicates merged,
 * categorical probability tables; plus the draws and log-sums the estimator needs.
 */
import type { Rng } from '../rng.js';
import { logGaussMass, ppf } from './truncnorm.js';

/** Contributions more than this far below the largest (in log) are under 1e-26 of the sum. */
export const LOG_NEGLIGIBLE = 60;

export interface NumericKernels {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly invSigma: Float64Array;
  /** Standardised truncation bounds (low - mu) / sigma and (high - mu) / sigma. */
  readonly a: Float64Array;
  readonly b: Float64Array;
}

/**
 * Kernels of a discrete dimension with equal (mu, sigma) merged. Observations of a stepped
 * parameter repeat grid values, and repeated values mostly share the clipped sigma, so a few
 * distinct kernels stand for hundreds; each cell mass is computed once per distinct kernel and,
 * through `cache`, once per distinct candidate value.
 */
export interface DiscreteKernels {
  readonly mu: Float64Array;
  readonly invSigma: Float64Array;
  /** Log mass of each distinct kernel on the padded bounds. */
  readonly logNorm: Float64Array;
  /** Distinct kernel of each kernel. */
  readonly of: Int32Array;
  readonly cache: Map<number, Float64Array>;
}

export function discreteKernels(mu: Float64Array, sigma: Float64Array, low: number, high: number): DiscreteKernels {
  const ids = new Map<number, Map<number, number>>();
  const of = new Int32Array(mu.length);
  const uMu: number[] = [];
  const uSigma: number[] = [];
  for (let k = 0; k < mu.length; k++) {
    const m = mu[k] as number;
    const s = sigma[k] as number;
    let bySigma = ids.get(m);
    if (bySigma === undefined) ids.set(m, (bySigma = new Map()));
    let id = bySigma.get(s);
    if (id === undefined) {
      id = uMu.length;
      bySigma.set(s, id);
      uMu.push(m);
      uSigma.push(s);
    }
    of[k] = id;
  }
  const invSigma = Float64Array.from(uSigma, (s) => 1 / s);
  const logNorm = Float64Array.from(uMu, (m, u) => logGaussMass((low - m) * (invSigma[u] as number), (high - m) * (invSigma[u] as number)));
  return { mu: Float64Array.from(uMu), invSigma, logNorm, of, cache: new Map() };
}

/**
 * A draw of the standard normal truncated to [a, b]. Plain normal draws are tried first and
 * kept when they land inside (exact: a normal conditioned on [a, b] is the truncated normal);
 * after four misses the inverse CDF takes over, so narrow or far-off intervals cost no more.
 */
export function truncatedNormal(rng: Rng, a: number, b: number): number {
  for (let tries = 0; tries < 4; tries++) {
    const z = rng.normal();
    if (z >= a && z <= b) return z;
  }
  return ppf(rng.next(), a, b);
}

/** Nearest grid value of a discrete dimension. */
export function toGrid(dim: { min: number; max: number; step: number }, value: number): number {
  const k = Math.round((value - dim.min) / dim.step);
  return Math.min(dim.max, Math.max(dim.min, dim.min + k * dim.step));
}

export function numericKernels(mu: Float64Array, sigma: Float64Array, low: number, high: number): NumericKernels {
  const K = mu.length;
  const invSigma = new Float64Array(K);
  const a = new Float64Array(K);
  const b = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    invSigma[k] = 1 / (sigma[k] as number);
    a[k] = (low - (mu[k] as number)) * (invSigma[k] as number);
    b[k] = (high - (mu[k] as number)) * (invSigma[k] as number);
  }
  return { mu, sigma, invSigma, a, b };
}

/** Kernel × category probabilities; the last row is the (uniform) prior. */
export function categoricalKernels(observed: Float64Array, choices: number, priorWeight: number): Float64Array {
  const n = observed.length;
  const K = n + 1;
  const p = new Float64Array(K * choices);
  if (n === 0) return p.fill(1 / choices);
  const smooth = priorWeight / K;
  for (let i = 0; i < n; i++) {
    const row = p.subarray(i * choices, (i + 1) * choices);
    row.fill(smooth);
    row[observed[i] as number] = smooth + 1;
    const total = smooth * choices + 1;
    for (let j = 0; j < choices; j++) row[j] = (row[j] as number) / total;
  }
  p.subarray(n * choices).fill(1 / choices);
  return p;
}

/** log Σ exp(v_k), skipping terms too small to change the sum. */
export function logSumExp(v: Float64Array): number {
  let max = -Infinity;
  for (let k = 0; k < v.length; k++) if ((v[k] as number) > max) max = v[k] as number;
  return logSumExpAbove(v, max);
}

/** log Σ exp(v_k) given max = max_k v_k. */
export function logSumExpAbove(v: Float64Array, max: number): number {
  if (max === -Infinity) return -Infinity;
  const cutoff = max - LOG_NEGLIGIBLE;
  let sum = 0;
  for (let k = 0; k < v.length; k++) {
    const x = v[k] as number;
    if (x > cutoff) sum += Math.exp(x - max);
  }
  return max + Math.log(sum);
}
