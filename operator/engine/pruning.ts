/**
 * Early stopping inside `decide`: the study's pruner (operator/pruners/, chosen by
 * `spec.earlyStopping.name`) is asked about every running trial, with the whole history in the
 * samplers' shape, and a "prune" becomes a `Pruned` stop order. Carrying it out (SIGTERM, deleting
 * a Job) is the bodies' business; the trial then ends as `pruned` (outcome.ts).
 *
 * Pruners keep no state and derive everything from intermediate values, so asking again with the
 * same history gives the same verdict: `decide` stays level-triggered.
 */
import type { ResolvedSpec } from '../api/types.js';
import { createPruner } from '../pruners/registry.js';
import type { Pruner } from '../pruners/types.js';
import type { TrialRecord } from '../samplers/types.js';

/** The pruner of a spec, or undefined for `none`. */
export function createStudyPruner(spec: ResolvedSpec): Pruner | undefined {
  if (spec.earlyStopping.name === 'none') return undefined;
  return createPruner(spec.earlyStopping.name, spec.earlyStopping.settings, '/spec/earlyStopping');
}

/** Indices of the running trials the pruner wants stopped, with its reason. */
export function trialsToPrune(pruner: Pruner, spec: ResolvedSpec, history: readonly TrialRecord[]): { index: number; why: string }[] {
  const out: { index: number; why: string }[] = [];
  for (const trial of history) {
    if (trial.state !== 'running' || (trial.intermediate?.length ?? 0) === 0) continue;
    const verdict = pruner.decide(trial, history, { goal: spec.objective.goal, seed: spec.algorithm.seed });
    if (verdict.prune) out.push({ index: trial.index, why: verdict.reason });
  }
  return out;
}
