/**
 * The named defaults of TPE (style.md, "Defaults have names"): how many trials count as good, and
 * how much each observation weighs in the Parzen estimators. Both are Optuna 5.0's.
 */

/**
 * Number of "good" trials out of `n` finished ones: the best 10%, rounded up, at most 25
 * (Optuna's `default_gamma`). Capping keeps l(x) sharp in long studies.
 */
export function defaultGamma(n: number, fraction = 0.1, max = 25): number {
  return Math.min(Math.ceil(fraction * n), max);
}

/**
 * Weights of `n` observations in trial order (oldest first): all 1 below 25; from 25 on the
 * newest 25 weigh 1 and the older ones ramp linearly from 1/n up towards 1, so that a long
 * study's bad-trial model follows where the search is now (Bergstra et al., 2013; Optuna's
 * `default_weights`).
 */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  const ramp = n - 25;
  // numpy.linspace(1/n, 1, ramp): ramp points from 1/n to 1 inclusive.
  if (ramp === 1) w[0] = 1 / n;
  else for (let i = 0; i < ramp; i++) w[i] = 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return w;
}
