/**
 * Which value of a trial counts, and which trial is best — one definition for the engine, the
 * status summary, the CLI and reports.
 *
 * `valueFrom: last` — the objective metric of the final result document; when the trial wrote
 * none, its last reported value. `valueFrom: best` — the best value at any step, the final
 * metric included (a model checkpointed at its best epoch). NaN values reported along the way
 * are skipped by `best`; what remains decides.
 */
import type { MetricReport } from '../api/trial-contract.js';
import type { ResolvedSpec } from '../api/types.js';
import { type Goal, lossOf } from '../samplers/types.js';
import type { EngineTrial } from './types.js';

export type ObjectiveSpec = ResolvedSpec['objective'];

/** The objective's reported values as `[step, value]`, in step order (a repeated step: last wins). */
export function objectiveSeries(reports: readonly MetricReport[], metric: string): [number, number][] {
  const byStep = new Map<number, number>();
  for (const r of reports) {
    const v = r.values[metric];
    if (v !== undefined) byStep.set(r.step, v);
  }
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]);
}

/** True when `a` is strictly better than `b` for `goal`. */
export function isBetter(a: number, b: number, goal: Goal): boolean {
  return lossOf(a, goal) < lossOf(b, goal);
}

/** The value that counts for a trial with these reports and final metrics; undefined if none. */
export function countedValue(objective: ObjectiveSpec, reports: readonly MetricReport[], metrics: Readonly<Record<string, number>> | undefined): number | undefined {
  const final = metrics?.[objective.metric];
  const series = objectiveSeries(reports, objective.metric).map(([, v]) => v);
  if (objective.valueFrom === 'last') return final ?? series.at(-1);
  const candidates = [...series, ...(final === undefined ? [] : [final])];
  if (candidates.length === 0) return undefined;
  const usable = candidates.filter((v) => !Number.isNaN(v));
  if (usable.length === 0) return Number.NaN;
  return usable.reduce((best, v) => (isBetter(v, best, objective.goal) ? v : best));
}

/** True when `value` meets the study's target. */
export function reachesTarget(objective: ObjectiveSpec, value: number): boolean {
  const target = objective.targetValue;
  if (target === undefined || !Number.isFinite(value)) return false;
  return objective.goal === 'maximize' ? value >= target : value <= target;
}

/** Succeeded trials with a finite value, best first (ties: lower index first). */
export function rankTrials(trials: readonly EngineTrial[], goal: Goal): (EngineTrial & { value: number })[] {
  return trials
    .filter((t): t is EngineTrial & { value: number } => t.state === 'succeeded' && typeof t.value === 'number' && Number.isFinite(t.value))
    .sort((a, b) => lossOf(a.value, goal) - lossOf(b.value, goal) || a.index - b.index);
}

export function bestTrial(trials: readonly EngineTrial[], goal: Goal): (EngineTrial & { value: number }) | undefined {
  return rankTrials(trials, goal)[0];
}
