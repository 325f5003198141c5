/**
 * How CMA-ES sees each coordinate of the space's unit cube (`operator/space/unit-cube.ts`):
 *
 * - `continuous` — a float without a step: a real number kept inside [0, 1] by resampling
 *   (and clipping as a last resort);
 * - `discrete` — an int, a stepped float, a categorical (in `ordinal` mode) or one value of a
 *   subset: the cube coordinate falls into one of `levels` cells, and CMA-ES with Margin keeps
 *   the chance of leaving the current cell from vanishing;
 * - `fixed` — a parameter with a single possible value: no search dimension, always 0.5;
 * - `free` — a categorical in `random` mode: no search dimension, drawn uniformly per trial.
 *
 * Cells are those of `UnitCube.decode`, so `levelOf(u)` is exactly the value a trial receives,
 * and `threshold(j)` is the cube coordinate where level j gives way to level j + 1 (for log-scaled
 * ints the cells are not of equal width, so thresholds are computed, not assumed).
 */
import { type NumericDomain, numericFromUnit, toInternal } from '../../space/numeric.js';
import type { SearchSpace } from '../../space/space.js';

export type CoordinateKind = 'continuous' | 'discrete' | 'fixed' | 'free';

export interface Coordinate {
  readonly kind: CoordinateKind;
  /** Number of cells (Infinity for continuous coordinates). */
  readonly levels: number;
  /** Cube coordinate of the boundary between level `j` and `j + 1`, for `0 <= j < levels - 1`. */
  threshold(j: number): number;
  /** Level of cube coordinate `u` (clamped into the cube first). */
  levelOf(u: number): number;
}

/** How categorical parameters enter the search; see the sampler's documentation. */
export type CategoricalMode = 'ordinal' | 'random';

const continuous: Coordinate = { kind: 'continuous', levels: Infinity, threshold: () => Number.NaN, levelOf: () => 0 };
const fixed: Coordinate = { kind: 'fixed', levels: 1, threshold: () => Number.NaN, levelOf: () => 0 };

/** n equal cells, as categoricals and subset values are laid out. */
function equalCells(n: number): Coordinate {
  if (n <= 1) return fixed;
  return {
    kind: 'discrete',
    levels: n,
    threshold: (j) => (j + 1) / n,
    levelOf: (u) => Math.min(n - 1, Math.max(0, Math.floor(u * n))),
  };
}

function numericCells(d: NumericDomain): Coordinate {
  if (d.step === undefined) return continuous;
  if (d.count <= 1) return fixed;
  const step = d.step;
  const width = d.paddedHigh - d.paddedLow;
  return {
    kind: 'discrete',
    levels: d.count,
    // The value boundary half a step above grid point j, mapped into the cube.
    threshold: (j) => (toInternal(d, d.min + (j + 0.5) * step) - d.paddedLow) / width,
    levelOf: (u) => Math.min(d.count - 1, Math.max(0, Math.round((numericFromUnit(d, u) - d.min) / step))),
  };
}

/** One entry per cube coordinate, in `UnitCube` order. */
export function coordinatesOf(space: SearchSpace, categorical: CategoricalMode): Coordinate[] {
  const out: Coordinate[] = [];
  for (const p of space.params) {
    switch (p.type) {
      case 'float':
      case 'int':
        out.push(numericCells(space.domain(p.name)));
        break;
      case 'categorical':
        out.push(p.values.length <= 1 ? fixed : categorical === 'random' ? { ...fixed, kind: 'free', levels: p.values.length } : equalCells(p.values.length));
        break;
      case 'subset':
        for (let i = 0; i < p.values.length; i++) out.push(equalCells(2));
        break;
    }
  }
  return out;
}

/** The coordinates CMA-ES searches (continuous and discrete ones), as cube indices. */
export function searchedCoordinates(coords: readonly Coordinate[]): number[] {
  const out: number[] = [];
  coords.forEach((c, i) => {
    if (c.kind === 'continuous' || c.kind === 'discrete') out.push(i);
  });
  return out;
}
