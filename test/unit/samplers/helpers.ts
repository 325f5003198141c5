/** Shared plumbing for sampler tests: run a sampler the way the engine does. */
import { Rng } from '../../../operator/samplers/rng.js';
import type { Goal, Sampler, Suggestion, TrialRecord } from '../../../operator/samplers/types.js';
import type { SearchSpace } from '../../../operator/space/space.js';
import type { Params } from '../../../operator/space/types.js';

export function suggestAt(sampler: Sampler, space: SearchSpace, history: readonly TrialRecord[], index: number, seed = 0, goal: Goal = 'minimize'): Suggestion {
  return sampler.suggest(space, history, { index, seed, goal, rng: new Rng(seed, index, sampler.name) });
}

/** Runs `n` sequential trials of `objective`; returns the history. */
export function runSequential(
  sampler: Sampler,
  space: SearchSpace,
  n: number,
  objective: (p: Params) => number,
  seed = 0,
): TrialRecord[] {
  const history: TrialRecord[] = [];
  for (let i = 0; i < n; i++) {
    const s = suggestAt(sampler, space, history, i, seed);
    if ('exhausted' in s) break;
    history.push({ index: i, params: s.params, state: 'succeeded', value: objective(s.params) });
  }
  return history;
}

/** Asks for `n` trials at once, each seeing the earlier ones as running (parallel workers). */
export function askParallel(sampler: Sampler, space: SearchSpace, history: TrialRecord[], n: number, seed = 0): Params[] {
  const out: Params[] = [];
  for (let k = 0; k < n; k++) {
    const index = history.length;
    const s = suggestAt(sampler, space, history, index, seed);
    if ('exhausted' in s) throw new Error(s.exhausted);
    history.push({ index, params: s.params, state: 'running' });
    out.push(s.params);
  }
  return out;
}
