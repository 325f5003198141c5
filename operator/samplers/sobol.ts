/**
 * Scrambled Sobol' sampler: a low-discrepancy sequence over the unit cube of the space, so that
 * the first n trials cover it far more evenly than n random draws — no clumps, no holes. Useful on
 * its own for small budgets and space-filling designs, and as the start-up phase of model-based
 * samplers.
 *
 * **Sequence.** Sobol' points in Gray-code order (as Joe & Kuo's sobol.cc and SciPy's
 * `scipy.stats.qmc.Sobol` produce them), 32 bits per coordinate, with Joe & Kuo's direction
 * numbers new-joe-kuo-6.21201 for up to `MAX_SOBOL_DIMS` (1,111) coordinates. Unscrambled, trial 0
 * is the origin and trial 1 the centre; the test suite checks every dimension against SciPy.
 *
 * **Scrambling.** Owen's nested uniform scrambling (Owen 1995, 1998), realised with a hash instead
 * of stored permutations (the idea of Burley 2020, "Practical Hash-based Owen Scrambling", done
 * digit by digit): digit j of a coordinate (j = 0 the most significant) is flipped when a hash of
 * `(seed, dimension, j, the j unscrambled digits above it)` says so. Every node of the binary tree
 * of intervals thus gets its own random flip, which is exactly Owen's scramble: each point becomes
 * uniform on [0, 1) and every (t, m, s)-net property of the sequence survives (the first 2^k points
 * still put one point in each of the 2^k equal cells of every coordinate). Below the 32nd digit the
 * coordinate is filled with 21 hashed bits, so values are full doubles rather than multiples of
 * 2^-32. SciPy's default is a different scramble (a random linear matrix and a digital shift,
 * Matoušek's LMS + shift) with the same net property; Owen's is the stronger randomisation.
 *
 * **Indexing.** The scramble depends only on the study's seed, and trial i takes point number i:
 * a shared index, a pure function of `(seed, trial index)`. Trials planned in parallel have
 * different indices and so get different points without looking at each other, and a restarted
 * operator replays the same plan. (The alternative, "the first point no trial in the history has
 * used", would need the sequence position stored with each trial and breaks when a trial record is
 * lost; trial indices are already unique and durable.) Trials planned by another sampler leave
 * their points unused — a Sobol' prefix with gaps is still well spread.
 *
 * **Spaces.** Parameters map to coordinates through `UnitCube` (a subset parameter takes one
 * coordinate per value; inactive conditional parameters' coordinates are ignored). Coordinates past
 * `MAX_SOBOL_DIMS` are uniform random, derived from `(seed, index)`. In an all-discrete space a
 * point that repeats a configuration already in the history is replaced by a random unseen one
 * (`avoidDuplicates`), and the sampler says "exhausted" once all have been tried.
 *
 * ```ts
 * const study = new Study({ objective, parameters, algorithm: { name: 'sobol', seed: 7 } });
 * ```
 */
import type { SearchSpace } from '../space/space.js';
import { UnitCube } from '../space/unit-cube.js';
import { avoidDuplicates } from './dedupe.js';
import { sampleUniform } from './random.js';
import { Rng } from './rng.js';
import { SettingsReader } from './settings.js';
import { JOE_KUO_D6, MAX_SOBOL_DIMS } from './sobol-data/new-joe-kuo-6.js';
import type { SampleContext, Sampler, Suggestion, TrialRecord } from './types.js';

export { MAX_SOBOL_DIMS };

/** Digits per coordinate; the sequence has 2^32 points before it would repeat. */
const BITS = 32;
const TWO_32 = 2 ** 32;

/** Direction numbers of every dimension, V_1..V_32 scaled by 2^32, dimension d at [32 d, 32 d + 32). */
let directions: Uint32Array | undefined;

/** Parses the Joe & Kuo table and runs their recurrence once, on first use. */
function directionTable(): Uint32Array {
  if (directions !== undefined) return directions;
  const v = new Uint32Array(MAX_SOBOL_DIMS * BITS);
  // Dimension 1: every m_i = 1, i.e. the van der Corput sequence in base 2.
  for (let i = 0; i < BITS; i++) v[i] = 2 ** (BITS - 1 - i);
  const lines = JOE_KUO_D6.trim().split('\n');
  lines.forEach((line, row) => {
    const [s, a, ...m] = line.trim().split(' ').map(Number) as [number, number, ...number[]];
    const base = (row + 1) * BITS;
    // V_i = m_i / 2^i for i <= s (stored as m_i << (32 - i)); past s, Joe & Kuo's recurrence
    // V_i = a_1 V_{i-1} ^ ... ^ a_{s-1} V_{i-s+1} ^ V_{i-s} ^ (V_{i-s} >> s).
    for (let i = 0; i < BITS; i++) {
      if (i < s) {
        v[base + i] = ((m[i] as number) * 2 ** (BITS - 1 - i)) >>> 0;
        continue;
      }
      let x = (v[base + i - s] as number) ^ ((v[base + i - s] as number) >>> s);
      for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x ^= v[base + i - k] as number;
      v[base + i] = x >>> 0;
    }
  });
  if (lines.length !== MAX_SOBOL_DIMS - 1) throw new Error(`Sobol' table holds ${lines.length + 1} dimensions, expected ${MAX_SOBOL_DIMS}`);
  return (directions = v);
}

