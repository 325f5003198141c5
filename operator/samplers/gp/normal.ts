/**
 * The standard normal's tail functions the acquisition needs, in double precision and without
 * overflow or catastrophic cancellation anywhere on the real line:
 *
 * - `erfc(x)` and the scaled `erfcx(x) = exp(x²) erfc(x)`, whose relative accuracy far in the
 *   upper tail is what keeps log expected improvement finite and smooth (Ament et al. 2023);
 * - `normCdf`, `normPdf`, `LOG_SQRT_2PI`.
 *
 * Two classical expansions cover everything (no tables to copy):
 * - |x| < 2.5: the everywhere-positive series erf(x) = 2x/√π · e^{-x²} Σ (2x²)^n / (2n+1)!!,
 *   which has no cancellation; erfc = 1 - erf loses at most 4 of 16 digits at x = 2.5;
 * - x ≥ 2.5: Laplace's continued fraction √π · erfcx(x) = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
 *   evaluated by the modified Lentz method; it converges faster the larger x is.
 * Negative arguments use erfc(-x) = 2 - erfc(x).
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_HALF = Math.SQRT1_2;
/** log √(2π). */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Below this the continued fraction converges slowly and the series is accurate. */
const SERIES_LIMIT = 2.5;

/** erf(x) by the positive series; meant for |x| < SERIES_LIMIT. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return ((2 * x) / SQRT_PI) * Math.exp(-x2) * sum;
}

/** erfcx(x) for x ≥ SERIES_LIMIT by the continued fraction (modified Lentz). */
function erfcxFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (f * SQRT_PI);
}

/** Complementary error function, relative accuracy ~1e-13 or better for x ≥ 0. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < SERIES_LIMIT) return 1 - erfSeries(x);
  if (x > 27.3) return 0; // exp(-x²) underflows
  return Math.exp(-x * x) * erfcxFraction(x);
}

/** Scaled complementary error function exp(x²)·erfc(x); finite for every x > -26. */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= SERIES_LIMIT) return erfcxFraction(x);
  if (x >= 0) return Math.exp(x * x) * (1 - erfSeries(x));
  // erfcx(x) = 2 exp(x²) - erfcx(-x); overflows to Infinity below about -26.6.
  return 2 * Math.exp(x * x) - erfcx(-x);
}

/** Standard normal density. */
export function normPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Standard normal distribution function Φ(z). */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT_HALF);
}
