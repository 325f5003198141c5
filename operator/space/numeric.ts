/**
 * The numeric view of float and int parameters, in one place (as Optuna's `_transform.py` is):
 * the internal scale samplers work on (the logarithm for log parameters), the grid of stepped
 * parameters, and the padded bounds that give every grid point an equal share of the unit
 * interval.
 *
 * Stepped values are `min + k * step`; when `max - min` is not a multiple of `step`, the last
 * value is the largest grid point not above `max` (as Optuna does, silently here and documented).
 */
import type { FloatParam, IntParam } from './types.js';

export type NumericParam = FloatParam | IntParam;

/** Everything a sampler needs to know about a numeric parameter, precomputed. */
export interface NumericDomain {
  /** Internal scale is the natural logarithm of the value. */
  readonly log: boolean;
  /** Distance between neighbouring values (1 for ints without a step), or undefined if continuous. */
  readonly step: number | undefined;
  /** Smallest and largest value a trial can receive. */
  readonly min: number;
  readonly max: number;
  /** Number of distinct values (Infinity when continuous). */
  readonly count: number;
  /** Internal bounds of the values themselves. */
  readonly low: number;
  readonly high: number;
  /**
   * Internal bounds widened by half a step (half a unit for log ints) on each side, so that
   * rounding a uniform draw gives every grid point the same probability.
   */
  readonly paddedLow: number;
  readonly paddedHigh: number;
}

/** Decimal digits of `step`, so 0.1-steps give 0.3 rather than 0.30000000000000004. */
function decimals(x: number): number {
  const text = String(x);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

function roundTo(x: number, digits: number): number {
  return digits > 15 ? x : Number(x.toFixed(Math.min(digits, 15)));
}

export function numericDomain(p: NumericParam): NumericDomain {
  const log = p.log === true;
  const step = p.step ?? (p.type === 'int' ? 1 : undefined);
  if (step === undefined) {
    const low = log ? Math.log(p.min) : p.min;
    const high = log ? Math.log(p.max) : p.max;
    return { log, step, min: p.min, max: p.max, count: Infinity, low, high, paddedLow: low, paddedHigh: high };
  }
  const count = Math.floor((p.max - p.min) / step + 1e-9) + 1;
  const max = roundTo(p.min + (count - 1) * step, Math.max(decimals(step), decimals(p.min)));
  if (log) {
    // Only ints may be log-stepped (step 1): pad by half a unit in value space, then take logs.
    return {
      log, step, min: p.min, max, count,
      low: Math.log(p.min), high: Math.log(max),
      paddedLow: Math.log(p.min - 0.5), paddedHigh: Math.log(max + 0.5),
    };
  }
  return { log, step, min: p.min, max, count, low: p.min, high: max, paddedLow: p.min - step / 2, paddedHigh: max + step / 2 };
}

/** Value → internal scale. */
export function toInternal(d: NumericDomain, value: number): number {
  return d.log ? Math.log(value) : value;
}

/** Internal scale → the nearest legal value (on the grid, inside the bounds). */
export function fromInternal(d: NumericDomain, x: number): number {
  const value = d.log ? Math.exp(x) : x;
  return snap(d, value);
}

/** The legal value nearest to `value`. */
export function snap(d: NumericDomain, value: number): number {
  const clipped = Math.min(d.max, Math.max(d.min, value));
  if (d.step === undefined) return clipped;
  const k = Math.round((clipped - d.min) / d.step);
  const digits = Math.max(decimals(d.step), decimals(d.min));
  return Math.min(d.max, roundTo(d.min + k * d.step, digits));
}

/** Value → [0, 1]; stepped values land in the middle of their equal-width cell. */
export function numericToUnit(d: NumericDomain, value: number): number {
  const u = (toInternal(d, value) - d.paddedLow) / (d.paddedHigh - d.paddedLow);
  return Math.min(1, Math.max(0, u));
}

/** [0, 1] → legal value. */
export function numericFromUnit(d: NumericDomain, u: number): number {
  const clamped = Math.min(1, Math.max(0, u));
  return fromInternal(d, d.paddedLow + clamped * (d.paddedHigh - d.paddedLow));
}

/** Every value of a stepped parameter, in increasing order. */
export function numericGrid(d: NumericDomain): number[] {
  if (d.step === undefined) throw new RangeError('a continuous parameter has no grid');
  const digits = Math.max(decimals(d.step), decimals(d.min));
  return Array.from({ length: d.count }, (_, k) => roundTo(d.min + k * d.step!, digits));
}
