/**
 * "Never the same configuration twice while unseen ones remain" for discrete spaces.
 *
 * In a space where every parameter is discrete, a sampler can propose a configuration that is
 * already in the history (finished or still running). `avoidDuplicates` asks the sampler again a
 * few times with fresh attempts; if it keeps repeating itself (the space is nearly used up), it
 * picks uniformly among the configurations not yet seen, and says "exhausted" when none remain.
 * Spaces with a continuous parameter are left alone: a repeat there has probability zero.
 */
import { enumerateGrid } from '../space/grid.js';
import { paramsKey, type SearchSpace } from '../space/space.js';
import type { Params } from '../space/types.js';
import type { SampleContext, Suggestion, TrialRecord } from './types.js';

/** Proposals tried before falling back to the list of unseen configurations. */
export const DEDUPE_ATTEMPTS = 16;

export function isDiscrete(space: SearchSpace): boolean {
  return space.params.every((p) => p.type !== 'float' || p.step !== undefined);
}

/**
 * Runs `propose(attempt)` until it yields a configuration absent from `history`.
 * `propose` must vary with `attempt` (derive its randomness from it).
 */
export function avoidDuplicates(
  space: SearchSpace,
  history: readonly TrialRecord[],
  ctx: SampleContext,
  propose: (attempt: number) => Params,
): Suggestion {
  const first = propose(0);
  if (!isDiscrete(space)) return { params: first };
  const seen = new Set(history.map((t) => paramsKey(t.params)));
  let candidate = first;
  for (let attempt = 1; seen.has(paramsKey(candidate)) && attempt < DEDUPE_ATTEMPTS; attempt++) {
    candidate = propose(attempt);
  }
  if (!seen.has(paramsKey(candidate))) return { params: candidate };

  let grid: Params[];
  try {
    grid = enumerateGrid(space);
  } catch {
    // More than MAX_GRID_POINTS configurations: repeats this frequent cannot come from a
    // nearly-used-up space, so accept the proposal.
    return { params: candidate };
  }
  const unseen = grid.filter((p) => !seen.has(paramsKey(p)));
  if (unseen.length === 0) {
    return { exhausted: `all ${grid.length} configurations of the discrete space have been tried` };
  }
  return { params: unseen[ctx.rng.derive('dedupe').int(unseen.length)] as Params };
}

