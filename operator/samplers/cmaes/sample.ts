/**
 * Drawing one point from a CMA-ES distribution onto the space's unit cube: `x ~ N(m, σ² C)` over
 * the searched coordinates, continuous ones kept inside [0, 1] by resampling the whole vector
 * (at most `maxResample` times, then clipping, as the `cmaes` package does — rejection keeps the
 * distribution's shape, where clipping piles mass on the faces), discrete ones read through the
 * margin scaling. Fixed coordinates take 0.5; free (random-mode categorical) ones are uniform
 * from a stream of their own, so they do not depend on how many resamples happened.
 *
 * A pure function of `(state, layout, rng)`: the replay re-draws a trial's point bit for bit.
 */
import type { Rng } from '../rng.js';
import type { Coordinate } from './coordinates.js';
import type { CmaState } from './strategy.js';

export interface Layout {
  /** Every cube coordinate. */
  readonly coords: readonly Coordinate[];
  /** Cube index of each searched dimension. */
  readonly searched: readonly number[];
}

export interface Draw {
  /** The raw point in the searched dimensions: what the CMA-ES update learns from. */
  readonly x: Float64Array;
  /** The unit-cube point the trial's parameters decode from. */
  readonly u: Float64Array;
}

export function drawPoint(s: CmaState, layout: Layout, rng: Rng, maxResample: number): Draw {
  const n = layout.searched.length;
  const free = rng.derive('free');
  const coords = layout.searched.map((i) => layout.coords[i] as Coordinate);
  let x: Float64Array = new Float64Array(n);
  for (let attempt = 0; attempt < Math.max(1, maxResample); attempt++) {
    x = gaussian(s, rng);
    if (coords.every((c, j) => c.kind !== 'continuous' || ((x[j] as number) >= 0 && (x[j] as number) <= 1))) break;
  }
  coords.forEach((c, j) => {
    if (c.kind === 'continuous') x[j] = Math.min(1, Math.max(0, x[j] as number));
  });

  const u = new Float64Array(layout.coords.length);
  layout.coords.forEach((c, i) => {
    if (c.kind === 'fixed') u[i] = 0.5;
    else if (c.kind === 'free') u[i] = free.next();
  });
  coords.forEach((c, j) => {
    const i = layout.searched[j] as number;
    const xj = x[j] as number;
    if (c.kind === 'continuous') u[i] = xj;
    else {
      const m = s.mean[j] as number;
      u[i] = Math.min(1, Math.max(0, m + (s.A[j] as number) * (xj - m)));
    }
  });
  return { x, u };
}

/** m + σ B (D ∘ z) with z standard normal. */
function gaussian(s: CmaState, rng: Rng): Float64Array {
  const n = s.mean.length;
  const dz = new Float64Array(n);
  for (let l = 0; l < n; l++) dz[l] = (s.D[l] as number) * rng.normal();
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let l = 0; l < n; l++) acc += (s.B[i * n + l] as number) * (dz[l] as number);
    x[i] = (s.mean[i] as number) + s.sigma * acc;
  }
  return x;
}
