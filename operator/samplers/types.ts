/**
 * The sampler contract.
 *
 * A sampler turns the history of a study into the parameters of its next trial. The engine hands
 * it the whole history on every call — finished trials and the ones still running — so a sampler
 * keeps no state of its own between calls and a restarted operator makes the same decisions:
 *
 *   1. The engine picks the trial index `i` and calls `suggest(space, history, ctx)`, where
 *      `ctx.rng` is derived from `(seed, i)`. Pending trials (launched, not finished) are in
 *      `history` so parallel suggestions can differ (a constant liar, fantasies, a shared index).
 *   2. The sampler returns `{ params }`, or `{ exhausted }` when it has nothing new to offer (a
 *      finished grid). It never writes anywhere: decisions come back as data.
 *   3. Later the trial's outcome lands in `history` and the next call sees it.
 *
 * Values are raw objective values; `ctx.goal` says which way is better. Samplers read the score
 * to minimise through `lossOf` so no sampler gets the direction wrong.
 */
import type { SearchSpace } from '../space/space.js';
import type { Params } from '../space/types.js';
import type { Rng } from './rng.js';

export type Goal = 'minimize' | 'maximize';

export type TrialState = 'pending' | 'running' | 'succeeded' | 'failed' | 'pruned';

/** What a sampler sees of one trial. */
export interface TrialRecord {
  /** Trial index, unique within the study, in order of creation. */
  readonly index: number;
  readonly params: Params;
  readonly state: TrialState;
  /** Objective value of a succeeded trial (may be absent or NaN for others). */
  readonly value?: number;
  /** Intermediate objective values reported while running, as `[step, value]` in step order. */
  readonly intermediate?: readonly (readonly [number, number])[];
}

export interface SampleContext {
  /** Index of the trial being planned. */
  readonly index: number;
  /** The study's seed. */
  readonly seed: number;
  readonly goal: Goal;
  /** Random stream derived from `(seed, index, sampler name)`. */
  readonly rng: Rng;
}

export type Suggestion = { readonly params: Params } | { readonly exhausted: string };

export interface Sampler {
  /** Name as written in a study's `algorithm.name`. */
  readonly name: string;
  /** Parameters for trial `ctx.index`; `history` includes trials still running. */
  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion;
}

/** The value to minimise: the objective itself, or its negation when maximising. */
export function lossOf(value: number, goal: Goal): number {
  return goal === 'minimize' ? value : -value;
}

/** True for trials that are launched but not finished. */
export function isPending(t: TrialRecord): boolean {
  return t.state === 'pending' || t.state === 'running';
}

/** True for trials that finished with a usable objective value. */
export function isComplete(t: TrialRecord): t is TrialRecord & { value: number } {
  return t.state === 'succeeded' && typeof t.value === 'number' && !Number.isNaN(t.value);
}
