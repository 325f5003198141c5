/**
 * CMA-ES with Margin (Hamano, Saito, Nomura, Shirakawa 2022, "CMA-ES with Margin: Lower-Bounding
 * Marginal Probability for Mixed-Integer Black-Box Optimization", GECCO; the `cmaes` package's
 * `CMAwM`). Plain CMA-ES on a discretised coordinate stagnates: once σ is smaller than a cell,
 * every sample rounds to the same value, the loss stops varying along that coordinate and nothing
 * ever moves it again. The margin keeps, after every update, the probability of each discrete
 * coordinate landing outside the mean's cell at least `α` (split between both neighbours for
 * an interior cell), by moving the mean towards the cell's edge (edge cells) or widening the
 * per-coordinate scaling `A` (interior cells). A sample's discrete coordinate is then read as
 * `m + A (x − m)`, rounded to its cell; the raw `x` is what the next update learns from.
 */
import type { Coordinate } from './coordinates.js';
import { normalCdf, normalQuantile } from './normal.js';
import type { CmaState } from './strategy.js';

/** Default margin α = 1 / (d λ), the paper's recommendation. */
export function defaultMargin(dim: number, lambda: number): number {
  return 1 / (dim * lambda);
}

/**
 * Applies the margin correction to the discrete coordinates of `s` (one `Coordinate` per searched
 * dimension, in order); continuous ones are untouched. Returns a new state; `alpha` 0 disables it.
 */
export function applyMargin(s: CmaState, coords: readonly Coordinate[], alpha: number): CmaState {
  if (alpha <= 0 || !coords.some((c) => c.kind === 'discrete')) return s;
  const n = coords.length;
  const mean = Float64Array.from(s.mean);
  const A = Float64Array.from(s.A);
  coords.forEach((c, j) => {
    if (c.kind !== 'discrete') return;
    const m = mean[j] as number;
    // The thresholds around the mean's cell; an edge cell has one, given twice.
    const level = c.levelOf(m);
    const limLow = c.threshold(Math.min(Math.max(level - 1, 0), c.levels - 2));
    const limUp = c.threshold(Math.min(Math.max(level, 0), c.levels - 2));
    const sdC = Math.sqrt(s.C[j * n + j] as number);
    const scale = s.sigma * (A[j] as number) * sdC;
    const lowCdf = normalCdf((limLow - m) / scale);
    const upCdf = 1 - normalCdf((limUp - m) / scale);
    const midCdf = 1 - lowCdf - upCdf;

    if (Math.max(lowCdf, upCdf) > 0.5 || !(limUp > limLow)) {
      // Edge cell: put the mean where the far side of the threshold keeps probability α.
      if (Math.min(lowCdf, upCdf) < alpha) mean[j] = limUp + Math.sign(m - limUp) * scale * normalQuantile(1 - alpha);
      return;
    }
    // Interior cell: lift each tail to at least α/2, taking the mass from the larger ones, then
    // solve for the mean and scaling that give exactly those tails.
    const low = Math.max(lowCdf, alpha / 2);
    const up = Math.max(upCdf, alpha / 2);
    const excess = 1 - low - up - midCdf;
    const denom = low + midCdf + up - (3 * alpha) / 2;
    const clip = (p: number) => Math.min(0.5 - 1e-10, Math.max(1e-10, p));
    const pLow = clip(low + (excess * (low - alpha / 2)) / denom);
    const pUp = clip(up + (excess * (up - alpha / 2)) / denom);
    const chiLow = normalQuantile(1 - pLow);
    const chiUp = normalQuantile(1 - pUp);
    A[j] = (limUp - limLow) / ((chiLow + chiUp) * s.sigma * sdC);
    mean[j] = (limLow * chiUp + limUp * chiLow) / (chiLow + chiUp);
  });
  return { ...s, mean, A };
}
