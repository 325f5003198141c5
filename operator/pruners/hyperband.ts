/**
 * Hyperband (Li et al., JMLR 2018) as brackets of ASHA: bracket b runs ASHA with
 * `minEarlyStoppingRate = b`, so bracket 0 prunes most aggressively and the last bracket lets
 * every trial run to `maxResource`. Each trial belongs to one bracket, drawn from `(seed, trial
 * index)` with Hyperband's bracket sizes as weights (more, shorter trials in aggressive brackets),
 * and competes only with the trials of its bracket. Built from the same promotion rule as ASHA,
 * not from wrapped studies.
 *
 * One difference from Optuna's `HyperbandPruner` lies outside the pruner: Optuna's TPE, when the
 * study's pruner is Hyperband, models only the trials of the new trial's bracket
 * (`optuna.pruners._filter_study`); our samplers see every trial, whatever its bracket.
 */
import { Rng } from '../samplers/rng.js';
import type { TrialRecord } from '../samplers/types.js';
import { ashaDecide, checkAshaOptions } from './asha.js';
import type { PruneContext, PruneDecision, Pruner } from './types.js';

export interface HyperbandOptions {
  /** Step of bracket 0's first rung (default 1). */
  minResource?: number;
  /** The most steps any trial runs (required: it fixes the number of brackets). */
  maxResource: number;
  /** Keep the best 1/reductionFactor at each rung (default 3, as Hyperband's paper). */
  reductionFactor?: number;
}

export class HyperbandPruner implements Pruner {
  readonly name = 'hyperband';
  readonly minResource: number;
  readonly maxResource: number;
  readonly reductionFactor: number;
  /** Relative number of trials each bracket receives. */
  readonly bracketWeights: readonly number[];

  constructor(options: HyperbandOptions) {
    if (typeof options.maxResource !== 'number') throw new RangeError('maxResource is required: it fixes the number of brackets');
    const checked = checkAshaOptions({ minResource: options.minResource, reductionFactor: options.reductionFactor ?? 3, maxResource: options.maxResource });
    this.minResource = checked.minResource;
    this.reductionFactor = checked.reductionFactor;
    this.maxResource = options.maxResource;
    const brackets = Math.floor(Math.log(this.maxResource / this.minResource) / Math.log(this.reductionFactor) + 1e-9) + 1;
    // Hyperband's n_i = ceil(B / (i + 1) * eta^i) for the bracket with i halvings (i = B - 1 - b).
    this.bracketWeights = Array.from({ length: brackets }, (_, b) => {
      const halvings = brackets - 1 - b;
      return Math.ceil((brackets / (halvings + 1)) * this.reductionFactor ** halvings);
    });
  }

  get brackets(): number {
    return this.bracketWeights.length;
  }

  bracketOf(trialIndex: number, seed: number): number {
    return new Rng(seed, trialIndex, 'hyperband-bracket').choice(this.bracketWeights);
  }

  decide(trial: TrialRecord, history: readonly TrialRecord[], ctx: PruneContext): PruneDecision {
    const bracket = this.bracketOf(trial.index, ctx.seed);
    const peers = history.filter((t) => this.bracketOf(t.index, ctx.seed) === bracket);
    const verdict = ashaDecide(
      trial,
      peers,
      { minResource: this.minResource, reductionFactor: this.reductionFactor, minEarlyStoppingRate: bracket, maxResource: this.maxResource },
      ctx.goal,
    );
    return verdict.prune ? { prune: true, reason: `${verdict.reason} in bracket ${bracket}` } : verdict;
  }
}
