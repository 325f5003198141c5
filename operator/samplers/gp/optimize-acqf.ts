/**
 * Maximises an acquisition function over a mixed box of continuous, discrete and categorical
 * coordinates, after Optuna 5.0's `optuna/_gp/optim_mixed.py`:
 *
 * 1. score every preliminary candidate in one batch (the caller passes digitally shifted Sobol'
 *    points, candidates.ts, already repaired to legal points);
 * 2. start a local search from the best candidate, from each warm start (the best observed
 *    point), and from candidates drawn by roulette with weights exp(value - max) — good regions
 *    get several starts, but not all of them;
 * 3. each local search cycles through the coordinates until a full cycle changes nothing:
 *    - continuous coordinates: projected L-BFGS on z = x/ℓ (the coordinates divided by their
 *      lengthscales, which makes the acquisition roughly isotropic and the search well
 *      conditioned), then `repair` (snapping relaxed discrete coordinates) and re-scoring;
 *    - each discrete or categorical coordinate in turn, all moves scored in one batch: every
 *      choice of a grid of at most `EXHAUSTIVE_CHOICES` and of a categorical of at most
 *      `MAX_CATEGORICAL_MOVES` + 1 values (a random `MAX_CATEGORICAL_MOVES` of a larger one);
 *      on larger grids the neighbours at ±1, ±2, ±4, … positions (a pattern search that reaches
 *      any point in a logarithmic number of moves; Optuna uses a Brent line search here);
 * 4. return the local-search results best first, followed by the best remaining candidates —
 *    a ranked list, so a caller that must skip repeats (a discrete space) takes the next.
 *
 * The problem is given as arrays and callbacks; this module knows nothing of trials or spaces.
 */
import { minimize } from './lbfgs.js';
import type { Rng } from '../rng.js';

export type DimKind =
  /** Moved by gradient steps; `repair` may snap it afterwards (a relaxed discrete parameter). */
  | { readonly kind: 'continuous' }
  /** An ordered grid of coordinates, ascending. */
  | { readonly kind: 'discrete'; readonly choices: Float64Array }
  /** Unordered choices (the coordinate values that stand for each). */
  | { readonly kind: 'categorical'; readonly choices: Float64Array };

export interface AcquisitionProblem {
  readonly dims: readonly DimKind[];
  /** Lengthscale per coordinate, for preconditioning the continuous search. */
  readonly lengthscales: Float64Array;
  /** Acquisition value at row `row` of `xs`. */
  value(xs: Float64Array, row: number): number;
  /** Acquisition values at the first `count` rows of `xs`, into `out` (a faster `value` loop). */
  valueBatch(xs: Float64Array, count: number, out: Float64Array): void;
  /** Value at `x` and its gradient with respect to each coordinate (continuous ones are used). */
  valueWithGrad(x: Float64Array, grad: Float64Array): number;
  /** Makes `x` a legal point in place (snap to grids, subset sizes, …). */
  repair(x: Float64Array): void;
  /** Box the continuous search stays in (default the cube), e.g. a trust region. */
  readonly lower?: Float64Array;
  readonly upper?: Float64Array;
}

export interface OptimizeOptions {
  /** Preliminary candidates, `count` legal rows. */
  readonly candidates: Float64Array;
  readonly count: number;
  /** Extra local-search starts (rows), e.g. the best observed point. */
  readonly warmStarts?: Float64Array;
  readonly warmStartCount?: number;
  /** Local searches from candidates (the best one plus roulette picks). Default 10. */
  readonly localSearches?: number;
  /** Most cycles of the local search over all coordinate groups. Default 10. */
  readonly maxRounds?: number;
  /** L-BFGS iterations per continuous phase. Default 30. */
  readonly maxIter?: number;
  /** Stream for the roulette and the sampled moves of large categoricals. */
  readonly rng: Rng;
}

export interface ScoredPoint {
  readonly x: Float64Array;
  readonly value: number;
}

