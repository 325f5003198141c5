/**
 * CMA-ES: the covariance matrix adaptation evolution strategy (Hansen & Ostermeier 2001; Hansen
 * 2016, "The CMA Evolution Strategy: A Tutorial"). It samples each generation of λ trials from a
 * multivariate normal distribution over the unit cube of the space, then moves the mean towards
 * the better half of them, adapts the covariance to the directions in which improvement was found
 * and grows or shrinks the step size σ by how far the mean keeps travelling — a robust local
 * optimiser for continuous and mixed spaces of a few to a few hundred dimensions, at its best once
 * the budget is several times λ. Ported in spirit from the `cmaes` package behind Optuna's
 * `CmaEsSampler`, with active (negative) weights.
 *
 * **Space.** The search runs on `UnitCube` coordinates: log scales and steps come from the space's
 * one transform, and bounds are the cube's faces, kept by resampling (then clipping; `sample.ts`).
 * The initial distribution is centred (mean 0.5 everywhere) with σ = `sigma0` and C = I.
 * - Ints and stepped floats are discrete coordinates handled by *CMA-ES with Margin* (Hamano et
 *   al. 2022; `margin.ts`), which keeps a probability of at least `margin` of moving to a
 *   neighbouring value so that integer coordinates never freeze.
 * - Categoricals, the documented fallback: in `ordinal` mode (default) a categorical is one
 *   discrete coordinate whose cells are its values in the order listed, searched with the margin
 *   like an int — good when the order means something (sizes, a ladder of options), harmless
 *   otherwise; in `random` mode it is drawn uniformly for every trial and CMA-ES ignores it, as
 *   Optuna's `CmaEsSampler` does with its independent sampler.
 * - A subset parameter is one binary discrete coordinate per value.
 * - Conditional parameters: every coordinate is sampled, inactive ones are simply not used by the
 *   trial; they carry no selection pressure and drift harmlessly.
 *
 * **No state between calls.** Each call replays the CMA-ES run from the history (`replay.ts`).
 * Generation g is updated as soon as λ of its trials have succeeded (the first λ in index order;
 * failed, pruned and NaN trials are skipped and replaced by further draws; trials of g still
 * running then are not waited for, and not used when they finish, as in Optuna), and the new trial
 * is drawn from the newest distribution with an rng keyed by `(seed, generation, trial index,
 * attempt)`. Parallel trials thus get distinct draws, and a restarted operator replays the same
 * decisions: the replay recognises which distribution drew each trial by drawing it again. A
 * replay of the unchanged history prefix is cached. With more parallel trials than λ many trials
 * arrive too late to be used: keep `populationSize` at least the study's parallelism. No restarts
 * (IPOP/BIPOP): on a long budget the distribution can converge and then only refine around one
 * optimum.
 *
 * ```yaml
 * algorithm:
 *   name: cmaes
 *   seed: 7
 *   settings: { populationSize: 12, sigma0: 0.2 }
 * ```
 */
import type { SearchSpace } from '../../space/space.js';
import { UnitCube } from '../../space/unit-cube.js';
import { avoidDuplicates, DEDUPE_ATTEMPTS, isDiscrete } from '../dedupe.js';
import type { SampleContext, Sampler, Suggestion, TrialRecord } from '../types.js';
import { type CategoricalMode, coordinatesOf, searchedCoordinates } from './coordinates.js';
import { defaultMargin } from './margin.js';
import { type ReplayResult, Replayer, type RunConfig, drawFor } from './replay.js';
import { SettingsReader } from '../settings.js';
import { cmaConstants, defaultPopulationSize, initialState } from './strategy.js';

/** Initial step size on the unit cube: a sixth of its width, as Optuna's `CmaEsSampler`. */
export const DEFAULT_SIGMA0 = 1 / 6;

