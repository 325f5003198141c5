/**
 * Grid enumeration: every distinct point of a space whose parameters are all discrete (stepped
 * float or int, categorical, subset). Conditional parameters vary only where they are active, so
 * a CNN space with `first_conv_size` under `first_conv: true` does not multiply the points where
 * `first_conv` is false.
 */
import { numericGrid } from './numeric.js';
import type { SearchSpace } from './space.js';
import type { ParamSpec, Params, ParamValue, Scalar } from './types.js';

/** Enumerations larger than this are refused rather than exhausting memory. */
export const MAX_GRID_POINTS = 1_000_000;

export class GridError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GridError';
  }
}

/** The values a parameter can take on a grid; throws for a continuous float. */
export function gridValues(space: SearchSpace, p: ParamSpec): ParamValue[] {
  switch (p.type) {
    case 'float':
      if (p.step === undefined) {
        throw new GridError(`parameter "${p.name}" is continuous: give it a step (or use a categorical list) to search it on a grid`);
      }
      return numericGrid(space.domain(p.name));
    case 'int':
      return numericGrid(space.domain(p.name));
    case 'categorical':
      return [...p.values];
    case 'subset':
      return subsets(p.values, p.minSize ?? 1, p.maxSize ?? p.values.length);
  }
}

/** All subsets of `values` with size in `[min, max]`, each in the order of `values`. */
function subsets(values: readonly Scalar[], min: number, max: number): Scalar[][] {
  const out: Scalar[][] = [];
  const pick = (start: number, current: Scalar[]) => {
    if (current.length >= min) out.push([...current]);
    if (current.length === max) return;
    for (let i = start; i < values.length; i++) {
      current.push(values[i] as Scalar);
      pick(i + 1, current);
      current.pop();
      if (out.length > MAX_GRID_POINTS) throw new GridError(`the subset grid has more than ${MAX_GRID_POINTS} points`);
    }
  };
  pick(0, []);
  return out;
}

/**
 * Every grid point, in a fixed order (the first parameter varies slowest). Throws `GridError`
 * for a continuous parameter or more than `MAX_GRID_POINTS` points.
 */
export function enumerateGrid(space: SearchSpace): Params[] {
  const values = new Map(space.params.map((p) => [p.name, gridValues(space, p)]));
  const out: Params[] = [];
  const walk = (i: number, chosen: Params) => {
    if (i === space.params.length) {
      out.push({ ...chosen });
      if (out.length > MAX_GRID_POINTS) {
        throw new GridError(`the grid has more than ${MAX_GRID_POINTS} points; narrow the space or use another sampler`);
      }
      return;
    }
    const p = space.params[i] as ParamSpec;
    if (!space.isActive(p, chosen)) {
      walk(i + 1, chosen);
      return;
    }
    for (const v of values.get(p.name) as ParamValue[]) {
      chosen[p.name] = v;
      walk(i + 1, chosen);
    }
    delete chosen[p.name];
  };
  walk(0, {});
  return out;
}
