/**
 * Warm start (`algorithm.warmStart`): finished trials of an earlier study enter the sampler's
 * history, so a new study starts from what is already known, but they are not trials of this
 * study — they take no index, count in no budget, and never appear in its status or results.
 *
 * The sampler sees one history in which the warm trials come first: warm trial j has index j and
 * this study's configuration i has index w + i (w warm trials), and it is asked for index w + i
 * with randomness derived from that index. Samplers that keep bookkeeping by index (`cmaes`
 * generations, `evolution` generations, TPE's start-up count) therefore read the warm trials as
 * an earlier part of the same study. Only succeeded trials whose parameters fit this study's
 * space are used (`selectWarmTrials`); the rest are dropped, so a changed space cannot feed a
 * sampler values outside it.
 *
 * Loading them is I/O and belongs to the bodies: the local runtime reads a results directory
 * (`loadLocalWarmStart`, operator/engine/warm-start-local.ts); the engine only takes the records.
 */
import { Rng } from '../samplers/rng.js';
import type { SampleContext, Sampler, Suggestion, TrialRecord } from '../samplers/types.js';
import type { SearchSpace } from '../space/space.js';
import type { Params } from '../space/types.js';

/** A finished trial from elsewhere: its parameters and objective value. */
export interface WarmTrial {
  readonly params: Params;
  readonly value: number;
}

/**
 * The value a finished trial of another study has for this study's objective `metric`: its
 * objective value when the other study optimised the same metric (or its metric is unknown),
 * otherwise `metric` as the trial reported it; undefined when it has none or it is not finite.
 */
export function warmValueOf(trial: { value?: number; metrics?: Readonly<Record<string, number>> }, sourceMetric: string | undefined, metric: string): number | undefined {
  const value = sourceMetric === undefined || sourceMetric === metric ? trial.value : trial.metrics?.[metric];
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** The warm trials usable in `space`: finite values, parameters that pass the space's check. */
export function selectWarmTrials(space: SearchSpace, trials: readonly WarmTrial[]): WarmTrial[] {
  return trials.filter((t) => Number.isFinite(t.value) && space.check(t.params).length === 0);
}

export class WarmStartSampler implements Sampler {
  readonly name: string;
  private readonly warm: readonly TrialRecord[];

  constructor(
    private readonly inner: Sampler,
    warm: readonly WarmTrial[],
  ) {
    this.name = inner.name;
    this.warm = warm.map((t, index) => ({ index, params: t.params, state: 'succeeded' as const, value: t.value }));
  }

  get warmTrials(): number {
    return this.warm.length;
  }

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    const w = this.warm.length;
    if (w === 0) return this.inner.suggest(space, history, ctx);
    const shifted = history.map((t) => ({ ...t, index: t.index + w }));
    const index = ctx.index + w;
    return this.inner.suggest(space, [...this.warm, ...shifted], { ...ctx, index, rng: new Rng(ctx.seed, index, this.inner.name) });
  }
}
