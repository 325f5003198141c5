/**
 * `auto`: picks a sampler for the study from its search space and its trial budget, then hands
 * every suggestion to it. The rule, in the order it applies:
 *
 *   1. **grid** — every parameter is discrete (int, stepped float, categorical, subset) and the
 *      whole grid fits in the budget: trying every configuration beats any model's guess.
 *   2. **tpe** — the space has conditional parameters (`when`): TPE models each parameter where
 *      it is active; GP and CMA-ES see only the unconditional ones and draw the rest at random.
 *   3. **gp** — at most `maxGpDims` (10) parameters and a budget of at most `maxGpBudget` (300)
 *      trials: a small unconditional space, where a Gaussian process is the most sample-efficient
 *      model — also where CMA-ES would have the generations to adapt. (Strategies benchmark, 200
 *      trials, 20 seeds, median final regret gp vs our cmaes: Branin 3.3e-6 vs 6.4e-6, Hartmann-6
 *      7.6e-5 vs 0.038, Rosenbrock-4 1.76 vs 4.03, Ackley-5 2.71 vs 2.80, Styblinski-Tang-10 77.7
 *      vs 84.9. Before the GP's output warp, cmaes led there, and this rule came after the next
 *      one.)
 *   4. **cmaes** — every parameter is numeric (float or int) and the budget covers at least
 *      `minCmaGenerations` (20) generations of CMA-ES's default population, 4 + ⌊3 ln d⌋
 *      (240 trials in 20-D): past the GP's size limits CMA-ES is a strong optimiser once it has
 *      generations to adapt, and scales to many parameters; with fewer it has barely started.
 *   5. **tpe** — otherwise (many parameters or a long budget, with categorical parameters or too
 *      few trials for CMA-ES): TPE's cost stays linear and it keeps learning from every trial.
 *
 * Why a rule fixed by space and budget, and not a switch on the history: a sampler that changed
 * mid-study would hand CMA-ES or GP trials it never proposed and break the bookkeeping those rely
 * on; with the rule above the choice is made once, is the same on every call and after a restart,
 * and `auto` stays stateless. The budget is not part of a sampler's context, so it comes in the
 * settings: `compileStudy` fills `settings.budget` from `spec.budget.maxTrials` when the user did
 * not; the library's `Study`, which has no budget, assumes `DEFAULT_AUTO_BUDGET` (200) unless
 * given `settings: { budget }`.
 *
 * The delegate's randomness is derived under the delegate's own name, so `auto` choosing `gp`
 * proposes exactly the trials `gp` with the same seed would: what the benchmarks measure of `gp`
 * holds for `auto` there.
 */
import { gridSize } from '../space/grid.js';
import type { SearchSpace } from '../space/space.js';
import { CmaEsSampler } from './cmaes/sampler.js';
import { defaultPopulationSize } from './cmaes/strategy.js';
import { GpSampler } from './gp/index.js';
import { GridSampler } from './grid.js';
import { Rng } from './rng.js';
import { SettingsReader } from './settings.js';
import { TpeSampler } from './tpe/index.js';
import type { SampleContext, Sampler, Suggestion, TrialRecord } from './types.js';

/** The budget `auto` assumes when none is given (the library's `Study` has no `maxTrials`). */
export const DEFAULT_AUTO_BUDGET = 200;

export interface AutoOptions {
  /** The study's trial budget; filled from `spec.budget.maxTrials` by the engine. */
  readonly budget: number;
  /** Most parameters for which `gp` is chosen. Default 10. */
  readonly maxGpDims: number;
  /** Largest budget for which `gp` is chosen. Default 300. */
  readonly maxGpBudget: number;
  /** Generations of CMA-ES's default population the budget must cover for `cmaes`. Default 20. */
  readonly minCmaGenerations: number;
}

export const DEFAULT_AUTO_OPTIONS: AutoOptions = Object.freeze({ budget: DEFAULT_AUTO_BUDGET, maxGpDims: 10, maxGpBudget: 300, minCmaGenerations: 20 });

/** Reads `algorithm.settings` for `auto`; every problem is reported at once as a `SpecError`. */
export function parseAutoOptions(settings: Record<string, unknown> = {}, basePath = '/algorithm/settings'): AutoOptions {
  const r = new SettingsReader('auto', settings, basePath);
  const d = DEFAULT_AUTO_OPTIONS;
  const count = (field: keyof AutoOptions) => r.number(field, 1, Infinity, { integer: true }) ?? d[field];
  const options: AutoOptions = { budget: count('budget'), maxGpDims: count('maxGpDims'), maxGpBudget: count('maxGpBudget'), minCmaGenerations: count('minCmaGenerations') };
  r.done();
  return options;
}

export type AutoChoice = 'grid' | 'tpe' | 'gp' | 'cmaes';

/** The sampler `auto` runs for `space` under `options`, and the rule that chose it (for people). */
export function chooseSampler(space: SearchSpace, options: AutoOptions = DEFAULT_AUTO_OPTIONS): { name: AutoChoice; why: string } {
  const discrete = space.params.every((p) => p.type !== 'float' || p.step !== undefined);
  if (discrete) {
    const size = gridSize(space);
    if (size <= options.budget) return { name: 'grid', why: `all parameters are discrete and the ${size} configurations fit in the budget of ${options.budget}` };
  }
  if (space.isConditional) return { name: 'tpe', why: 'the space has conditional parameters' };
  if (space.size <= options.maxGpDims && options.budget <= options.maxGpBudget) {
    return { name: 'gp', why: `${space.size} unconditional parameters and a budget of ${options.budget} trials` };
  }
  const tooBig = space.size > options.maxGpDims ? `${space.size} parameters, more than ${options.maxGpDims}` : `a budget of ${options.budget} trials, more than ${options.maxGpBudget}`;
  const numeric = space.params.every((p) => p.type === 'float' || p.type === 'int');
  const generation = defaultPopulationSize(space.size);
  if (numeric && options.budget >= options.minCmaGenerations * generation) {
    return { name: 'cmaes', why: `${tooBig} for gp; numeric parameters and at least ${options.minCmaGenerations} CMA-ES generations of ${generation}` };
  }
  return { name: 'tpe', why: `${tooBig} for gp, and not a numeric space with ${options.minCmaGenerations} CMA-ES generations in the budget` };
}

export class AutoSampler implements Sampler {
  readonly name = 'auto';
  private readonly options: AutoOptions;
  private readonly delegates: Record<AutoChoice, Sampler> = { grid: new GridSampler(), tpe: new TpeSampler(), gp: new GpSampler(), cmaes: new CmaEsSampler() };
  /** The choice depends on the space only (options are fixed): remember it per space object. */
  private readonly choices = new WeakMap<SearchSpace, AutoChoice>();

  constructor(options: AutoOptions = DEFAULT_AUTO_OPTIONS) {
    this.options = options;
  }

  /** The sampler this `auto` delegates to for `space`. */
  choice(space: SearchSpace): AutoChoice {
    let name = this.choices.get(space);
    if (name === undefined) {
      name = chooseSampler(space, this.options).name;
      this.choices.set(space, name);
    }
    return name;
  }

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    const delegate = this.delegates[this.choice(space)];
    return delegate.suggest(space, history, { ...ctx, rng: new Rng(ctx.seed, ctx.index, delegate.name) });
  }
}
