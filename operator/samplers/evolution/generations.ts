/**
 * The generational bookkeeping of the genetic algorithm: which trials form a generation, which
 * of them breed the next one, and the hall of fame. Pure functions of scored individuals; the
 * sampler turns trials into individuals.
 *
 * **Generations are blocks of trial indices.** Generation b is trials `[b N, (b + 1) N)` for a
 * population size N — a fixed, durable assignment, so that a restarted operator sees the same
 * generations without any stored state. Generation 0 is random.
 *
 * **Parents of generation b ≥ 1** are the population left by generation b − 1, as in DEAP's
 * `eaSimple` where offspring replace their parents entirely, plus elitism:
 * 1. the succeeded trials of block b − 1 (failed, pruned and NaN ones have no fitness and drop
 *    out, as an individual that did not survive);
 * 2. topped up to N with the most recent succeeded trials before that block, when block b − 1 has
 *    fewer than N (trials that failed, or that are still running while generation b starts: with
 *    parallel trials, the first children of a generation are planned before the last trials of the
 *    previous one finish, and waiting for them would leave workers idle);
 * 3. the `elites` best trials of the whole study so far (the head of the hall of fame) join, and
 *    the worst of the others leave to keep N — so the best configuration ever found is always a
 *    candidate parent (DEAP's HallOfFame, used for elitism).
 *
 * Unlike DEAP, an elite is not evaluated again: in a tuning study an evaluation is a trial, and
 * re-running a configuration only measures its noise (use `repeats` for that).
 */

/** A succeeded trial as the genetic algorithm sees it. */
export interface Individual {
  readonly index: number;
  /** Unit-cube genome. */
  readonly genes: Float64Array;
  /** The loss to minimise. */
  readonly loss: number;
  /** Configuration key (`paramsKey`), so the hall of fame holds distinct configurations. */
  readonly key: string;
}

/** The generation (block) trial `index` belongs to. */
export function generationOf(index: number, populationSize: number): number {
  return Math.floor(index / populationSize);
}

const byLossThenIndex = (a: Individual, b: Individual) => a.loss - b.loss || a.index - b.index;

/**
 * The `size` best distinct configurations among `individuals`, best first (ties: earliest trial).
 * A configuration evaluated more than once is represented by its best trial.
 */
export function hallOfFame(individuals: readonly Individual[], size: number): Individual[] {
  const seen = new Set<string>();
  const out: Individual[] = [];
  for (const ind of [...individuals].sort(byLossThenIndex)) {
    if (out.length >= size) break;
    if (seen.has(ind.key)) continue;
    seen.add(ind.key);
    out.push(ind);
  }
  return out;
}

/**
 * The parents of generation `generation` (≥ 1), in trial order, from the succeeded trials planned
 * before it (`done`, any order; later ones are ignored). Empty when nothing has succeeded yet.
 */
export function parentPool(done: readonly Individual[], generation: number, populationSize: number, elites: number): Individual[] {
  const start = generation * populationSize;
  const previousStart = start - populationSize;
  const before = done.filter((d) => d.index < start).sort((a, b) => a.index - b.index);
  const offspring = before.filter((d) => d.index >= previousStart);
  // Top up from the most recent earlier trials, newest first.
  for (let i = before.length - 1; i >= 0 && offspring.length < populationSize; i--) {
    const d = before[i] as Individual;
    if (d.index < previousStart) offspring.push(d);
  }
  const elite = hallOfFame(before, elites);
  const eliteIndices = new Set(elite.map((e) => e.index));
  const others = offspring.filter((d) => !eliteIndices.has(d.index)).sort(byLossThenIndex);
  const pool = [...elite, ...others.slice(0, Math.max(0, populationSize - elite.length))];
  return pool.sort((a, b) => a.index - b.index);
}
