/**
 * The standard normal truncated to [a, b], in log space where it matters.
 *
 * Kernels of the Parzen estimator are normals truncated to the parameter's bounds. Far from the
 * mean the plain formulas fail: Φ(b) - Φ(a) cancels to 0 when both ends lie in the same tail,
 * and log Φ(x) underflows to -Infinity below x ≈ -38. So:
 *
 * - `logNdtr(x)` = log Φ(x) goes through `logErfc`, finite for every x;
 * - `logGaussMass(a, b)` = log(Φ(b) - Φ(a)) works in the left tail, mirrored for the right tail
 *   (Φ is accurate only near 0 and below), and as log1p(-Φ(a) - Φ(-b)) when [a, b] holds 0;
 * - `ppf(q, a, b)` inverts the truncated CDF by Newton's method on log Φ, which is concave and
 *   increasing, so the iteration converges from any start.
 *
 * Checked against SciPy's `scipy.special.log_ndtr` and `scipy.stats.truncnorm` in
 * test/unit/samplers/fixtures/truncnorm.json.
 */
import { erfc, logErfc } from './erf.js';

export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;
const LN2 = Math.LN2;

/** Φ(x), the standard normal CDF. */
export function ndtr(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** log Φ(x), accurate in both tails. */
export function logNdtr(x: number): number {
  // Above 0, Φ(x) = 1 - Φ(-x) and the small Φ(-x) carries the information.
  if (x > 0) return Math.log1p(-0.5 * erfc(x * SQRT1_2));
  return logErfc(-x * SQRT1_2) - LN2;
}

/** log(e^p - e^q) for p >= q. */
function logDiff(p: number, q: number): number {
  if (q === -Infinity) return p;
  return p + Math.log1p(-Math.exp(q - p));
}

/**
 * log(Φ(b) - Φ(a)), the log of the standard normal's mass on [a, b] (a <= b). Beyond ±9 the
 * missing tail is below 1e-19, invisible next to 1 in double precision, so a kernel far from
 * both bounds costs no erfc at all.
 */
export function logGaussMass(a: number, b: number): number {
  if (a <= -9 && b >= 9) return 0;
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** log(e^p + e^q). */
function logAdd(p: number, q: number): number {
  const m = Math.max(p, q);
  if (m === -Infinity) return m;
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

/**
 * The x with log Φ(x) = y (y <= 0): Newton's method on log Φ. The start is the Gaussian tail
 * approximation for very negative y, a logistic approximation of Φ otherwise; y near 0 is
 * solved on the mirrored side, where the right tail is the left one.
 */
export function ndtriExp(y: number): number {
  if (y >= 0) return Infinity;
  if (y === -Infinity) return -Infinity;
  const mirrored = y > -1e-2;
  const z = mirrored ? Math.log(-Math.expm1(y)) : y;
  let x = z < -5 ? -Math.sqrt(-2 * (z + LOG_SQRT_2PI)) : -(Math.sqrt(3) / Math.PI) * Math.log(Math.expm1(-z));
  for (let i = 0; i < 100; i++) {
    const lx = logNdtr(x);
    // d/dx log Φ(x) = φ(x)/Φ(x); the ratio is taken in log space to survive the tails.
    const dx = (lx - z) * Math.exp(lx + 0.5 * x * x + LOG_SQRT_2PI);
    x -= dx;
    if (Math.abs(dx) <= 1e-12 * Math.abs(x) + 1e-300) break;
  }
  return mirrored ? -x : x;
}

/**
 * Quantile q ∈ [0, 1] of the standard normal truncated to [a, b]: the c with
 * Φ(c) = Φ(a) + q (Φ(b) - Φ(a)). Solved for Φ(c) when c < 0 and for Φ(-c) = Φ(-b) + (1-q)·mass
 * otherwise, so the quantity inverted is never close to 1.
 */
export function ppf(q: number, a: number, b: number): number {
  if (q <= 0) return a;
  if (q >= 1) return b;
  const logMass = logGaussMass(a, b);
  let c: number;
  const left = a < 0 ? logAdd(logNdtr(a), Math.log(q) + logMass) : 0;
  if (left < -LN2) {
    c = ndtriExp(left);
  } else {
    c = -ndtriExp(logAdd(logNdtr(-b), Math.log1p(-q) + logMass));
  }
  return Math.min(b, Math.max(a, c));
}

/** log density at x of N(loc, scale²) truncated to [loc + a·scale, loc + b·scale]. */
export function logPdf(x: number, a: number, b: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  if (z < a || z > b) return -Infinity;
  return -0.5 * z * z - LOG_SQRT_2PI - logGaussMass(a, b) - Math.log(scale);
}
