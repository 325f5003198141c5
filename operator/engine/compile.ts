/**
 * A resolved spec made ready for `decide`: the parsed search space, the sampler and the pruner,
 * built once per spec (not per decision) because parsing a space and, for grid, enumerating it
 * is the costly part. Compiling is still pure.
 */
import type { ResolvedSpec } from '../api/types.js';
import type { Pruner } from '../pruners/types.js';
import { chooseSampler, parseAutoOptions } from '../samplers/auto.js';
import { createSampler } from '../samplers/registry.js';
import type { Sampler } from '../samplers/types.js';
import { SearchSpace } from '../space/space.js';
import { createStudyPruner } from './pruning.js';
import { configurationOf } from './repeats.js';
import { StagedSampler } from './stages.js';
import { selectWarmTrials, type WarmTrial, WarmStartSampler } from './warm-start.js';

export interface CompiledStudy {
  readonly spec: ResolvedSpec;
  readonly space: SearchSpace;
  readonly sampler: Sampler;
  /** Undefined when `earlyStopping.name` is `none`. */
  readonly pruner?: Pruner;
  /** Trainings per configuration (`algorithm.repeats`, default 1); see repeats.ts. */
  readonly repeats: number;
  /** Warm-start trials the sampler sees (after `selectWarmTrials`); see warm-start.ts. */
  readonly warmTrials: number;
  /** The sampler `algorithm.name` runs (after any stages): for `auto`, the one it chose. See `samplerNow`. */
  readonly samplerName: string;
}

export interface CompileOptions {
  /**
   * Finished trials of an earlier study for `algorithm.warmStart`, loaded by the body (the engine
   * does no I/O). Ignored when the spec has no `warmStart`.
   */
  readonly warmStart?: readonly WarmTrial[];
}

export function compileStudy(spec: ResolvedSpec, options: CompileOptions = {}): CompiledStudy {
  const space = SearchSpace.parse(spec.parameters, '/spec/parameters');
  const warm = spec.algorithm.warmStart !== undefined && options.warmStart !== undefined ? selectWarmTrials(space, options.warmStart) : [];
  const withWarm = (s: Sampler) => (warm.length > 0 ? new WarmStartSampler(s, warm) : s);
  const main = withWarm(createSampler(spec.algorithm.name, samplerSettings(spec), '/spec/algorithm/name'));
  const stages = spec.algorithm.stages ?? [];
  const sampler = stages.length === 0
    ? main
    : new StagedSampler([
      ...stages.map((st, i) => ({ sampler: withWarm(createSampler(st.name, st.settings, `/spec/algorithm/stages/${i}/name`)), trials: st.trials })),
      { sampler: main },
    ]);
  const pruner = createStudyPruner(spec);
  const base = { spec, space, sampler, repeats: spec.algorithm.repeats ?? 1, warmTrials: warm.length, samplerName: autoChoice(spec, space)?.name ?? spec.algorithm.name };
  return pruner === undefined ? base : { ...base, pruner };
}

/**
 * The settings the sampler is built with: the spec's, plus, for `auto`, the study's budget
 * (`maxTrials`), which its choice depends on and which a sampler's context does not carry.
 */
export function samplerSettings(spec: ResolvedSpec): Record<string, unknown> {
  const { name, settings } = spec.algorithm;
  if (name !== 'auto' || settings.budget !== undefined) return settings;
  // With repeats, the sampler proposes one configuration per `repeats` trials.
  return { ...settings, budget: Math.ceil(spec.budget.maxTrials / (spec.algorithm.repeats ?? 1)) };
}

/**
 * The algorithm in words for people: its name, and for `auto` the sampler it runs on this study
 * and why (`auto → gp (3 unconditional parameters and a budget of 20 trials)`), since that choice
 * is made from the space and the budget, not written anywhere.
 */
export function describeAlgorithm(spec: ResolvedSpec): string {
  const choice = autoChoice(spec, SearchSpace.parse(spec.parameters, '/spec/parameters'));
  return choice === undefined ? spec.algorithm.name : `auto → ${choice.name} (${choice.why})`;
}

/**
 * The sampler whose turn it is: with `algorithm.stages`, the stage that proposes the next
 * configuration (the last configuration of the budget once it is spent), else `samplerName`.
 * A grid stage that runs out early hands over to the next stage (stages.ts) before its turn is
 * up; this still names the grid until then.
 */
export function samplerNow(study: CompiledStudy, trials: readonly { readonly index: number }[]): string {
  const stages = study.spec.algorithm.stages ?? [];
  if (stages.length === 0) return study.samplerName;
  let next = 0;
  for (const t of trials) next = Math.max(next, configurationOf(t.index, study.repeats).configuration + 1);
  let index = Math.min(next, Math.max(0, Math.ceil(study.spec.budget.maxTrials / study.repeats) - 1));
  for (const stage of stages) {
    if (index < stage.trials) return stage.name;
    index -= stage.trials;
  }
  return study.samplerName;
}

/** What `auto` runs on this study and why; undefined for any other algorithm. */
function autoChoice(spec: ResolvedSpec, space: SearchSpace): ReturnType<typeof chooseSampler> | undefined {
  return spec.algorithm.name === 'auto' ? chooseSampler(space, parseAutoOptions(samplerSettings(spec))) : undefined;
}
