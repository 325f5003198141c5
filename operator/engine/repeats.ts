/**
 * Repeats (`algorithm.repeats: k`): each configuration is trained k times, each time with its own
 * seed, and scored by the mean, so the best configuration is a stable one and not a lucky seed.
 *
 * Every repeat is an ordinary trial — its own index, Job or process, `KUBETUNE_SEED`, reports and
 * result — so the bodies (operator, local runtime) and the pruners need nothing new, and
 * `maxTrials` and `parallelism` count repeats. Trial `i` is repeat `i mod k` of configuration
 * `⌊i / k⌋`; repeat 0 takes its parameters from the sampler, the others copy repeat 0's. Trial
 * seeds come from the trial index (decide.ts), so they differ between repeats.
 *
 * Samplers see one record per configuration (`groupForSampler`): index = configuration index,
 * pending while any repeat is active or yet to be launched, succeeded with the mean of its
 * succeeded repeats once all k have ended (failed or pruned repeats do not count towards the mean;
 * with none succeeded the configuration counts as failed, or pruned if any repeat was pruned).
 * So every sampler works unchanged, and with k = 1 the view is the trials themselves.
 */
import { lossOf, type Goal, type TrialRecord } from '../samplers/types.js';
import type { Params } from '../space/types.js';
import type { EngineTrial } from './types.js';

export function configurationOf(index: number, repeats: number): { configuration: number; repeat: number } {
  return { configuration: Math.floor(index / repeats), repeat: index % repeats };
}

/** One record per configuration, as the sampler sees it; the records themselves when k = 1. */
export function groupForSampler(records: readonly TrialRecord[], repeats: number): TrialRecord[] {
  if (repeats <= 1) return [...records];
  const groups = new Map<number, TrialRecord[]>();
  for (const r of records) {
    const c = configurationOf(r.index, repeats).configuration;
    const g = groups.get(c);
    if (g === undefined) groups.set(c, [r]);
    else g.push(r);
  }
  const out: TrialRecord[] = [];
  for (const [configuration, members] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    const first = members.reduce((a, b) => (a.index <= b.index ? a : b));
    const base = { index: configuration, params: first.params };
    if (members.length < repeats || members.some((m) => m.state === 'pending' || m.state === 'running')) {
      out.push({ ...base, state: members.some((m) => m.state === 'running') ? 'running' : 'pending' });
      continue;
    }
    const values = members.filter((m) => m.state === 'succeeded' && typeof m.value === 'number' && !Number.isNaN(m.value)).map((m) => m.value as number);
    if (values.length > 0) {
      out.push({ ...base, state: 'succeeded', value: values.reduce((s, v) => s + v, 0) / values.length });
    } else {
      const pruned = members.find((m) => m.state === 'pruned');
      out.push(pruned === undefined ? { ...base, state: 'failed' } : { ...base, state: 'pruned', ...(pruned.intermediate ? { intermediate: pruned.intermediate } : {}) });
    }
  }
  return out;
}

/** A configuration's result over its repeats. */
export interface ConfigurationResult {
  readonly configuration: number;
  readonly params: Params;
  /** Trial indices of its repeats, in order. */
  readonly trials: readonly number[];
  /** Succeeded repeats with a finite value (what the statistics are over). */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** All k repeats have ended. */
  readonly complete: boolean;
}

/** Mean and spread per configuration with at least one succeeded repeat, best mean first. */
export function rankConfigurations(trials: readonly EngineTrial[], repeats: number, goal: Goal): ConfigurationResult[] {
  const groups = new Map<number, EngineTrial[]>();
  for (const t of trials) {
    const c = configurationOf(t.index, repeats).configuration;
    const g = groups.get(c);
    if (g === undefined) groups.set(c, [t]);
    else g.push(t);
  }
  const out: ConfigurationResult[] = [];
  for (const [configuration, members] of groups) {
    members.sort((a, b) => a.index - b.index);
    const values = members
      .filter((m) => m.state === 'succeeded' && typeof m.value === 'number' && Number.isFinite(m.value))
      .map((m) => m.value as number);
    if (values.length === 0) continue;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
    const ended = members.filter((m) => m.state === 'succeeded' || m.state === 'failed' || m.state === 'pruned').length;
    out.push({
      configuration, params: (members[0] as EngineTrial).params, trials: members.map((m) => m.index), n: values.length,
      mean, std, min: Math.min(...values), max: Math.max(...values), complete: members.length >= repeats && ended === members.length,
    });
  }
  return out.sort((a, b) => lossOf(a.mean, goal) - lossOf(b.mean, goal) || a.configuration - b.configuration);
}
