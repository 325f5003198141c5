/**
 * The variation and selection operators of the genetic algorithm, on unit-cube genomes
 * (`Float64Array`, one gene per cube coordinate). Pure functions of their inputs and an `Rng`; no
 * trials, no parameters. Numeric genes are bounded reals in [0, 1] (ints and steps are rounded
 * when the genome is decoded); categorical genes are one of `levels` equal cells, stored as the
 * cell's centre, the way `UnitCube` encodes a categorical value or a subset membership.
 *
 * - `sbx`: simulated binary crossover, bounded (Deb & Agrawal 1995, "Simulated binary crossover
 *   for continuous search space"; Deb's NSGA-II code and DEAP's `cxSimulatedBinaryBounded`): the
 *   spread of the children around the parents follows a polynomial law whose sharpness is `eta`
 *   (large: children close to the parents), adjusted on each side so no child leaves the bounds.
 * - `polynomialMutation`: Deb's bounded polynomial mutation (DEAP's `mutPolynomialBounded`): a
 *   perturbation with the same kind of polynomial law, scaled to the room left on each side.
 * - `crossover`: per gene with probability 1/2, SBX for numeric genes (DEAP's default per-gene
 *   rate) and a swap for categorical ones (uniform crossover, DEAP's `cxUniform`).
 * - `mutate`: per gene with probability `indpb`, polynomial mutation for numeric genes and, for
 *   categorical ones, resampling among the *other* levels (a resample that may return the same
 *   value wastes the mutation).
 * - `tournament`: the best of `size` contestants drawn with replacement (DEAP's `selTournament`).
 */
import type { Rng } from '../rng.js';

/** What kind of value a gene holds. */
export interface Gene {
  readonly kind: 'numeric' | 'categorical';
  /** Number of cells of a categorical gene (1 for a parameter with a single value). */
  readonly levels: number;
}

/** Below this distance two parent genes count as equal and SBX leaves them alone (as Deb's code). */
const SBX_EPS = 1e-14;

/** The spread factor βq of SBX for uniform `r` and the bound-adjusted `alpha`. */
function spread(r: number, alpha: number, eta: number): number {
  return r <= 1 / alpha ? (r * alpha) ** (1 / (eta + 1)) : (1 / (2 - r * alpha)) ** (1 / (eta + 1));
}

/** Bounded simulated binary crossover of two genes in [low, high]; returns the two children. */
export function sbx(x1: number, x2: number, eta: number, rng: Rng, low = 0, high = 1): [number, number] {
  if (Math.abs(x1 - x2) <= SBX_EPS) return [x1, x2];
  const a = Math.min(x1, x2);
  const b = Math.max(x1, x2);
  const r = rng.next();
  // Lower child: the spread distribution is truncated so that it cannot pass `low`.
  const betaLow = 1 + (2 * (a - low)) / (b - a);
  const c1 = 0.5 * (a + b - spread(r, 2 - betaLow ** -(eta + 1), eta) * (b - a));
  // Upper child, truncated at `high`, with the same uniform draw (children are symmetric).
  const betaHigh = 1 + (2 * (high - b)) / (b - a);
  const c2 = 0.5 * (a + b + spread(r, 2 - betaHigh ** -(eta + 1), eta) * (b - a));
  const lo = Math.min(high, Math.max(low, c1));
  const hi = Math.min(high, Math.max(low, c2));
  // Which parent position receives which child is itself random.
  return rng.next() < 0.5 ? [hi, lo] : [lo, hi];
}

/** Bounded polynomial mutation of a gene in [low, high]. */
export function polynomialMutation(x: number, eta: number, rng: Rng, low = 0, high = 1): number {
  const width = high - low;
  if (!(width > 0)) return x;
  const r = rng.next();
  const power = 1 / (eta + 1);
  let delta: number;
  if (r < 0.5) {
    const room = 1 - (x - low) / width;
    delta = (2 * r + (1 - 2 * r) * room ** (eta + 1)) ** power - 1;
  } else {
    const room = 1 - (high - x) / width;
    delta = 1 - (2 * (1 - r) + 2 * (r - 0.5) * room ** (eta + 1)) ** power;
  }
  return Math.min(high, Math.max(low, x + delta * width));
}

/** Centre of cell `level` of a categorical gene. */
export function cellCentre(level: number, levels: number): number {
  return (level + 0.5) / levels;
}

/** A categorical gene moved to a different cell, uniformly among the others. */
export function resampleLevel(x: number, levels: number, rng: Rng): number {
  if (levels <= 1) return x;
  const current = Math.min(levels - 1, Math.max(0, Math.floor(x * levels)));
  const other = rng.int(levels - 1);
  return cellCentre(other >= current ? other + 1 : other, levels);
}

/** Crossover of two genomes (see the module comment); the parents are not changed. */
export function crossover(p1: Float64Array, p2: Float64Array, genes: readonly Gene[], eta: number, rng: Rng): [Float64Array, Float64Array] {
  const c1 = Float64Array.from(p1);
  const c2 = Float64Array.from(p2);
  genes.forEach((g, j) => {
    if (rng.next() >= 0.5) return;
    if (g.kind === 'numeric') {
      const [a, b] = sbx(p1[j] as number, p2[j] as number, eta, rng);
      c1[j] = a;
      c2[j] = b;
    } else {
      c1[j] = p2[j] as number;
      c2[j] = p1[j] as number;
    }
  });
  return [c1, c2];
}

/** Mutates gene `j` of `x` in place. */
export function mutateGene(x: Float64Array, j: number, gene: Gene, eta: number, rng: Rng): void {
  x[j] = gene.kind === 'numeric' ? polynomialMutation(x[j] as number, eta, rng) : resampleLevel(x[j] as number, gene.levels, rng);
}

/** A mutated copy of `x`: each gene with probability `indpb`. */
export function mutate(x: Float64Array, genes: readonly Gene[], eta: number, indpb: number, rng: Rng): Float64Array {
  const out = Float64Array.from(x);
  genes.forEach((g, j) => {
    if (rng.next() < indpb) mutateGene(out, j, g, eta, rng);
  });
  return out;
}

/**
 * Index of the winner of a tournament among `losses` (lower is better): `size` contestants drawn
 * uniformly with replacement, ties going to the one listed first.
 */
export function tournament(losses: readonly number[], size: number, rng: Rng): number {
  let best = -1;
  for (let k = 0; k < size; k++) {
    const i = rng.int(losses.length);
    if (best < 0 || (losses[i] as number) < (losses[best] as number) || ((losses[i] as number) === (losses[best] as number) && i < best)) best = i;
  }
  return best;
}
