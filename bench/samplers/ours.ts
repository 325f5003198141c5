/**
 * Our side of the samplers benchmark: one study per (problem, sampler, seed), sequential
 * ask/tell through the library's `Study` exactly as a user would write it, with the sampler's
 * default settings and the study seed.
 */
import { Study } from '../../operator/engine/study.js';
import { samplerNames } from '../../operator/samplers/registry.js';
import { type Problem, regretOf } from './problems.js';

/** Our samplers in the benchmark, in table order. */
export const OUR_SAMPLERS = ['tpe', 'random', 'sobol'] as const;

export function isRegistered(sampler: string): boolean {
  return samplerNames().includes(sampler);
}

/**
 * Best-so-far regret after each trial count in `checkpoints` (ascending; the last is the budget).
 * `settings` are the sampler's `algorithm.settings` (default: none, the sampler's defaults).
 */
export function runOurs(problem: Problem, sampler: string, seed: number, checkpoints: readonly number[], settings: Record<string, unknown> = {}): number[] {
  const study = new Study({
    objective: { metric: 'value', goal: 'minimize' },
    parameters: problem.parameters,
    algorithm: { name: sampler, seed, settings },
  });
  const trials = checkpoints[checkpoints.length - 1] ?? 0;
  const curve: number[] = [];
  let best = Infinity;
  for (let t = 1; t <= trials; t++) {
    const { index, params } = study.ask();
    const value = problem.evaluate(params);
    study.tell(index, value);
    best = Math.min(best, value);
    if (checkpoints.includes(t)) curve.push(regretOf(problem, best));
  }
  return curve;
}
