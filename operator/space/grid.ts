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
      if (countValues(space, p) > MAX_GRID_POINTS) throw new GridError(`parameter "${p.name}" has more than ${MAX_GRID_POINTS} subsets`);
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
    }
  };
  pick(0, []);
  return out;
}

/**
 * Number of grid points, computed without listing them: only the parameters that others depend
 * on are walked; the rest multiply in. Throws `GridError` for a continuous parameter.
 */
export function gridSize(space: SearchSpace): number {
  const parents = new Set(space.params.flatMap((p) => Object.keys(p.when ?? {})));
  const counts = new Map(space.params.map((p) => [p.name, parents.has(p.name) ? 0 : countValues(space, p)]));
  const values = new Map(space.params.filter((p) => parents.has(p.name)).map((p) => [p.name, gridValues(space, p)]));
  const walk = (i: number, chosen: Params): number => {
    if (i === space.params.length) return 1;
    const p = space.params[i] as ParamSpec;
    if (!space.isActive(p, chosen)) return walk(i + 1, chosen);
    if (!parents.has(p.name)) return (counts.get(p.name) as number) * walk(i + 1, chosen);
    let total = 0;
    for (const v of values.get(p.name) as ParamValue[]) total += walk(i + 1, { ...chosen, [p.name]: v });
    return total;
  };
  return walk(0, {});
}

function countValues(space: SearchSpace, p: ParamSpec): number {
  if (p.type === 'float' || p.type === 'int') {
    if (p.type === 'float' && p.step === undefined) gridValues(space, p); // throws the continuous-parameter error
    return space.domain(p.name).count;
  }
  if (p.type === 'categorical') return p.values.length;
  let total = 0;
  const n = p.values.length;
  for (let k = p.minSize ?? 1; k <= (p.maxSize ?? n); k++) total += binomial(n, k);
  return total;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * Every grid point, in a fixed order (the first parameter varies slowest). Throws `GridError`
 * for a continuous parameter or more than `MAX_GRID_POINTS` points (checked before listing).
 */
export function enumerateGrid(space: SearchSpace): Params[] {
  const size = gridSize(space);
  if (size > MAX_GRID_POINTS) {
    throw new GridError(`the grid has ${size} points, more than ${MAX_GRID_POINTS}; narrow the space or use another sampler`);
  }
  const values = new Map(space.params.map((p) => [p.name, gridValues(space, p)]));
  const out: Params[] = [];
  const walk = (i: number, chosen: Params) => {
    if (i === space.params.length) {
      out.push({ ...chosen });
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
