/**
 * Log expected improvement, computed so that it stays finite and smooth however hopeless a point
 * is (Ament, Daulton, Eriksson, Balandat, Bakshy 2023, "Unexpected Improvements to Expected
 * Improvement for Bayesian Optimization", NeurIPS; eq. 9). We maximise (y is the negated,
 * standardised loss):
 *
 *   EI(x) = E[max(0, f(x) - best)] = σ · h(z),  z = (μ - best)/σ,  h(z) = φ(z) + z Φ(z),
 *   log EI = log h(z) + log σ.
 *
 * Plain EI underflows to exactly 0 once z < about -38, so most of the cube has zero value and zero
 * gradient and the optimiser has nothing to climb. log h(z) is computed in three regimes:
 * - z > -1: directly, log(φ(z) + z Φ(z));
 * - -1/√ε < z ≤ -1: log h = -z²/2 - log√(2π) + log1mexp(log(erfcx(-z/√2)·|z|) + log√(π/2)),
 *   where erfcx is the scaled complementary error function (accurate in the far tail);
 * - z ≤ -1/√ε: the asymptote -z²/2 - log√(2π) - 2 log|z|.
 * Its derivative h'(z)/h(z) = Φ(z)/h(z) comes from the same pieces.
 *
 * Pure numbers in, numbers out.
 */
import { erfcx, LOG_SQRT_2PI, normCdf, normPdf } from './normal.js';

const SQRT_HALF = Math.SQRT1_2;
const LOG_SQRT_HALF_PI = 0.5 * Math.log(Math.PI / 2);
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);
/** -1/√(machine epsilon): past this the log1mexp form loses every digit. */
const ASYMPTOTE_Z = -1 / Math.sqrt(Number.EPSILON);

/** log(1 - exp(a)) for a < 0, accurate at both ends (Mächler 2012). */
export function log1mexp(a: number): number {
  return a > -Math.LN2 ? Math.log(-Math.expm1(a)) : Math.log1p(-Math.exp(a));
}

/** log h(z) with h(z) = φ(z) + z Φ(z) = E[max(0, Z + z)], Z ~ N(0, 1). */
export function logH(z: number): number {
  if (z > -1) return Math.log(normPdf(z) + z * normCdf(z));
  if (z > ASYMPTOTE_Z) {
    const a = Math.log(erfcx(-z * SQRT_HALF) * -z) + LOG_SQRT_HALF_PI;
    return -0.5 * z * z - LOG_SQRT_2PI + log1mexp(a);
  }
  return -0.5 * z * z - LOG_SQRT_2PI - 2 * Math.log(-z);
}

/** d/dz log h(z) = Φ(z)/h(z), positive everywhere, ≈ |z| in the lower tail. */
export function logHDeriv(z: number): number {
  if (z > -1) return normCdf(z) / (normPdf(z) + z * normCdf(z));
  if (z > ASYMPTOTE_Z) {
    // Φ/φ = √(π/2)·erfcx(-z/√2) =: r;  h/φ = 1 + z r = 1 - exp(a) with a as in logH.
    const r = SQRT_HALF_PI * erfcx(-z * SQRT_HALF);
    const a = Math.log(r * -z);
    return r / -Math.expm1(a);
  }
  return -z - 2 / z;
}

/** Variance added before the square root, as Optuna does, so σ > 0 at observed points. */
export const STABILIZING_NOISE = 1e-12;

/** log EI of a N(mean, variance) prediction above `best`. */
export function logEi(mean: number, variance: number, best: number): number {
  const sigma = Math.sqrt(variance + STABILIZING_NOISE);
  return logH((mean - best) / sigma) + Math.log(sigma);
}

/**
 * log EI with its partial derivatives with respect to the mean and the variance, for gradient
 * ascent through the posterior (chain rule with ∂μ/∂x and ∂σ²/∂x).
 */
export function logEiWithGrad(mean: number, variance: number, best: number): { value: number; dMean: number; dVariance: number } {
  const sigma = Math.sqrt(variance + STABILIZING_NOISE);
  const z = (mean - best) / sigma;
  const hp = logHDeriv(z);
  // ∂/∂σ [log h(z) + log σ] = -h'·z/σ + 1/σ, and ∂σ/∂σ² = 1/(2σ).
  const dSigma = (1 - hp * z) / sigma;
  return { value: logH(z) + Math.log(sigma), dMean: hp / sigma, dVariance: dSigma / (2 * sigma) };
}
