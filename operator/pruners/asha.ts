/**
 * Asynchronous successive halving (ASHA; Li et al., "A System for Massively Parallel
 * Hyperparameter Tuning", MLSys 2020), in its stop-or-continue form.
 *
 * Rung k sits at step `minResource * reductionFactor^(minEarlyStoppingRate + k)`. A trial's value
 * at a rung is its first report at or after the rung's step. When a trial reaches a rung, it
 * continues only if its value is among the best `floor(n / reductionFactor)` of the n values that
 * every trial (itself included; finished, pruned or running) has at that rung — and, while fewer
 * than `reductionFactor` trials have reached the rung, only if it is the best so far. Steps past
 * `maxResource` have no rung. Promotion is thus a pure function of the values at one rung.
 * The rule is Optuna 5.0's `SuccessiveHalvingPruner` with `bootstrap_count=0`: the same rungs, the
 * same competitors (every trial that reached the rung, its own value included), ties promoted.
 *
 * What it does not promise: a good configuration survives only if its curve already ranks well
 * at the first rung. Where curves cross later — a large learning rate that leads early and ends
 * worse — the first rung stops the configuration that would have ended best, and the sampler
 * then learns from the stopped trials that the slow region is bad. Put `minResource` past the
 * point where early ranks start to predict final ones, or use Hyperband, which hedges over that
 * point with brackets. docs/benchmarks.md (Pruners) measures both effects apart.
 */
import type { Goal, TrialRecord } from '../samplers/types.js';
import { CONTINUE, lastReport, type PruneContext, type PruneDecision, type Pruner } from './types.js';

export interface AshaOptions {
  /** Step of the first rung (default 1). */
  minResource?: number;
  /** Keep the best 1/reductionFactor at each rung (default 4, as Optuna). */
  reductionFactor?: number;
  /** Skips the first rungs: rung 0 is at `minResource * reductionFactor^rate` (default 0). */
  minEarlyStoppingRate?: number;
  /** Steps beyond this have no rung: a trial that reaches it completes (default: unlimited). */
  maxResource?: number;
}

export function rungStep(minResource: number, reductionFactor: number, rate: number, k: number): number {
  return minResource * reductionFactor ** (rate + k);
}

/** The trial's first report at or after `step`, as `[step, value]`. */
function reportAtOrAfter(trial: TrialRecord, step: number): readonly [number, number] | undefined {
  return trial.intermediate?.find(([s]) => s >= step);
}

/**
 * The promotion rule at one rung: does `value` rank among the best `floor(n / eta)` of
 * `competitors` (which include `value` itself)? With fewer than `eta` competitors, only the best
 * continues.
 */
export function promotable(value: number, competitors: readonly number[], eta: number, goal: Goal): boolean {
  const finite = competitors.filter((v) => !Number.isNaN(v));
  finite.sort((a, b) => (goal === 'minimize' ? a - b : b - a));
  const keep = Math.max(1, Math.floor(finite.length / eta));
  const cutoff = finite[keep - 1] as number;
  return goal === 'minimize' ? value <= cutoff : value >= cutoff;
}

/** ASHA's verdict for `trial` against `peers` (the trials it competes with, itself included). */
export function ashaDecide(trial: TrialRecord, peers: readonly TrialRecord[], options: Required<Omit<AshaOptions, 'maxResource'>> & AshaOptions, goal: Goal): PruneDecision {
  const report = lastReport(trial);
  if (report === undefined) return CONTINUE;
  const [step, value] = report;
  if (Number.isNaN(value)) return { prune: true, reason: `reported NaN at step ${step}` };
  const { minResource, reductionFactor: eta, minEarlyStoppingRate: rate } = options;
  // The rung this report crosses: the highest rung at or below `step` whose first report is this one.
  let k = -1;
  while (rungStep(minResource, eta, rate, k + 1) <= step) k++;
  if (k < 0) return CONTINUE;
  const rung = rungStep(minResource, eta, rate, k);
  if (options.maxResource !== undefined && rung >= options.maxResource) return CONTINUE;
  if (reportAtOrAfter(trial, rung)?.[0] !== step) return CONTINUE;
  const competitors = peers.flatMap((t) => {
    const r = t.index === trial.index ? report : reportAtOrAfter(t, rung);
    return r === undefined ? [] : [r[1]];
  });
  if (!peers.some((t) => t.index === trial.index)) competitors.push(value);
  return promotable(value, competitors, eta, goal)
    ? CONTINUE
    : { prune: true, reason: `not in the best 1/${eta} of ${competitors.length} trials at rung ${k} (step ${rung})` };
}

export function checkAshaOptions(o: AshaOptions): Required<Omit<AshaOptions, 'maxResource'>> & AshaOptions {
  const resolved = {
    minResource: o.minResource ?? 1,
    reductionFactor: o.reductionFactor ?? 4,
    minEarlyStoppingRate: o.minEarlyStoppingRate ?? 0,
    ...(o.maxResource === undefined ? {} : { maxResource: o.maxResource }),
  };
  if (!(resolved.minResource > 0)) throw new RangeError(`minResource must be positive, got ${resolved.minResource}`);
  if (!(resolved.reductionFactor >= 2)) throw new RangeError(`reductionFactor must be at least 2, got ${resolved.reductionFactor}`);
  if (!Number.isInteger(resolved.minEarlyStoppingRate) || resolved.minEarlyStoppingRate < 0) {
    throw new RangeError(`minEarlyStoppingRate must be a non-negative integer, got ${resolved.minEarlyStoppingRate}`);
  }
  if (resolved.maxResource !== undefined && !(resolved.maxResource > resolved.minResource)) {
    throw new RangeError(`maxResource must be larger than minResource, got ${resolved.maxResource}`);
  }
  return resolved;
}

export class AshaPruner implements Pruner {
  readonly name = 'asha';
  readonly options: ReturnType<typeof checkAshaOptions>;

  constructor(options: AshaOptions = {}) {
    this.options = checkAshaOptions(options);
  }

  decide(trial: TrialRecord, history: readonly TrialRecord[], ctx: PruneContext): PruneDecision {
    return ashaDecide(trial, history, this.options, ctx.goal);
  }
}
