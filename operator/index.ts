/**
 * The `kubetune` package's library API: an ask/tell study, its search space and samplers.
 * The operator, the CLI and the trainer are separate entry points.
 */
export { Study, SearchExhaustedError, DEFAULT_ALGORITHM } from './engine/study.js';
export type { Algorithm, AskedTrial, Objective, StudyOptions, Trial, TrialOutcome } from './engine/study.js';
export { SearchSpace, paramsKey } from './space/space.js';
export { UnitCube } from './space/unit-cube.js';
export { enumerateGrid, GridError } from './space/grid.js';
export type { ParamSpec, Params, ParamValue, Scalar, Condition } from './space/types.js';
export { SpecError, formatIssues } from './api/issues.js';
export type { Issue } from './api/issues.js';
export { createSampler, samplerNames } from './samplers/registry.js';
export { Rng } from './samplers/rng.js';
export type { Sampler, SampleContext, Suggestion, TrialRecord, TrialState, Goal } from './samplers/types.js';
export { createPruner, prunerNames } from './pruners/registry.js';
export type { Pruner, PruneDecision, PruneContext } from './pruners/types.js';
export { validateStudy, resolveStudy } from './api/validate.js';
export type { TuningStudy, TuningStudySpec, TuningStudyStatus, ResolvedSpec } from './api/types.js';
// The trial contract, for trial scripts written in TypeScript or JavaScript.
export {
  ENV,
  formatMetricLine,
  formatTrialResult,
  paramEnvName,
  parseMetricLine,
  parseTrialResult,
} from './api/trial-contract.js';
export type { MetricReport, TrialResult } from './api/trial-contract.js';
