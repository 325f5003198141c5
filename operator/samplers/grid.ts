/**
 * Grid search: every configuration of a discrete space exactly once, in an order shuffled by the
 * study's seed (so a budget smaller than the grid still covers it evenly rather than sweeping the
 * first parameter), and then "exhausted" so the study finishes instead of hanging.
 *
 * The order depends only on the seed, never on the trial index, and each call takes the first
 * configuration of that order not present in the history (running trials included): parallel
 * trials get distinct points, and a restarted operator continues where it stopped.
 */
import { enumerateGrid } from '../space/grid.js';
import { paramsKey, type SearchSpace } from '../space/space.js';
import type { Params } from '../space/types.js';
import { Rng } from './rng.js';
import { SettingsReader } from './settings.js';
import type { SampleContext, Sampler, Suggestion, TrialRecord } from './types.js';

export interface GridSamplerOptions {
  /** Visit the grid in enumeration order instead of the seeded shuffle (default false). */
  ordered?: boolean;
}

/** Checks a study's `algorithm.settings` for grid; every problem is a `SpecError` issue. */
export function parseGridOptions(settings: Record<string, unknown> = {}, basePath = '/algorithm/settings'): GridSamplerOptions {
  const r = new SettingsReader('grid', settings, basePath);
  const ordered = r.boolean('ordered');
  r.done();
  return ordered === undefined ? {} : { ordered };
}

export class GridSampler implements Sampler {
  readonly name = 'grid';
  private readonly ordered: boolean;
  /** Enumerating and shuffling is the costly part; keep one plan per space and seed. */
  private readonly plans = new WeakMap<SearchSpace, Map<number, Params[]>>();

  constructor(options: GridSamplerOptions = {}) {
    this.ordered = options.ordered ?? false;
  }

  /** The full visiting order for a space and seed. */
  plan(space: SearchSpace, seed: number): readonly Params[] {
    let bySeed = this.plans.get(space);
    if (bySeed === undefined) this.plans.set(space, (bySeed = new Map()));
    let plan = bySeed.get(seed);
    if (plan === undefined) {
      const points = enumerateGrid(space);
      plan = this.ordered ? points : new Rng(seed, 'grid-order').shuffle(points);
      bySeed.set(seed, plan);
    }
    return plan;
  }

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    const plan = this.plan(space, ctx.seed);
    const seen = new Set(history.map((t) => paramsKey(t.params)));
    const next = plan.find((p) => !seen.has(paramsKey(p)));
    return next === undefined ? { exhausted: `all ${plan.length} grid points have been tried` } : { params: next };
  }
}
