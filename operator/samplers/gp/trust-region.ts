/**
 * A trust region for the acquisition search, after TuRBO (Eriksson et al., "Scalable Global
 * Optimization via Local Bayesian Optimization", NeurIPS 2019): a box around the best trial whose
 * side grows after a run of improvements and halves after a run of failures.
 *
 * Why: once the GP has found a basin it cannot resolve (the lattice of local minima of Ackley, any
 * objective rougher than its lengthscales), expected improvement near the incumbent is tiny and the
 * search spends its trials where the variance is largest — the faces and corners of the cube —
 * and never comes back. A shrinking box keeps proposing around the incumbent at finer and finer
 * scales, which is what finds the better points there; a run of successes widens it again.
 *
 * Stateless: the side is replayed from the finished trials' losses in creation order, so the same
 * history gives the same box (also after an operator restart).
 */

export interface TrustRegionOptions {
  /** Side after the start-up trials and after a restart, as a fraction of the cube. TuRBO: 0.8. */
  readonly initial: number;
  /** Largest side. TuRBO: 1.6. */
  readonly max: number;
  /** Below this side the region restarts at `initial`. TuRBO: 2⁻⁷. */
  readonly min: number;
  /** Improvements in a row that double the side. TuRBO: 3. */
  readonly successes: number;
  /** Failures in a row that halve it. TuRBO: max(4, dimension). */
  readonly failures: number;
}

export function defaultTrustRegion(d: number): TrustRegionOptions {
  return { initial: 0.8, max: 1.6, min: 2 ** -7, successes: 3, failures: Math.max(4, d) };
}

/**
 * The side after `losses` (finished trials in creation order; the first `startup` only set the
 * best). An improvement is a loss below best − 10⁻³·|best| (TuRBO's rule).
 */
export function trustRegionSide(losses: ArrayLike<number>, startup: number, o: TrustRegionOptions): number {
  let side = o.initial;
  let best = Number.POSITIVE_INFINITY;
  let up = 0;
  let down = 0;
  for (let i = 0; i < losses.length; i++) {
    const v = losses[i] as number;
    if (i >= startup) {
      if (v < best - 1e-3 * Math.abs(best)) {
        up++;
        down = 0;
      } else {
        down++;
        up = 0;
      }
      if (up === o.successes) {
        side = Math.min(2 * side, o.max);
        up = 0;
      } else if (down === o.failures) {
        side /= 2;
        down = 0;
      }
      if (side < o.min) side = o.initial;
    }
    if (v < best) best = v;
  }
  return side;
}

/**
 * The box [lower, upper] of side `side` around `center`, stretched per coordinate by its
 * lengthscale relative to their geometric mean (TuRBO: long lengthscales, flat directions, get
 * wider sides), clipped to the cube. Coordinates not in `restricted` keep [0, 1].
 */
export function trustRegionBox(center: Float64Array, lengthscales: Float64Array, side: number, restricted: readonly boolean[]): { lower: Float64Array; upper: Float64Array } {
  const d = center.length;
  let logMean = 0;
  let m = 0;
  for (let j = 0; j < d; j++) {
    if (!restricted[j]) continue;
    logMean += Math.log(lengthscales[j] as number);
    m++;
  }
  const geo = m > 0 ? Math.exp(logMean / m) : 1;
  const lower = new Float64Array(d);
  const upper = new Float64Array(d).fill(1);
  for (let j = 0; j < d; j++) {
    if (!restricted[j]) continue;
    const half = (side * ((lengthscales[j] as number) / geo)) / 2;
    lower[j] = Math.max(0, (center[j] as number) - half);
    upper[j] = Math.min(1, (center[j] as number) + half);
  }
  return { lower, upper };
}

/** Maps `count` rows of points in the unit cube (row-major, in place) affinely into `box`. */
export function mapIntoBox(points: Float64Array, count: number, box: { readonly lower: Float64Array; readonly upper: Float64Array }): void {
  const d = box.lower.length;
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < d; j++) {
      const lo = box.lower[j] as number;
      points[r * d + j] = lo + (points[r * d + j] as number) * ((box.upper[j] as number) - lo);
    }
  }
}
