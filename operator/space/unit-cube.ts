/**
 * The unit-cube view of a space, for samplers that think in `[0, 1]^d` (random, Sobol, GP,
 * CMA-ES, evolution): every parameter owns a fixed slice of coordinates —
 *
 * - float / int: one coordinate, through `numericToUnit` (log scale and step padding included);
 * - categorical with n values: one coordinate, value i owning `[i/n, (i+1)/n)`;
 * - subset of n values: n coordinates, value i chosen when its coordinate is >= 0.5, then
 *   repaired to the allowed size by the coordinates themselves (the highest excluded join, the
 *   lowest included leave), so decoding is deterministic and total.
 *
 * Coordinates of inactive parameters are ignored by `decode` and encoded as NaN.
 */
import { numericFromUnit, numericToUnit } from './numeric.js';
import type { SearchSpace } from './space.js';
import type { ParamSpec, Params, ParamValue, SubsetParam } from './types.js';

export class UnitCube {
  /** Number of coordinates. */
  readonly dims: number;
  private readonly offsets: ReadonlyMap<string, number>;

  constructor(readonly space: SearchSpace) {
    const offsets = new Map<string, number>();
    let dims = 0;
    for (const p of space.params) {
      offsets.set(p.name, dims);
      dims += p.type === 'subset' ? p.values.length : 1;
    }
    this.offsets = offsets;
    this.dims = dims;
  }

  /** First coordinate of `name`'s slice. */
  offset(name: string): number {
    const o = this.offsets.get(name);
    if (o === undefined) throw new RangeError(`no parameter named ${JSON.stringify(name)}`);
    return o;
  }

  /** Point of the cube → parameters (only the active ones). */
  decode(u: ArrayLike<number>): Params {
    if (u.length !== this.dims) throw new RangeError(`expected ${this.dims} coordinates, got ${u.length}`);
    return this.space.assemble((p) => this.decodeParam(p, u, this.offset(p.name)));
  }

  /** Parameters → point of the cube (NaN for inactive parameters' coordinates). */
  encode(params: Params): Float64Array {
    const u = new Float64Array(this.dims).fill(Number.NaN);
    for (const p of this.space.params) {
      const value = params[p.name];
      if (value !== undefined) this.encodeParam(p, value, u, this.offset(p.name));
    }
    return u;
  }

  private decodeParam(p: ParamSpec, u: ArrayLike<number>, at: number): ParamValue {
    switch (p.type) {
      case 'float':
      case 'int':
        return numericFromUnit(this.space.domain(p.name), u[at] as number);
      case 'categorical': {
        const n = p.values.length;
        return p.values[Math.min(n - 1, Math.max(0, Math.floor((u[at] as number) * n)))] as ParamValue;
      }
      case 'subset':
        return decodeSubset(p, Array.from({ length: p.values.length }, (_, i) => u[at + i] as number));
    }
  }

  private encodeParam(p: ParamSpec, value: ParamValue, u: Float64Array, at: number): void {
    switch (p.type) {
      case 'float':
      case 'int':
        u[at] = numericToUnit(this.space.domain(p.name), value as number);
        return;
      case 'categorical': {
        const i = p.values.findIndex((v) => v === value);
        u[at] = (i + 0.5) / p.values.length;
        return;
      }
      case 'subset': {
        const chosen = value as ParamValue[];
        p.values.forEach((v, i) => (u[at + i] = chosen.some((c) => c === v) ? 0.75 : 0.25));
        return;
      }
    }
  }
}

/** Chosen values in the order of `p.values`, repaired to `minSize..maxSize` by coordinate. */
export function decodeSubset(p: SubsetParam, coords: readonly number[]): ParamValue {
  const minSize = p.minSize ?? 1;
  const maxSize = p.maxSize ?? p.values.length;
  const byStrength = coords.map((c, i) => ({ c, i })).sort((a, b) => b.c - a.c || a.i - b.i);
  let take = coords.filter((c) => c >= 0.5).length;
  take = Math.min(maxSize, Math.max(minSize, take));
  const chosen = new Set(byStrength.slice(0, take).map((x) => x.i));
  return p.values.filter((_, i) => chosen.has(i));
}
