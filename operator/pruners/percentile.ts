/**
 * Percentile pruning (and the median rule, which is the 50th percentile).
 *
 * At a report at step s, the trial is stopped when its best value so far is worse than the p-th
 * percentile (in the direction of the goal: for `minimize`, the value below which p% of the
 * others lie) of the values that *completed* trials reported at exactly step s. Steps that no
 * completed trial reported, the first `warmupSteps` steps, steps off the `intervalSteps` grid,
 * and studies with fewer than `startupTrials` completed trials never prune. NaN reports: a trial
 * whose latest value is NaN is pruned at once (it cannot recover a usable value); NaN values of
 * other trials are left out of the percentile.
 *
 * The same definition as Optuna's PercentilePruner/MedianPruner, written as one pure rule.
 */
import type { Goal, TrialRecord } from '../samplers/types.js';
import { CONTINUE, lastReport, type PruneContext, type PruneDecision, type Pruner, valueAt } from './types.js';

export interface PercentilePrunerOptions {
  /** Percentile in (0, 100) of the others' values to beat (default 25; the median pruner uses 50). */
  percentile?: number;
  /** Completed trials needed before anything is pruned (default 5). */
  startupTrials?: number;
  /** Steps a trial always runs before it can be pruned (default 0). */
  warmupSteps?: number;
  /** Only steps `warmupSteps + k * intervalSteps` are checked (default 1). */
  intervalSteps?: number;
  /** Completed trials that must have reported at the step for it to count (default 1). */
  minTrials?: number;
}

/** Linear-interpolation percentile of sorted values (numpy's default method). */
export function percentileOf(sorted: readonly number[], p: number): number {
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Best of a trial's reports up to and including `step`. */
function bestUpTo(trial: TrialRecord, step: number, goal: Goal): number {
  let best = Number.NaN;
  for (const [s, v] of trial.intermediate ?? []) {
    if (s > step || Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (goal === 'minimize' ? v < best : v > best)) best = v;
  }
  return best;
}

export class PercentilePruner implements Pruner {
  readonly name: string = 'percentile';
  readonly percentile: number;
  readonly startupTrials: number;
  readonly warmupSteps: number;
  readonly intervalSteps: number;
  readonly minTrials: number;

  constructor(options: PercentilePrunerOptions = {}) {
    this.percentile = options.percentile ?? 25;
    this.startupTrials = options.startupTrials ?? 5;
    this.warmupSteps = options.warmupSteps ?? 0;
    this.intervalSteps = options.intervalSteps ?? 1;
    this.minTrials = options.minTrials ?? 1;
    if (!(this.percentile > 0 && this.percentile < 100)) throw new RangeError(`percentile must be in (0, 100), got ${this.percentile}`);
    for (const [key, value, min] of [
      ['startupTrials', this.startupTrials, 0],
      ['warmupSteps', this.warmupSteps, 0],
      ['intervalSteps', this.intervalSteps, 1],
      ['minTrials', this.minTrials, 1],
    ] as const) {
      if (!Number.isInteger(value) || value < min) throw new RangeError(`${key} must be an integer >= ${min}, got ${value}`);
    }
  }

  decide(trial: TrialRecord, history: readonly TrialRecord[], ctx: PruneContext): PruneDecision {
    const report = lastReport(trial);
    if (report === undefined) return CONTINUE;
    const [step, latest] = report;
    if (Number.isNaN(latest)) return { prune: true, reason: `reported NaN at step ${step}` };
    if (step < this.warmupSteps || (step - this.warmupSteps) % this.intervalSteps !== 0) return CONTINUE;
    const completed = history.filter((t) => t.state === 'succeeded' && t.index !== trial.index);
    if (completed.length < this.startupTrials) return CONTINUE;
    const others = completed.map((t) => valueAt(t, step)).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    if (others.length < this.minTrials) return CONTINUE;
    others.sort((a, b) => a - b);
    // For maximisation the p-th best is the (100 - p)-th percentile from below.
    const p = ctx.goal === 'minimize' ? this.percentile : 100 - this.percentile;
    const threshold = percentileOf(others, p);
    const best = bestUpTo(trial, step, ctx.goal);
    const worse = ctx.goal === 'minimize' ? best > threshold : best < threshold;
    return worse
      ? { prune: true, reason: `best value ${best} at step ${step} is worse than the ${this.percentile}th percentile ${threshold} of ${others.length} completed trials` }
      : CONTINUE;
  }
}

/** The median rule: percentile pruning at 50. */
export class MedianPruner extends PercentilePruner {
  override readonly name = 'median';

  constructor(options: Omit<PercentilePrunerOptions, 'percentile'> = {}) {
    super({ ...options, percentile: 50 });
  }
}
