/**
 * The run shape the samplers and strategies benchmarks share: the test problems of
 * bench/samplers/problems.json, a trial budget and seeds 0..n−1 on both sides, and the
 * checkpoints where best-so-far regret is read. The standard run is 20 seeds × 200 trials on
 * every problem; `--seeds`, `--trials` and `--problems` shrink it (still written, marked
 * non-standard), `--quick` runs our side against frozen Optuna figures.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type Problem, problems } from '../samplers/problems.js';

export const STANDARD_TRIALS = 200;
export const STANDARD_SEEDS = 20;
export const QUICK_SEEDS = 5;
const CHECKPOINTS = [25, 50, 100, 200];

export interface ProblemRun {
  quick: boolean;
  seeds: number;
  trials: number;
  problems: readonly Problem[];
  /** The standard size on every problem (a `--quick` run: 5 seeds). */
  standard: boolean;
}

/** Reads the shared flags and the benchmark's own `extra` ones (returned in `values`). */
export function parseProblemRun<E extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  extra: E = {} as E,
): ProblemRun & { values: Record<string, string | boolean | undefined> } {
  const parsed = parseArgs({
    args,
    options: { quick: { type: 'boolean' }, seeds: { type: 'string' }, trials: { type: 'string' }, problems: { type: 'string' }, ...extra },
    strict: true,
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const quick = values.quick === true;
  const seeds = Number(values.seeds ?? (quick ? QUICK_SEEDS : STANDARD_SEEDS));
  const trials = Number(values.trials ?? STANDARD_TRIALS);
  if (!(Number.isInteger(seeds) && seeds >= 1 && Number.isInteger(trials) && trials >= 1)) throw new Error('--seeds and --trials must be positive integers');
  const names = typeof values.problems === 'string' ? values.problems.split(',') : undefined;
  const chosen = names === undefined ? problems : problems.filter((p) => names.includes(p.name));
  if (names !== undefined && chosen.length !== names.length) throw new Error(`unknown problem in ${names.join(',')}; known: ${problems.map((p) => p.name).join(', ')}`);
  const standard = trials === STANDARD_TRIALS && seeds === (quick ? QUICK_SEEDS : STANDARD_SEEDS) && names === undefined;
  return { quick, seeds, trials, problems: chosen, standard, values };
}

/** Where best-so-far regret is read: the standard checkpoints below `trials`, then `trials`. */
export function checkpointsFor(trials: number): number[] {
  return [...new Set([...CHECKPOINTS.filter((c) => c < trials), trials])];
}
