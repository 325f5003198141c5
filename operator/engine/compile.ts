/**
 * A resolved spec made ready for `decide`: the parsed search space, the sampler and the pruner,
 * built once per spec (not per decision) because parsing a space and, for grid, enumerating it
 * is the costly part. Compiling is still pure.
 */
import type { ResolvedSpec } from '../api/types.js';
import type { Pruner } from '../pruners/types.js';
import { createSampler } from '../samplers/registry.js';
import type { Sampler } from '../samplers/types.js';
import { SearchSpace } from '../space/space.js';
import { createStudyPruner } from './pruning.js';

export interface CompiledStudy {
  readonly spec: ResolvedSpec;
  readonly space: SearchSpace;
  readonly sampler: Sampler;
  /** Undefined when `earlyStopping.name` is `none`. */
  readonly pruner?: Pruner;
}

export function compileStudy(spec: ResolvedSpec): CompiledStudy {
  const space = SearchSpace.parse(spec.parameters, '/spec/parameters');
  const sampler = createSampler(spec.algorithm.name, samplerSettings(spec), '/spec/algorithm/name');
  const pruner = createStudyPruner(spec);
  return pruner === undefined ? { spec, space, sampler } : { spec, space, sampler, pruner };
}

/**
 * The settings the sampler is built with: the spec's, plus, for `auto`, the study's budget
 * (`maxTrials`), which its choice depends on and which a sampler's context does not carry.
 */
export function samplerSettings(spec: ResolvedSpec): Record<string, unknown> {
  const { name, settings } = spec.algorithm;
  if (name !== 'auto' || settings.budget !== undefined) return settings;
  return { ...settings, budget: spec.budget.maxTrials };
}
