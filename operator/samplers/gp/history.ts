/**
 * Which trials the GP learns from, and in what form — the bookkeeping half of the sampler:
 *
 * - training points: succeeded trials with a non-NaN value (failed and pruned trials carry no
 *   final value of the objective; Optuna's GPSampler ignores them too) whose modelled parameters
 *   are all present;
 * - caps: past `maxTrials`, the best ⌈cap/2⌉ by loss and the most recent of the others (see
 *   `selectTrials`); the hyperparameter fit takes the same rule again with `maxFitTrials`;
 * - targets: the kept trials' losses, ±Infinity clipped to the finite extremes as Optuna does,
 *   then warped (warp.ts: long tails shrunk, order kept), then y = -(w - mean)/std (the GP
 *   maximises), so one diverged run cannot flatten the model;
 * - pending points: running and pending trials, the most recent `maxPendingTrials`.
 */
import { isComplete, isPending, lossOf, type Goal, type TrialRecord } from '../types.js';
import type { GpEncoding } from './encode.js';
import { type OutputWarp, warpLosses } from './warp.js';

export interface TrainingSet {
  /** `n` rows of `d` GP coordinates. */
  readonly x: Float64Array;
  /** Standardised targets to maximise. */
  readonly y: Float64Array;
  readonly n: number;
  /** Every usable finished trial's loss (±Infinity clipped), in creation order, before the cap. */
  readonly losses: Float64Array;
  /** The coordinates of those trials, row i for `losses[i]` (the trust region's restarts look past the cap). */
  readonly coords: Float64Array;
  /** For each of the `n` training rows, the index into `losses` of its trial. */
  readonly rows: readonly number[];
  /** Pending trials' coordinates, `p` rows. */
  readonly pending: Float64Array;
  readonly p: number;
}

/**
 * Indices (into `losses`, whose order is the order of creation) of at most `cap` trials: the best
 * ⌈cap/2⌉ by loss, then the most recent of the rest. Deterministic: ties go to the earlier trial.
 * Returned in creation order.
 */
export function selectTrials(losses: ArrayLike<number>, cap: number): number[] {
  const n = losses.length;
  if (n <= cap) return Array.from({ length: n }, (_, i) => i);
  const byLoss = Array.from({ length: n }, (_, i) => i).sort((a, b) => (losses[a] as number) - (losses[b] as number) || a - b);
  const keep = new Set(byLoss.slice(0, Math.ceil(cap / 2)));
  for (let i = n - 1; i >= 0 && keep.size < cap; i--) keep.add(i);
  return [...keep].sort((a, b) => a - b);
}

/** Finite losses: ±Infinity clipped to the finite min/max (0 if none is finite). */
export function clipInfinite(losses: Float64Array): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of losses) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi) lo = hi = 0;
  return losses.map((v) => (Number.isFinite(v) ? v : v > 0 ? hi : lo));
}

/** y = -(loss - mean)/std; a constant set of losses gives all zeros. */
export function standardize(losses: Float64Array): Float64Array {
  const n = losses.length;
  let mean = 0;
  for (const v of losses) mean += v;
  mean /= Math.max(1, n);
  let variance = 0;
  for (const v of losses) variance += (v - mean) * (v - mean);
  const std = Math.sqrt(variance / Math.max(1, n));
  return losses.map((v) => -(v - mean) / Math.max(std, 1e-10));
}

/** Rows of `rows` picked by `indices`, packed. */
export function pickRows(rows: readonly Float64Array[], indices: readonly number[], d: number): Float64Array {
  const out = new Float64Array(indices.length * d);
  indices.forEach((i, r) => out.set(rows[i] as Float64Array, r * d));
  return out;
}

/** The training set and pending points for one suggestion. */
export function buildTrainingSet(history: readonly TrialRecord[], encoding: GpEncoding, goal: Goal, maxTrials: number, maxPending: number, warp: OutputWarp = 'yeo-johnson'): TrainingSet {
  const d = encoding.d;
  const rows: Float64Array[] = [];
  const rawLosses: number[] = [];
  const pendingRows: Float64Array[] = [];
  const ordered = [...history].sort((a, b) => a.index - b.index);
  for (const t of ordered) {
    if (isComplete(t)) {
      const x = encoding.encode(t.params);
      if (x === undefined) continue;
      rows.push(x);
      rawLosses.push(lossOf(t.value, goal));
    } else if (isPending(t)) {
      const x = encoding.encode(t.params);
      if (x !== undefined) pendingRows.push(x);
    }
  }
  const losses = clipInfinite(Float64Array.from(rawLosses));
  const kept = selectTrials(losses, maxTrials);
  const pendingKept = pendingRows.slice(Math.max(0, pendingRows.length - maxPending));
  return {
    x: pickRows(rows, kept, d),
    y: standardize(warpLosses(Float64Array.from(kept, (i) => losses[i] as number), warp)),
    n: kept.length,
    losses,
    coords: pickRows(rows, rows.map((_, i) => i), d),
    rows: kept,
    pending: pickRows(pendingKept, pendingKept.map((_, i) => i), d),
    p: pendingKept.length,
  };
}
