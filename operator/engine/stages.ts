/**
 * Staged searches (`algorithm.stages`): the study runs each stage's sampler for its `trials`
 * configurations, in order, and `algorithm.name` after the last — say `sobol` for 20 trials to
 * cover the space evenly, then `gp` or `tpe` to refine around the best:
 *
 * ```yaml
 * algorithm:
 *   name: gp
 *   stages:
 *     - { name: sobol, trials: 20 }
 * ```
 *
 * The stage is a function of the configuration index alone (trial index with `repeats: 1`), so the
 * choice never depends on timing and a restarted body replays it. Every stage sees the whole
 * history — the later stage's model learns from the earlier stage's trials (a sampler that keeps
 * generation bookkeeping by index, such as `cmaes` or `evolution`, treats those trials as it
 * treats any it did not propose; see docs/samplers.md). Each stage's randomness is derived under
 * its own sampler's name, so a stage proposes what its sampler alone would at those indices.
 */
import { Rng } from '../samplers/rng.js';
import type { SampleContext, Sampler, Suggestion, TrialRecord } from '../samplers/types.js';
import type { SearchSpace } from '../space/space.js';

export interface Stage {
  readonly sampler: Sampler;
  /** Configurations this stage proposes; undefined for the last (it runs to the end). */
  readonly trials?: number;
}

export class StagedSampler implements Sampler {
  readonly name: string;
  private readonly stages: readonly Stage[];

  /** `stages` in order; the last one has no `trials` and runs for the rest of the study. */
  constructor(stages: readonly Stage[]) {
    if (stages.length === 0) throw new RangeError('a staged search needs at least one stage');
    this.stages = stages;
    this.name = stages.map((s) => s.sampler.name).join('>');
  }

  /** The stage that proposes configuration `index`, and where it starts. */
  stageAt(index: number): { stage: number; sampler: Sampler; start: number } {
    let start = 0;
    for (let i = 0; i < this.stages.length; i++) {
      const s = this.stages[i] as Stage;
      if (s.trials === undefined || index < start + s.trials) return { stage: i, sampler: s.sampler, start };
      start += s.trials;
    }
    const last = this.stages[this.stages.length - 1] as Stage;
    return { stage: this.stages.length - 1, sampler: last.sampler, start };
  }

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    // A finished grid in an early stage hands over to the next stage rather than ending the study.
    let suggestion: Suggestion = { exhausted: 'no stage' };
    for (let i = this.stageAt(ctx.index).stage; i < this.stages.length; i++) {
      const { sampler } = this.stages[i] as Stage;
      suggestion = sampler.suggest(space, history, { ...ctx, rng: new Rng(ctx.seed, ctx.index, sampler.name) });
      if (!('exhausted' in suggestion)) return suggestion;
    }
    return suggestion;
  }
}
