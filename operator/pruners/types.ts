/**
 * The pruner contract: early stopping of hopeless trials.
 *
 * The engine calls `decide` each time a running trial reports an intermediate value, with the
 * whole history (the trial itself included, with its latest report). A pruner keeps no state:
 * rungs, brackets and medians are all derived from the intermediate values in the history, so a
 * restarted operator reaches the same verdicts. The verdict is data; the runtime carries it out
 * (SIGTERM to the process, deletion of the Job) and the trial ends as `pruned` with the reason.
 */
import type { Goal, TrialRecord } from '../samplers/types.js';

export type PruneDecision = { readonly prune: false } | { readonly prune: true; readonly reason: string };

export interface PruneContext {
  readonly goal: Goal;
  /** The study's seed (Hyperband assigns brackets from it). */
  readonly seed: number;
}

export interface Pruner {
  /** Name as written in a study's `earlyStopping.name`. */
  readonly name: string;
  /** Whether `trial` (running, with its reports so far) should stop now. */
  decide(trial: TrialRecord, history: readonly TrialRecord[], ctx: PruneContext): PruneDecision;
}

export const CONTINUE: PruneDecision = { prune: false };

/** The value a trial reported at exactly `step`, if it did. */
export function valueAt(trial: TrialRecord, step: number): number | undefined {
  return trial.intermediate?.find(([s]) => s === step)?.[1];
}

/** The trial's latest report, if any. */
export function lastReport(trial: TrialRecord): readonly [number, number] | undefined {
  return trial.intermediate?.at(-1);
}

/** `a` is better than `b` in the direction of the goal; NaN is never better. */
export function isBetter(a: number, b: number, goal: Goal): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return goal === 'minimize' ? a < b : a > b;
}
