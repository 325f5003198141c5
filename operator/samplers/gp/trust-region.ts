/**
 * A trust region for the acquisition search, after TuRBO (Eriksson et al., "Scalable Global
 * Optimization via Local Bayesian Optimization", NeurIPS 2019): a box around the best trial whose
 * side grows after a run of improvements and halves after a run of failures; when it has shrunk
 * away, a new local run starts elsewhere.
 *
 * Why a box: once the GP has found a basin it cannot resolve (the lattice of local minima of
 * Ackley, any objective rougher than its lengthscales), expected improvement near the incumbent
 * is tiny and the search spends its trials where the variance is largest — the faces and corners
 * of the cube — and never comes back. A shrinking box keeps proposing around the incumbent at
 * finer and finer scales, which is what finds the better points there; a run of successes widens
 * it again.
 *
 * Why restart elsewhere: a box that shrank below `min` has converged on a minimum, maybe a local
 * one (7 of 20 Hartmann-6 seeds sat in its second basin when restarts re-centred on the same
 * trial). As in TuRBO, a restart begins a new local run: its box is centred on the best trial
 * that is far from every earlier run's centre and best (`localRunCentre`), it counts
 * improvements against its own best, and the sampler measures expected improvement against that
 * local best — so the run descends its own basin instead of exploring it for a value that beats
 * the global incumbent. Unlike TuRBO, the GP keeps every trial: one model, local searches.
 *
 * Stateless: the side and the restarts are replayed from the finished trials' losses in creation
 * order, so the same history gives the same box (also after an operator restart).
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
 * How far (in lengthscales) a new local run's start must be from where earlier runs went: at 2,
 * the Matérn-5/2 correlation is 0.14 — the model treats the two points as nearly unrelated.
 */
export const LOCAL_RUN_RADIUS = 2;

export interface TrustRegionReplay {
  /** The side now. */
  readonly side: number;
  /** Indices into the losses of the trials at which the region restarted, in order. */
  readonly restarts: readonly number[];
}

/**
 * The side and the restarts after `losses` (finished trials in creation order; the first
 * `startup`, and the first trial after each restart, only set the best). An improvement is a
 * loss below best − 10⁻³·|best| (TuRBO's rule), where best is the current local run's: the best
 * since the last restart (before the first, the best of all trials).
 */
export function replayTrustRegion(losses: ArrayLike<number>, startup: number, o: TrustRegionOptions): TrustRegionReplay {
  let side = o.initial;
  let best = Number.POSITIVE_INFINITY;
  let up = 0;
  let down = 0;
  const restarts: number[] = [];
  for (let i = 0; i < losses.length; i++) {
    const v = losses[i] as number;
    // A trial is judged against an existing best: the first one of a run only sets it.
    if (i >= startup && best < Number.POSITIVE_INFINITY) {
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
      if (side < o.min) {
        // A new local run: its own best starts with its first trial.
        side = o.initial;
        restarts.push(i);
        best = Number.POSITIVE_INFINITY;
        continue;
      }
    }
    if (v < best) best = v;
  }
  return { side, restarts };
}

/**
 * The centre of the current local run, as an index into `losses` (whose coordinates are the rows
 * of `coords`, `d` per row): before any restart, the best trial. At each restart, the new run's
 * start is the best trial so far that lies farther than `radius` lengthscales (Euclidean, over the
 * `restricted` coordinates, in units of each coordinate's lengthscale) from every point the
 * earlier runs centred on or reached: the best trial at each restart, each earlier run's start and
 * its best. The centre is then the better of the start and the best trial since the restart. When
 * no trial is that far, the runs stop moving and the centre is the best trial of all.
 */
export function localRunCentre(
  losses: ArrayLike<number>,
  coords: Float64Array,
  d: number,
  restarts: readonly number[],
  lengthscales: Float64Array,
  restricted: readonly boolean[],
  radius: number,
): number {
  const row = (i: number) => coords.subarray(i * d, i * d + d);
  const bestIn = (from: number, to: number, ok: (i: number) => boolean = () => true): number => {
    let b = -1;
    for (let i = from; i <= to; i++) if (ok(i) && (b < 0 || (losses[i] as number) < (losses[b] as number))) b = i;
    return b;
  };
  const visited: Float64Array[] = [];
  const far = (i: number) =>
    visited.every((v) => {
      const x = row(i);
      let r2 = 0;
      for (let j = 0; j < d; j++) if (restricted[j]) r2 += (((x[j] as number) - (v[j] as number)) / (lengthscales[j] as number)) ** 2;
      return r2 > radius * radius;
    });
  const all = bestIn(0, losses.length - 1);
  let start = -1;
  for (let k = 0; k < restarts.length; k++) {
    const at = restarts[k] as number;
    if (start >= 0) {
      visited.push(row(start));
      const reached = bestIn((restarts[k - 1] as number) + 1, at);
      if (reached >= 0) visited.push(row(reached));
    }
    visited.push(row(bestIn(0, at)));
    start = bestIn(0, at, far);
    if (start < 0) return all;
  }
  if (start < 0) return all;
  const since = bestIn((restarts[restarts.length - 1] as number) + 1, losses.length - 1);
  return since >= 0 && (losses[since] as number) < (losses[start] as number) ? since : start;
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
