/**
 * Facts the report derives from its input: counts by state, the ranking of trials, the best-so-far
 * curve, groups of repeated configurations with their spread, and the importance observations.
 * Everything here is pure and deterministic; the charts, tables and exports only lay these out.
 */
import type { TrialState } from '../samplers/types.js';
import { lossOf } from '../samplers/types.js';
import { paramsKey } from '../space/space.js';
import type { Params } from '../space/types.js';
import type { ImportanceObservation } from './importance.js';
import type { ReportInput, ReportTrial } from './model.js';

/** Every state, in the order the report lists them. */
export const TRIAL_STATES: readonly TrialState[] = ['succeeded', 'pruned', 'failed', 'running', 'pending'];

export type ScoredTrial = ReportTrial & { value: number };

/** A trial counts towards the ranking when it succeeded with a finite objective value. */
export function isScored(t: ReportTrial): t is ScoredTrial {
  return t.state === 'succeeded' && typeof t.value === 'number' && Number.isFinite(t.value);
}

export function countByState(trials: readonly ReportTrial[]): Record<TrialState, number> {
  const counts: Record<TrialState, number> = { succeeded: 0, pruned: 0, failed: 0, running: 0, pending: 0 };
  for (const t of trials) counts[t.state] += 1;
  return counts;
}

/** Scored trials, best first; equal values keep trial order so the ranking is deterministic. */
export function rankTrials(input: ReportInput): ScoredTrial[] {
  const goal = input.objective.goal;
  return input.trials
    .filter(isScored)
    .sort((a, b) => lossOf(a.value, goal) - lossOf(b.value, goal) || a.index - b.index);
}

export function bestTrial(input: ReportInput): ScoredTrial | undefined {
  return rankTrials(input)[0];
}

/** `[trial index, best value so far]` after each scored trial, in trial order. */
export function bestSoFar(input: ReportInput): [number, number][] {
  const goal = input.objective.goal;
  const out: [number, number][] = [];
  let best: number | undefined;
  for (const t of [...input.trials].sort((a, b) => a.index - b.index)) {
    if (!isScored(t)) continue;
    if (best === undefined || lossOf(t.value, goal) < lossOf(best, goal)) best = t.value;
    out.push([t.index, best]);
  }
  return out;
}

/** `[min, Q1, median, Q3, max]`, quantiles by linear interpolation (numpy's default). */
export type BoxStats = [number, number, number, number, number];

export function boxStats(values: readonly number[]): BoxStats {
  if (values.length === 0) throw new RangeError('boxStats needs at least one value');
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => {
    const pos = p * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
  };
  return [s[0] as number, q(0.25), q(0.5), q(0.75), s[s.length - 1] as number];
}

/** Trials that ran the same parameters: one configuration retrained several times. */
export interface RepeatGroup {
  /** 1-based label number, in order of the group's median (best first). */
  rank: number;
  params: Params;
  /** Every trial of the configuration, in trial order (not only the scored ones). */
  trials: ReportTrial[];
  /** Objective values of the scored trials. */
  values: number[];
  stats: BoxStats;
}

/**
 * Configurations run at least `minSize` times with a value, best median first. Trials are grouped
 * by identical parameters rather than by `repeat`, so a sampler proposing the same point twice
 * shows up too, and a loader that does not fill `repeat` still gets its spread.
 */
export function repeatGroups(input: ReportInput, minSize = 2): RepeatGroup[] {
  const byKey = new Map<string, ReportTrial[]>();
  for (const t of [...input.trials].sort((a, b) => a.index - b.index)) {
    const key = paramsKey(t.params);
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  }
  const goal = input.objective.goal;
  const groups: Omit<RepeatGroup, 'rank'>[] = [];
  for (const trials of byKey.values()) {
    const values = trials.filter(isScored).map((t) => t.value);
    if (values.length < minSize) continue;
    groups.push({ params: (trials[0] as ReportTrial).params, trials, values, stats: boxStats(values) });
  }
  groups.sort((a, b) => lossOf(a.stats[2], goal) - lossOf(b.stats[2], goal) || (a.trials[0] as ReportTrial).index - (b.trials[0] as ReportTrial).index);
  return groups.map((g, i) => ({ rank: i + 1, ...g }));
}

/** Scored trials as importance observations, the loss oriented by the goal. */
export function importanceObservations(input: ReportInput): ImportanceObservation[] {
  return input.trials.filter(isScored).map((t) => ({ params: t.params, loss: lossOf(t.value, input.objective.goal) }));
}

/** Metric names across all trials, the objective first, the rest sorted. */
export function metricNames(input: ReportInput): string[] {
  const names = new Set<string>();
  for (const t of input.trials) for (const m of Object.keys(t.metrics)) names.add(m);
  names.delete(input.objective.metric);
  const rest = [...names].sort();
  return input.trials.some((t) => input.objective.metric in t.metrics) ? [input.objective.metric, ...rest] : rest;
}