/** Grids up to this size are searched exhaustively, coordinate by coordinate. */
export const EXHAUSTIVE_CHOICES = 16;
/**
 * A categorical coordinate with more values tries this many other values per step, drawn at
 * random: exhaustive moves over hundreds of values in every round of every local search would
 * dominate the cost, and the screening has already scored every value several times.
 */
export const MAX_CATEGORICAL_MOVES = 32;
/** Smallest gain of the log acquisition that counts as progress of the continuous step. */
const MIN_GAIN = 1e-6;
/** Length of the ranked list returned. */
const RANKED = 32;

export function optimizeAcquisition(problem: AcquisitionProblem, options: OptimizeOptions): ScoredPoint[] {
  const d = problem.dims.length;
  const { candidates, count } = options;
  const values = new Float64Array(count);
  problem.valueBatch(candidates, count, values);
  let bestIndex = 0;
  for (let r = 0; r < count; r++) {
    const v = values[r] as number;
    values[r] = Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY;
    if ((values[r] as number) > (values[bestIndex] as number)) bestIndex = r;
  }

  // Starts: the best candidate, roulette picks (without replacement), the warm starts.
  const starts: number[] = count > 0 ? [bestIndex] : [];
  const picks = Math.max(0, (options.localSearches ?? 10) - 1);
  const maxValue = values[bestIndex] as number;
  const weights = new Float64Array(count);
  let total = 0;
  for (let r = 0; r < count; r++) {
    const w = r === bestIndex || !Number.isFinite(maxValue) ? 0 : Math.exp((values[r] as number) - maxValue);
    weights[r] = w;
    total += w;
  }
  for (let k = 0; k < picks && total > 0; k++) {
    const r = options.rng.choice(weights);
    starts.push(r);
    total -= weights[r] as number;
    weights[r] = 0;
  }

  const results: ScoredPoint[] = [];
  for (const r of starts) {
    const x = candidates.slice(r * d, r * d + d);
    results.push(localSearch(problem, x, values[r] as number, options));
  }
  const warmCount = options.warmStartCount ?? 0;
  for (let w = 0; w < warmCount; w++) {
    const x = (options.warmStarts as Float64Array).slice(w * d, w * d + d);
    problem.repair(x);
    results.push(localSearch(problem, x, problem.value(x, 0), options));
  }

  // Ranked: local optima, then the rest of the candidates, best first, no exact duplicates.
  const startSet = new Set(starts);
  const order = Array.from({ length: count }, (_, r) => r)
    .filter((r) => !startSet.has(r))
    .sort((a, b) => (values[b] as number) - (values[a] as number) || a - b)
    .slice(0, RANKED);
  const ranked = [...results].sort((a, b) => b.value - a.value);
  for (const r of order) ranked.push({ x: candidates.slice(r * d, r * d + d), value: values[r] as number });
  const seen = new Set<string>();
  return ranked.filter((p) => {
    const key = Array.from(p.x).join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Cyclic ascent from `x` (modified in place) over the groups [all continuous coordinates, each
 * discrete or categorical coordinate]. It stops once every group has been searched since the last
 * improvement (Optuna's rule: "back at the last changed dimension"), or after `maxRounds` cycles.
 */
export function localSearch(problem: AcquisitionProblem, x: Float64Array, value: number, options: Pick<OptimizeOptions, 'maxRounds' | 'maxIter' | 'rng'>): ScoredPoint {
  const { dims, lengthscales } = problem;
  const continuous = dims.flatMap((dim, j) => (dim.kind === 'continuous' ? [j] : []));
  // Group -1: the continuous coordinates together; otherwise one discrete or categorical coordinate.
  const groups = [...(continuous.length > 0 ? [-1] : []), ...dims.flatMap((dim, j) => (dim.kind === 'continuous' ? [] : [j]))];
  const maxSteps = (options.maxRounds ?? 10) * groups.length;
  let f = value;
  let quiet = 0; // groups searched in a row without improvement
  for (let step = 0; step < maxSteps && quiet < groups.length; step++) {
    const group = groups[step % groups.length] as number;
    const dim = dims[group];
    const moved =
      group === -1
        ? continuousStep(problem, x, f, continuous, lengthscales, options.maxIter ?? 30)
        : dim !== undefined && dim.kind !== 'continuous'
          ? discreteStep(problem, x, f, group, dim, options.rng)
          : undefined;
    if (moved !== undefined) {
      x.set(moved.x);
      f = moved.value;
      quiet = 1; // this group just moved; the others must be searched again
    } else {
      quiet++;
    }
  }
  return { x, value: f };
}

function continuousStep(problem: AcquisitionProblem, x: Float64Array, f: number, cont: number[], ls: Float64Array, maxIter: number): ScoredPoint | undefined {
  const m = cont.length;
  const z0 = new Float64Array(m);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const j = cont[k] as number;
    const l = ls[j] as number;
    lower[k] = (problem.lower?.[j] ?? 0) / l;
    upper[k] = (problem.upper?.[j] ?? 1) / l;
    z0[k] = Math.min(upper[k] as number, Math.max(lower[k] as number, (x[j] as number) / l));
  }
  const trial = Float64Array.from(x);
  const grad = new Float64Array(x.length);
  const result = minimize(
    (z, g) => {
      for (let k = 0; k < m; k++) trial[cont[k] as number] = (z[k] as number) * (ls[cont[k] as number] as number);
      const v = problem.valueWithGrad(trial, grad);
      for (let k = 0; k < m; k++) g[k] = -(grad[cont[k] as number] as number) * (ls[cont[k] as number] as number);
      return Number.isFinite(v) ? -v : Number.POSITIVE_INFINITY;
    },
    z0,
    { lower, upper, maxIter, gtol: 1e-2, ftol: 1e-6 },
  );
  if (result.iterations === 0) return undefined;
  for (let k = 0; k < m; k++) {
    const j = cont[k] as number;
    trial[j] = Math.min(problem.upper?.[j] ?? 1, Math.max(problem.lower?.[j] ?? 0, (result.x[k] as number) * (ls[j] as number)));
  }
  problem.repair(trial);
  const v = problem.value(trial, 0);
  // A gain below MIN_GAIN (log units: a relative change of the acquisition) is convergence, not
  // progress; counting it would keep every local search going for all its rounds.
  return v > f + MIN_GAIN ? { x: trial, value: v } : undefined;
}

function discreteStep(problem: AcquisitionProblem, x: Float64Array, f: number, j: number, dim: { readonly choices: Float64Array; readonly kind: string }, rng: Rng): ScoredPoint | undefined {
  const { choices } = dim;
  if (choices.length <= 1) return undefined;
  let current = 0;
  for (let c = 1; c < choices.length; c++) {
    if (Math.abs((choices[c] as number) - (x[j] as number)) < Math.abs((choices[current] as number) - (x[j] as number))) current = c;
  }
  let tries: number[] = [];
  if (choices.length <= EXHAUSTIVE_CHOICES || dim.kind === 'categorical') {
    for (let c = 0; c < choices.length; c++) if (c !== current) tries.push(c);
    if (tries.length > MAX_CATEGORICAL_MOVES) tries = rng.shuffle(tries).slice(0, MAX_CATEGORICAL_MOVES);
  } else {
    for (let step = 1; step < choices.length; step *= 2) {
      if (current - step >= 0) tries.push(current - step);
      if (current + step < choices.length) tries.push(current + step);
    }
  }
  // Score every move at once (the batched prediction is several times faster than one by one).
  const d = x.length;
  const moves = new Float64Array(tries.length * d);
  tries.forEach((c, t) => {
    moves.set(x, t * d);
    moves[t * d + j] = choices[c] as number;
    const row = moves.subarray(t * d, t * d + d);
    problem.repair(row);
  });
  const values = new Float64Array(tries.length);
  problem.valueBatch(moves, tries.length, values);
  let best = -1;
  for (let t = 0; t < tries.length; t++) if ((values[t] as number) > (best < 0 ? f : (values[best] as number))) best = t;
  return best < 0 ? undefined : { x: moves.slice(best * d, best * d + d), value: values[best] as number };
}
