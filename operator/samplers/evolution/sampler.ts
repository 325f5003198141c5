/**
 * A genetic algorithm in the spirit of DEAP's `eaSimple` (Fortin et al. 2012): generations of
 * `populationSize` trials; each child comes from two parents picked by tournament selection,
 * crossed over with probability `cxpb` and mutated with probability `mutpb`; the best
 * configurations found so far (the hall of fame) stay among the parents (elitism). Robust and
 * embarrassingly parallel — a whole generation can run at once — and at home in mixed, bumpy
 * spaces where model-based samplers struggle; it needs a budget of several generations.
 *
 * **Genomes** are points of the space's unit cube (`UnitCube`): floats and ints (steps and log
 * scales included) are bounded numeric genes varied by simulated binary crossover and polynomial
 * mutation (NSGA-II's operators, Deb et al. 2002), rounded to the parameter's grid when decoded;
 * categorical values and each value of a subset are categorical genes varied by uniform
 * crossover and resampling mutation (`operators.ts`). A parent's gene for a parameter it does not
 * have (inactive under a condition) is filled with a uniform value derived from
 * `(seed, parent's trial index)`, so a child that activates the parameter gets a definite value.
 *
 * **Generations** are fixed blocks of trial indices; the first is uniform random, and the parents
 * of each later one are the previous block's succeeded trials plus the elites (`generations.ts`
 * explains failures, running trials and elitism). Trial `bN + s` is child `s mod 2` of pair
 * `⌊s/2⌋` of generation b, drawn from an rng keyed by `(seed, b, pair, …)`: siblings come from
 * the same two parents, as in DEAP's `varAnd`, and a restarted operator replays the same plan.
 *
 * **Every child is new.** DEAP copies parents that were neither crossed nor mutated into the next
 * generation without evaluating them again; here each child is a trial, so a child equal to one
 * of its parents is mutated on one random gene (up to a few times), and in all-discrete spaces a
 * configuration already tried is replaced (`avoidDuplicates`).
 *
 * ```yaml
 * algorithm:
 *   name: evolution
 *   seed: 7
 *   settings: { populationSize: 24, tournamentSize: 3, cxpb: 0.9, mutpb: 1, elites: 2 }
 * ```
 */
import { paramsKey, type SearchSpace } from '../../space/space.js';
import type { Params } from '../../space/types.js';
import { UnitCube } from '../../space/unit-cube.js';
import { SettingsReader } from '../settings.js';
import { avoidDuplicates } from '../dedupe.js';
import { sampleUniform } from '../random.js';
import { Rng } from '../rng.js';
import { isComplete, lossOf, type SampleContext, type Sampler, type Suggestion, type TrialRecord } from '../types.js';
import { generationOf, type Individual, parentPool } from './generations.js';
import { crossover, type Gene, mutate, mutateGene, tournament } from './operators.js';

/** Named defaults (style.md, "Defaults have names"). */
export const EVOLUTION_DEFAULTS = {
  populationSize: 20,
  tournamentSize: 3,
  cxpb: 0.9,
  mutpb: 1,
  elites: 2,
  etaCrossover: 15,
  etaMutation: 20,
} as const;

/** Forced one-gene mutations tried when a child comes out equal to a parent. */
const MAX_FORCED_MUTATIONS = 8;

export interface EvolutionOptions {
  /** N, trials per generation (integer ≥ 2). Default 20. */
  populationSize?: number;
  /** Contestants per tournament, drawn with replacement (integer ≥ 1); larger selects harder. Default 3. */
  tournamentSize?: number;
  /** Probability that a pair of parents is crossed over, in [0, 1]. Default 0.9 (Deb's NSGA-II). */
  cxpb?: number;
  /** Probability that a child is mutated, in [0, 1]. Default 1: every child, gene by gene at `indpb`. */
  mutpb?: number;
  /** Per-gene mutation probability of a mutated child, in (0, 1]. Default 1 / (number of genes). */
  indpb?: number;
  /** Best configurations of the study kept among the parents (integer, 0 ≤ elites < N). Default 2. */
  elites?: number;
  /** Distribution index of SBX (≥ 0): larger keeps children nearer their parents. Default 15. */
  etaCrossover?: number;
  /** Distribution index of polynomial mutation (≥ 0): larger gives smaller steps. Default 20. */
  etaMutation?: number;
}

