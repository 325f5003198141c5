/**
 * The GP's view of a search space: which parameters it models, the coordinates it gives them,
 * and how a point of those coordinates becomes a legal trial. The GP works in the `UnitCube`
 * (space/unit-cube.ts), so log scales, steps and padding are handled in one place:
 *
 * - float: one continuous coordinate;
 * - int or stepped float: one discrete coordinate whose choices are the cube images of the grid
 *   values (cell centres); a grid of more than `MAX_GRID_CHOICES` values is treated as continuous
 *   and snapped afterwards;
 * - categorical with n values: one categorical coordinate (Hamming distance in the kernel), value
 *   i at (i + 0.5)/n;
 * - subset of n values: n two-valued categorical coordinates (0.25 out, 0.75 in), repaired to the
 *   allowed size the way the cube decodes them.
 *
 * **Conditional spaces.** Only the unconditional parameters (no `when`) are modelled: they are
 * present in every trial, so every finished trial is a complete training point. Conditional
 * parameters are drawn uniformly at random for each suggestion, given the parents the GP chose.
 * This is Optuna's GPSampler behaviour (the GP on the intersection search space, an independent
 * sampler for the rest); imputing absent coordinates would make "inactive" look like a value
 * near some active one and mislead the kernel.
 */
import { numericFromUnit, numericGrid, numericToUnit, toInternal } from '../../space/numeric.js';
import type { SearchSpace } from '../../space/space.js';
import type { ParamSpec, Params } from '../../space/types.js';
import { decodeSubset, UnitCube } from '../../space/unit-cube.js';
import type { Rng } from '../rng.js';
import type { DimKind } from './optimize-acqf.js';

/** Above this many grid values a numeric parameter is searched as continuous, then snapped. */
export const MAX_GRID_CHOICES = 1024;

type Repair = (x: Float64Array, base: number) => void;

export class GpEncoding {
  readonly cube: UnitCube;
  /** Number of GP coordinates. */
  readonly d: number;
  readonly dims: readonly DimKind[];
  /** 1 for Hamming (categorical) coordinates. */
  readonly categorical: Uint8Array;
  /** Cube coordinate of each GP coordinate. */
  readonly cubeIndex: Int32Array;
  /** Parameters the GP models (the unconditional ones). */
  readonly modelled: readonly ParamSpec[];
  private readonly repairs: readonly Repair[];

  constructor(readonly space: SearchSpace) {
    this.cube = new UnitCube(space);
    const dims: DimKind[] = [];
    const cubeIndex: number[] = [];
    const repairs: Repair[] = [];
    this.modelled = space.params.filter((p) => p.when === undefined);
    for (const p of this.modelled) {
      const at = this.cube.offset(p.name);
      const j = dims.length;
      switch (p.type) {
        case 'float':
        case 'int': {
          const domain = space.domain(p.name);
          if (domain.step !== undefined && domain.count <= MAX_GRID_CHOICES) {
            const grid = numericGrid(domain);
            const choices = Float64Array.from(grid, (v) => numericToUnit(domain, v));
            // Where decoding switches from grid value k to k + 1: half a step above value k, on
            // the internal (possibly log) scale, mapped to the cube. Snapping is then a binary
            // search, with no string rounding in the hot loop.
            const span = domain.paddedHigh - domain.paddedLow;
            const edges = Float64Array.from(grid.slice(0, -1), (v) => (toInternal(domain, v + (domain.step as number) / 2) - domain.paddedLow) / span);
            dims.push({ kind: 'discrete', choices });
            repairs.push((x, base) => {
              x[base + j] = choices[countBelow(edges, x[base + j] as number)] as number;
            });
          } else {
            dims.push({ kind: 'continuous' });
            if (domain.step !== undefined) {
              repairs.push((x, base) => {
                x[base + j] = numericToUnit(domain, numericFromUnit(domain, x[base + j] as number));
              });
            }
          }
          cubeIndex.push(at);
          break;
        }
        case 'categorical': {
          const n = p.values.length;
          dims.push({ kind: 'categorical', choices: Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n) });
          repairs.push((x, base) => {
            x[base + j] = (Math.min(n - 1, Math.max(0, Math.floor((x[base + j] as number) * n))) + 0.5) / n;
          });
          cubeIndex.push(at);
          break;
        }
        case 'subset': {
          const n = p.values.length;
          for (let i = 0; i < n; i++) {
            dims.push({ kind: 'categorical', choices: Float64Array.of(0.25, 0.75) });
            cubeIndex.push(at + i);
          }
          const minSize = p.minSize ?? 1;
          const maxSize = p.maxSize ?? n;
          repairs.push((x, base) => {
            let inside = 0;
            for (let i = 0; i < n; i++) if ((x[base + j + i] as number) >= 0.5) inside++;
            if (inside >= minSize && inside <= maxSize) {
              for (let i = 0; i < n; i++) x[base + j + i] = (x[base + j + i] as number) >= 0.5 ? 0.75 : 0.25;
              return;
            }
            // Too few or too many chosen: the cube's own repair (strongest coordinates win).
            const coords = Array.from({ length: n }, (_, i) => x[base + j + i] as number);
            const chosen = decodeSubset(p, coords) as unknown[];
            p.values.forEach((v, i) => (x[base + j + i] = chosen.includes(v) ? 0.75 : 0.25));
          });
          break;
        }
      }
    }
    this.d = dims.length;
    this.dims = dims;
    this.categorical = Uint8Array.from(dims, (dim) => (dim.kind === 'categorical' ? 1 : 0));
    this.cubeIndex = Int32Array.from(cubeIndex);
    this.repairs = repairs;
  }

  /** True when some parameters are left to random sampling (conditional ones). */
  get partial(): boolean {
    return this.modelled.length < this.space.params.length;
  }

  /**
   * GP coordinates of a trial's parameters, or undefined when a modelled one is missing or holds
   * a value the space no longer has (a categorical value removed since: the cube encodes it below
   * 0). Such trials are left out rather than misattributed.
   */
  encode(params: Params): Float64Array | undefined {
    const u = this.cube.encode(params);
    const x = new Float64Array(this.d);
    for (let j = 0; j < this.d; j++) {
      const v = u[this.cubeIndex[j] as number] as number;
      if (Number.isNaN(v) || (this.categorical[j] === 1 && v < 0)) return undefined;
      x[j] = v;
    }
    this.repair(x, 0);
    return x;
  }

  /** Makes row `row` of `xs` a legal point in place: grids snapped, subsets sized. */
  repair(xs: Float64Array, row = 0): void {
    const base = row * this.d;
    for (let j = 0; j < this.d; j++) xs[base + j] = Math.min(1, Math.max(0, xs[base + j] as number));
    for (const fix of this.repairs) fix(xs, base);
  }

  /** The trial for GP point `x`; coordinates of unmodelled parameters come from `rng`. */
  decode(x: Float64Array, rng: Rng): Params {
    const u = new Float64Array(this.cube.dims);
    for (let i = 0; i < u.length; i++) u[i] = rng.next();
    for (let j = 0; j < this.d; j++) u[this.cubeIndex[j] as number] = x[j] as number;
    return this.cube.decode(u);
  }
}

/** Number of entries of the ascending `edges` that are <= u. */
function countBelow(edges: Float64Array, u: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