export interface CmaEsOptions {
  /** λ, trials per generation (integer ≥ 2). Default `4 + ⌊3 ln d⌋` (d searched coordinates). */
  populationSize?: number;
  /** Initial step size σ₀ in unit-cube units, in (0, 1]. Default 1/6 (`DEFAULT_SIGMA0`). */
  sigma0?: number;
  /**
   * CMA-ES with Margin's α, in [0, 0.5): the least probability, after each update, that a discrete
   * coordinate leaves its current value. 0 turns the margin off (plain rounding, which can freeze
   * integer parameters). Default `1 / (d λ)` (`defaultMargin`).
   */
  margin?: number;
  /** How categorical parameters are searched: `ordinal` (default) or `random`; see above. */
  categorical?: CategoricalMode;
  /**
   * Draws tried before a point outside the cube is clipped onto it (integer ≥ 1). Default
   * `10 d`, as Optuna.
   */
  maxResample?: number;
}

/** Validates `algorithm.settings` for `cmaes`; bad values are a `SpecError` naming each field. */
export function parseCmaEsSettings(settings: Record<string, unknown> = {}, basePath = '/algorithm/settings'): CmaEsOptions {
  const r = new SettingsReader('cmaes', settings, basePath);
  const options: CmaEsOptions = {};
  const populationSize = r.number('populationSize', 2, 10_000, { integer: true });
  const sigma0 = r.number('sigma0', 0, 1, { openMin: true });
  const margin = r.number('margin', 0, 0.5, { openMax: true });
  const categorical = r.choice('categorical', ['ordinal', 'random'] as const);
  const maxResample = r.number('maxResample', 1, 100_000, { integer: true });
  r.done();
  if (populationSize !== undefined) options.populationSize = populationSize;
  if (sigma0 !== undefined) options.sigma0 = sigma0;
  if (margin !== undefined) options.margin = margin;
  if (categorical !== undefined) options.categorical = categorical;
  if (maxResample !== undefined) options.maxResample = maxResample;
  return options;
}

export class CmaEsSampler implements Sampler {
  readonly name = 'cmaes';
  private readonly replayers = new WeakMap<SearchSpace, Map<string, Replayer>>();

  constructor(private readonly options: CmaEsOptions = {}) {}

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    const replayer = this.replayer(space, ctx);
    const state = replayer.replayer.run(history.filter((t) => t.index < ctx.index)).next;
    return avoidDuplicates(space, history, ctx, (attempt) => replayer.cfg.cube.decode(drawFor(replayer.cfg, state, ctx.index, attempt).u));
  }

  /** The replay of `history` as this sampler sees it before planning trial `ctx.index` (for tests and tools). */
  replay(space: SearchSpace, history: readonly TrialRecord[], ctx: Pick<SampleContext, 'index' | 'seed' | 'goal'>): ReplayResult {
    return this.replayer(space, ctx).replayer.run(history.filter((t) => t.index < ctx.index));
  }

  private replayer(space: SearchSpace, ctx: Pick<SampleContext, 'seed' | 'goal'>): { replayer: Replayer; cfg: RunConfig } {
    let bySpace = this.replayers.get(space);
    if (bySpace === undefined) this.replayers.set(space, (bySpace = new Map()));
    const key = `${ctx.seed}|${ctx.goal}`;
    let replayer = bySpace.get(key);
    if (replayer === undefined) bySpace.set(key, (replayer = new Replayer(this.config(space, ctx))));
    return { replayer, cfg: replayer.cfg };
  }

  /** Fixes the run for a space, seed and goal. */
  config(space: SearchSpace, ctx: Pick<SampleContext, 'seed' | 'goal'>): RunConfig {
    const coords = coordinatesOf(space, this.options.categorical ?? 'ordinal');
    const searched = searchedCoordinates(coords);
    const d = searched.length;
    const lambda = this.options.populationSize ?? defaultPopulationSize(d);
    return {
      space,
      cube: new UnitCube(space),
      layout: { coords, searched },
      constants: d === 0 ? undefined : cmaConstants(d, lambda),
      initial: initialState(new Float64Array(d).fill(0.5), this.options.sigma0 ?? DEFAULT_SIGMA0),
      margin: d === 0 ? 0 : (this.options.margin ?? defaultMargin(d, lambda)),
      maxResample: this.options.maxResample ?? 10 * Math.max(1, d),
      attempts: isDiscrete(space) ? DEDUPE_ATTEMPTS : 1,
      seed: ctx.seed,
      goal: ctx.goal,
    };
  }
}
