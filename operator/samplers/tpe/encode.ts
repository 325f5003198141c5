/**
 * Between parameters and the coordinates of a Parzen estimator, for one group of parameters.
 *
 * - float / int → one numeric dimension: continuous on the internal scale (log for log
 *   parameters), or discrete on the grid of the step (ints: step 1), padded by half a cell;
 * - categorical → one categorical dimension (the index of the value);
 * - subset of n values → n two-way categorical dimensions, "value i left out / taken". A drawn
 *   set of the wrong size is repaired as `decodeSubset` does (strongest taken first), strength
 *   being the drawn bit plus a random tie-break, before the candidate is scored.
 */
import { decodeSubset } from '../../space/unit-cube.js';
import { numericFromUnit, snap } from '../../space/numeric.js';
import type { SearchSpace } from '../../space/space.js';
import type { ParamSpec, Params, ParamValue, Scalar } from '../../space/types.js';
import type { Rng } from '../rng.js';
import { toGrid } from './kernels.js';
import type { Dimension } from './parzen.js';

export class GroupEncoding {
  readonly dims: Dimension[] = [];
  /** First dimension of each parameter. */
  private readonly offsets: number[] = [];
  /** Whether each parameter's internal scale is the log. */
  private readonly logScale: boolean[] = [];

  /** How `write` reads each parameter (kind, name, first dimension, bounds or values). */
  private readonly plan: WritePlan[] = [];

  constructor(
    private readonly space: SearchSpace,
    readonly params: readonly ParamSpec[],
  ) {
    for (const p of params) {
      this.plan.push(writePlan(space, p, this.dims.length));
      this.offsets.push(this.dims.length);
      this.logScale.push((p.type === 'float' || p.type === 'int') && space.domain(p.name).log);
      switch (p.type) {
        case 'float':
        case 'int': {
          const d = space.domain(p.name);
          if (d.step === undefined) this.dims.push({ kind: 'continuous', low: d.low, high: d.high });
          else this.dims.push({ kind: 'discrete', low: d.paddedLow, high: d.paddedHigh, min: d.min, max: d.max, step: d.step, log: d.log });
          break;
        }
        case 'categorical':
          this.dims.push({ kind: 'categorical', choices: p.values.length });
          break;
        case 'subset':
          for (let i = 0; i < p.values.length; i++) this.dims.push({ kind: 'categorical', choices: 2 });
          break;
      }
    }
  }

  /**
   * Writes the coordinates of `params` as observation `i` of `n` into the column-major `obs`;
   * false (and nothing usable written) when the trial lacks a parameter of the group or holds a
   * value the space does not know. Runs once per trial and group on every suggestion, so it
   * reads from the flat `plan` rather than from the parameter specs.
   */
  write(params: Params, obs: Float64Array, n: number, i: number): boolean {
    const plan = this.plan;
    for (let j = 0; j < plan.length; j++) {
      const step = plan[j] as WritePlan;
      const value = params[step.name];
      if (value === undefined) return false;
      const at = step.at * n + i;
      switch (step.kind) {
        case CONTINUOUS:
        case LOG_CONTINUOUS: {
          if (typeof value !== 'number' || !Number.isFinite(value)) return false;
          const x = step.kind === LOG_CONTINUOUS ? Math.log(value) : value;
          obs[at] = x < step.low ? step.low : x > step.high ? step.high : x;
          break;
        }
        case DISCRETE: {
          if (typeof value !== 'number' || !Number.isFinite(value)) return false;
          obs[at] = toGrid(step.grid as { min: number; max: number; step: number }, value);
          break;
        }
        case CATEGORICAL: {
          const index = (step.values as readonly Scalar[]).indexOf(value as Scalar);
          if (index < 0) return false;
          obs[at] = index;
          break;
        }
        case SUBSET: {
          if (!Array.isArray(value)) return false;
          const values = step.values as readonly Scalar[];
          for (let k = 0; k < values.length; k++) obs[at + k * n] = value.includes(values[k] as Scalar) ? 1 : 0;
          break;
        }
      }
    }
    return true;
  }

  /** Repairs the subsets of candidate row `c` (row-major, `dims.length` wide) to legal sizes. */
  repair(rows: Float64Array, c: number, rng: Rng): void {
    const D = this.dims.length;
    this.params.forEach((p, j) => {
      if (p.type !== 'subset') return;
      const at = c * D + (this.offsets[j] as number);
      const coords = p.values.map((_, k) => (rows[at + k] === 1 ? 0.75 : 0.25) + 0.245 * rng.next());
      const chosen = decodeSubset(p, coords) as Scalar[];
      p.values.forEach((v, k) => (rows[at + k] = chosen.some((x) => x === v) ? 1 : 0));
    });
  }

  /** Parameter values of candidate row `c`. */
  decode(rows: Float64Array, c: number): Record<string, ParamValue> {
    const D = this.dims.length;
    const out: Record<string, ParamValue> = {};
    this.params.forEach((p, j) => {
      const at = c * D + (this.offsets[j] as number);
      const x = rows[at] as number;
      switch (p.type) {
        case 'float':
        case 'int': {
          const d = this.space.domain(p.name);
          // Continuous coordinates are internal, discrete ones already grid values.
          out[p.name] = d.step === undefined ? snap(d, d.log ? Math.exp(x) : x) : snap(d, x);
          break;
        }
        case 'categorical':
          out[p.name] = p.values[x] as Scalar;
          break;
        case 'subset':
          out[p.name] = p.values.filter((_, k) => rows[at + k] === 1);
          break;
      }
    });
    return out;
  }
}

const CONTINUOUS = 0;
const LOG_CONTINUOUS = 1;
const DISCRETE = 2;
const CATEGORICAL = 3;
const SUBSET = 4;

/** One parameter as `write` needs it; every field present so all plans share one shape. */
interface WritePlan {
  readonly kind: number;
  readonly name: string;
  readonly at: number;
  readonly low: number;
  readonly high: number;
  readonly grid: { min: number; max: number; step: number } | undefined;
  readonly values: readonly Scalar[] | undefined;
}

function writePlan(space: SearchSpace, p: ParamSpec, at: number): WritePlan {
  const plan = { name: p.name, at, low: 0, high: 0, grid: undefined, values: undefined };
  switch (p.type) {
    case 'float':
    case 'int': {
      const d = space.domain(p.name);
      if (d.step !== undefined) return { ...plan, kind: DISCRETE, grid: { min: d.min, max: d.max, step: d.step } };
      return { ...plan, kind: d.log ? LOG_CONTINUOUS : CONTINUOUS, low: d.low, high: d.high };
    }
    case 'categorical':
      return { ...plan, kind: CATEGORICAL, values: p.values };
    case 'subset':
      return { ...plan, kind: SUBSET, values: p.values };
  }
}

/** A uniform draw of one parameter (start-up trials, and parameters nothing models). */
export function uniformValue(space: SearchSpace, p: ParamSpec, rng: Rng): ParamValue {
  switch (p.type) {
    case 'float':
    case 'int':
      return numericFromUnit(space.domain(p.name), rng.next());
    case 'categorical':
      return p.values[rng.int(p.values.length)] as Scalar;
    case 'subset':
      return decodeSubset(p, p.values.map(() => rng.next()));
  }
}