/**
 * Coordinate `dim` (0-based) of unscrambled Sobol' point number `index`, as a 32-bit integer
 * (the coordinate times 2^32). Points come in Gray-code order, as SciPy draws them.
 */
export function sobolInteger(index: number, dim: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= TWO_32) throw new RangeError(`Sobol' index must be an integer in [0, 2^32), got ${index}`);
  if (!Number.isInteger(dim) || dim < 0 || dim >= MAX_SOBOL_DIMS) throw new RangeError(`Sobol' dimension must be in [0, ${MAX_SOBOL_DIMS}), got ${dim}`);
  const v = directionTable();
  let gray = (index ^ (index >>> 1)) >>> 0;
  let x = 0;
  for (let bit = dim * BITS; gray !== 0; gray >>>= 1, bit++) if (gray & 1) x ^= v[bit] as number;
  return x >>> 0;
}

/** murmur3's 32-bit finaliser. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The per-dimension keys of a scramble. */
export interface ScrambleKey {
  readonly flip: number;
  readonly tail: number;
}

/** The scramble of dimension `dim` under `seed`: two hash keys, a pure function of both. */
export function scrambleKey(seed: number, dim: number): ScrambleKey {
  const rng = new Rng(seed, 'sobol-scramble', dim);
  return { flip: rng.nextUint32(), tail: rng.nextUint32() };
}

/**
 * Owen-scrambles a 32-bit coordinate `x` and returns it in [0, 1): digit j flips when the hash of
 * the tree node `(j, top j digits of x)` says so, and the digits below the 32nd are hashed too.
 */
export function owenScramble(x: number, key: ScrambleKey): number {
  let y = x >>> 0;
  for (let j = 0; j < BITS; j++) {
    // Node id in heap numbering: 2^j + (the j digits above digit j) — unique over the tree.
    const prefix = j === 0 ? 0 : x >>> (BITS - j);
    const node = (2 ** j + prefix) >>> 0;
    const h = fmix32(fmix32((node ^ key.flip) >>> 0) + Math.imul(j + 1, 0x9e3779b9));
    if (h & 1) y ^= 2 ** (BITS - 1 - j);
  }
  const tail = fmix32(fmix32((x ^ key.tail) >>> 0) + 0x6a09e667) >>> 11; // 21 more bits
  return ((y >>> 0) * 2 ** 21 + tail) / 2 ** 53;
}

/**
 * Point number `index` of the Sobol' sequence in `dims` dimensions: scrambled with `seed`, or the
 * plain sequence (multiples of 2^-32) when `seed` is undefined. Needs `dims <= MAX_SOBOL_DIMS`.
 */
export function sobolPoint(index: number, dims: number, seed?: number): Float64Array {
  if (dims > MAX_SOBOL_DIMS) throw new RangeError(`Sobol' points have at most ${MAX_SOBOL_DIMS} dimensions, asked for ${dims}`);
  const u = new Float64Array(dims);
  for (let d = 0; d < dims; d++) {
    const x = sobolInteger(index, d);
    u[d] = seed === undefined ? x / TWO_32 : owenScramble(x, scrambleKey(seed, d));
  }
  return u;
}

export interface SobolSamplerOptions {
  /** Owen-scramble the sequence with the study's seed (default true). Unscrambled, every study
   * gets the same points, starting with the corner (0, …, 0) — useful for tests, rarely otherwise. */
  scramble?: boolean;
}

export class SobolSampler implements Sampler {
  readonly name = 'sobol';
  private readonly scramble: boolean;
  private readonly cubes = new WeakMap<SearchSpace, UnitCube>();

  constructor(options: SobolSamplerOptions = {}) {
    const r = new SettingsReader('sobol', options as Record<string, unknown>);
    this.scramble = r.boolean('scramble') ?? true;
    r.done();
  }

  /** The unit-cube point of trial `index` for a study seeded with `seed`. */
  point(index: number, dims: number, seed: number, rng: Rng): Float64Array {
    const head = sobolPoint(index, Math.min(dims, MAX_SOBOL_DIMS), this.scramble ? seed : undefined);
    if (dims <= MAX_SOBOL_DIMS) return head;
    const u = new Float64Array(dims);
    u.set(head);
    const extra = rng.derive('sobol-extra');
    for (let d = MAX_SOBOL_DIMS; d < dims; d++) u[d] = extra.next();
    return u;
  }

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    let cube = this.cubes.get(space);
    if (cube === undefined) this.cubes.set(space, (cube = new UnitCube(space)));
    const sobol = cube;
    return avoidDuplicates(space, history, ctx, (attempt) =>
      attempt === 0
        ? sobol.decode(this.point(ctx.index, sobol.dims, ctx.seed, ctx.rng))
        : sampleUniform(space, ctx.rng.derive('sobol-dedupe', attempt)),
    );
  }
}