/** Validates `algorithm.settings` for `evolution`; bad values are a `SpecError` naming each field. */
export function parseEvolutionSettings(settings: Record<string, unknown> = {}, basePath = '/algorithm/settings'): EvolutionOptions {
  const r = new SettingsReader('evolution', settings, basePath);
  const out: EvolutionOptions = {};
  const set = <K extends keyof EvolutionOptions>(key: K, value: EvolutionOptions[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('populationSize', r.number('populationSize', 2, 100_000, { integer: true }));
  set('tournamentSize', r.number('tournamentSize', 1, 100_000, { integer: true }));
  set('cxpb', r.number('cxpb', 0, 1));
  set('mutpb', r.number('mutpb', 0, 1));
  set('indpb', r.number('indpb', 0, 1, { openMin: true }));
  set('elites', r.number('elites', 0, 100_000, { integer: true }));
  set('etaCrossover', r.number('etaCrossover', 0, 1000));
  set('etaMutation', r.number('etaMutation', 0, 1000));
  const n = out.populationSize ?? EVOLUTION_DEFAULTS.populationSize;
  if (out.elites !== undefined && out.elites >= n) r.fail('elites', `evolution setting elites must be below populationSize (${n}), got ${out.elites}`);
  r.done();
  return out;
}

/** The genes of a space's unit cube, in `UnitCube` order. */
export function genesOf(space: SearchSpace): Gene[] {
  return space.params.flatMap((p): Gene[] => {
    if (p.type === 'float' || p.type === 'int') return [{ kind: 'numeric', levels: Infinity }];
    if (p.type === 'categorical') return [{ kind: 'categorical', levels: p.values.length }];
    return p.values.map(() => ({ kind: 'categorical', levels: 2 }));
  });
}

export class EvolutionSampler implements Sampler {
  readonly name = 'evolution';
  private readonly o: Required<Omit<EvolutionOptions, 'indpb'>> & { indpb: number | undefined };

  constructor(options: EvolutionOptions = {}) {
    this.o = { ...EVOLUTION_DEFAULTS, ...options, indpb: options.indpb };
  }

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    const n = this.o.populationSize;
    const generation = generationOf(ctx.index, n);
    const random = (attempt: number) => sampleUniform(space, new Rng(ctx.seed, 'evolution-random', ctx.index, attempt));
    if (generation === 0) return avoidDuplicates(space, history, ctx, random);

    const cube = new UnitCube(space);
    const done = history.filter(isComplete).filter((t) => t.index < generation * n).map((t) => new TrialIndividual(t, cube, ctx));
    const pool = parentPool(done, generation, n, this.o.elites);
    if (pool.length === 0) return avoidDuplicates(space, history, ctx, random);
    const genes = genesOf(space);
    const slot = ctx.index - generation * n;
    return avoidDuplicates(space, history, ctx, (attempt) => this.child(cube, genes, pool, ctx.seed, generation, slot, attempt));
  }

  /** Child `slot` of `generation` bred from `pool`, on proposal `attempt`. */
  child(cube: UnitCube, genes: readonly Gene[], pool: readonly Individual[], seed: number, generation: number, slot: number, attempt: number): Params {
    const pair = Math.floor(slot / 2);
    const side = slot % 2;
    const pairRng = new Rng(seed, 'evolution', generation, pair, attempt);
    const losses = pool.map((p) => p.loss);
    const p1 = pool[tournament(losses, this.o.tournamentSize, pairRng)] as Individual;
    const p2 = pool[tournament(losses, this.o.tournamentSize, pairRng)] as Individual;
    const children = pairRng.next() < this.o.cxpb ? crossover(p1.genes, p2.genes, genes, this.o.etaCrossover, pairRng) : [Float64Array.from(p1.genes), Float64Array.from(p2.genes)];

    const rng = new Rng(seed, 'evolution', generation, pair, side, attempt);
    let x = children[side] as Float64Array;
    if (rng.next() < this.o.mutpb) x = mutate(x, genes, this.o.etaMutation, this.o.indpb ?? 1 / Math.max(1, genes.length), rng);
    let params = cube.decode(x);
    for (let k = 0; k < MAX_FORCED_MUTATIONS && genes.length > 0 && (paramsKey(params) === p1.key || paramsKey(params) === p2.key); k++) {
      const j = rng.int(genes.length);
      mutateGene(x, j, genes[j] as Gene, this.o.etaMutation, rng);
      params = cube.decode(x);
    }
    return params;
  }
}

/**
 * A succeeded trial as an individual. Genes and key are computed on first use: of a long study's
 * trials, only the parents and the head of the hall of fame ever need them.
 */
class TrialIndividual implements Individual {
  readonly index: number;
  readonly loss: number;
  private genome: Float64Array | undefined;
  private configKey: string | undefined;

  constructor(
    private readonly trial: TrialRecord & { value: number },
    private readonly cube: UnitCube,
    private readonly ctx: SampleContext,
  ) {
    this.index = trial.index;
    this.loss = lossOf(trial.value, ctx.goal);
  }

  /** The unit-cube genome; genes of inactive parameters filled from `(seed, trial index)`. */
  get genes(): Float64Array {
    if (this.genome === undefined) {
      const genes = this.cube.encode(this.trial.params);
      const fill = new Rng(this.ctx.seed, 'evolution-fill', this.index);
      for (let j = 0; j < genes.length; j++) {
        const u = fill.next(); // drawn for every gene so that each gene's fill is fixed
        if (Number.isNaN(genes[j])) genes[j] = u;
      }
      this.genome = genes;
    }
    return this.genome;
  }

  get key(): string {
    return (this.configKey ??= paramsKey(this.trial.params));
  }
}
