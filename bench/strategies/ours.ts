/**
 * Our side of the strategies benchmark: one ask/tell `Study` per (problem, sampler, seed), as in
 * the samplers benchmark (bench/samplers/ours.ts), with default settings — except that `auto` is
 * told the budget, as the engine does from `spec.budget.maxTrials` — and a suggestion-time probe
 * for GP at a long history.
 */
import { createSampler } from '../../operator/samplers/registry.js';
import { Rng } from '../../operator/samplers/rng.js';
import type { TrialRecord } from '../../operator/samplers/types.js';
import { SearchSpace } from '../../operator/space/space.js';
import { runOurs } from '../samplers/ours.js';
import type { Problem } from '../samplers/problems.js';

/** Our samplers in the benchmark, in table order. */
export const OUR_STRATEGIES = ['gp', 'cmaes', 'evolution', 'auto'] as const;

function settingsFor(sampler: string, trials: number): Record<string, unknown> {
  return sampler === 'auto' ? { budget: trials } : {};
}

/** Best-so-far regret after each trial count in `checkpoints`, with the settings the strategy gets. */
export function runStrategy(problem: Problem, sampler: string, seed: number, checkpoints: readonly number[]): number[] {
  const trials = checkpoints[checkpoints.length - 1] ?? 0;
  return runOurs(problem, sampler, seed, checkpoints, settingsFor(sampler, trials));
}

export interface SuggestTiming {
  problem: string;
  history: number;
  calls: number;
  /** Median and largest over the calls, milliseconds. */
  wallMs: { median: number; max: number };
  cpuMs: { median: number; max: number };
}

/**
 * Times GP suggestions at a history of `history` succeeded trials. The history comes from random
 * search (seconds instead of the minutes of 500 GP trials); the GP's cost depends on how many
 * trials it conditions on (capped, gp/options.ts), not on who proposed them. Wall-clock and this
 * process's CPU time are both recorded: the machine is shared, and CPU time is what load does not
 * stretch.
 */
export function timeGpSuggest(problem: Problem, history: number, calls: number, seed = 0): SuggestTiming {
  const space = SearchSpace.parse(problem.parameters);
  const random = createSampler('random');
  const records: TrialRecord[] = [];
  for (let i = 0; i < history; i++) {
    const s = random.suggest(space, records, { index: i, seed, goal: 'minimize', rng: new Rng(seed, i, 'random') });
    if ('exhausted' in s) break;
    records.push({ index: i, params: s.params, state: 'succeeded', value: problem.evaluate(s.params) });
  }
  const gp = createSampler('gp');
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < calls; k++) {
    const index = records.length;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const s = gp.suggest(space, records, { index, seed, goal: 'minimize', rng: new Rng(seed, index, 'gp') });
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if ('exhausted' in s) break;
    records.push({ index, params: s.params, state: 'succeeded', value: problem.evaluate(s.params) });
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { median: sorted[sorted.length >> 1] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
  };
  return { problem: problem.name, history, calls: wall.length, wallMs: stats(wall), cpuMs: stats(cpu) };
}
