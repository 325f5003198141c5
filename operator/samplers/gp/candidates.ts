/**
 * Preliminary candidates for the acquisition search: the first `count` points of the Sobol'
 * sequence over the GP's coordinates, randomised per suggestion. They cover the cube more evenly
 * than as many random points (every coordinate exactly stratified at powers of two), so fewer
 * good regions go unscored before the local search picks its starting points.
 * Pure: a count, a dimension and a random stream in, a row-major matrix out.
 */
import type { Rng } from '../rng.js';
import { MAX_SOBOL_DIMS, sobolInteger } from '../sobol.js';

/** Unscrambled Sobol' integers, `count` points × `d` dims, cached: they depend on nothing else. */
const sobolCache = new Map<string, Uint32Array>();

function sobolIntegers(count: number, d: number): Uint32Array {
  const key = `${count}x${d}`;
  let table = sobolCache.get(key);
  if (table === undefined) {
    table = new Uint32Array(count * d);
    for (let r = 0; r < count; r++) for (let j = 0; j < d; j++) table[r * d + j] = sobolInteger(r, j);
    if (sobolCache.size > 16) sobolCache.clear(); // a few spaces per operator; never grows unbounded
    sobolCache.set(key, table);
  }
  return table;
}

/**
 * `count` Sobol' points in [0, 1)^d, randomised by a digital shift: each coordinate's 32 bits are
 * XORed with a random word per dimension (from `rng`), plus a random offset below 2^-32.
 * A digital shift keeps the (t, m, s)-net property of the first 2^k points (the "shift" half of
 * SciPy's LMS+shift scramble) at the cost of one XOR per coordinate; the full Owen scramble of
 * sobol.ts is ~30× dearer and buys nothing for acquisition candidates. Coordinates past
 * `MAX_SOBOL_DIMS` are uniform random.
 */
export function sobolCandidates(count: number, d: number, rng: Rng): Float64Array {
  const sobolDims = Math.min(d, MAX_SOBOL_DIMS);
  const table = sobolIntegers(count, sobolDims);
  const shifts = Uint32Array.from({ length: sobolDims }, () => rng.nextUint32());
  const tails = Float64Array.from({ length: sobolDims }, () => rng.next() / 2 ** 32);
  const out = new Float64Array(count * d);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < d; j++) {
      out[r * d + j] = j < sobolDims ? (((table[r * sobolDims + j] as number) ^ (shifts[j] as number)) >>> 0) / 2 ** 32 + (tails[j] as number) : rng.next();
    }
  }
  return out;
}
