/**
 * The environment of a local trial process (design.md §5): the runner's own environment (so
 * PATH, a virtualenv or CUDA settings reach the trial), then the template's `env`, then the
 * contract's variables — study, index, seed, one `KUBETUNE_PARAM_<NAME>` per active parameter,
 * and the paths of the parameters file, the result file and the output directory. Contract
 * variables come last so nothing can shadow them.
 */
import { ENV, paramEnvName, paramEnvValue } from '../api/trial-contract.js';
import type { EnvVar } from '../api/types.js';
import type { Params } from '../space/types.js';
import type { AttemptPaths } from './results-format.js';

export { paramEnvValue };

export interface TrialIdentity {
  study: string;
  index: number;
  seed: number;
  params: Params;
}

export function renderTrialEnv(
  base: NodeJS.ProcessEnv,
  extra: readonly EnvVar[],
  trial: TrialIdentity,
  paths: AttemptPaths,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    // Parameters of some enclosing study must not leak into this one's trials.
    if (value !== undefined && !key.startsWith('KUBETUNE_')) env[key] = value;
  }
  for (const { name, value } of extra) env[name] = value ?? '';
  env[ENV.study] = trial.study;
  env[ENV.trialIndex] = String(trial.index);
  env[ENV.seed] = String(trial.seed);
  env[ENV.paramsFile] = paths.paramsFile;
  env[ENV.resultFile] = paths.resultFile;
  env[ENV.outputDir] = paths.outputDir;
  for (const [name, value] of Object.entries(trial.params)) env[paramEnvName(name)] = paramEnvValue(value);
  return env;
}
