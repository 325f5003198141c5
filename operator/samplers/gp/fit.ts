/**
 * Kernel hyperparameters by maximum a posteriori: minimise
 *
 *   loss(θ) = ½ yᵀ C⁻¹ y + ½ log det C - log prior(θ),    C = K_θ(X, X) + noise·I,
 *
 * (the negative log marginal likelihood without its constant, plus the negative log prior) over
 * θ = (log 1/ℓ_1², …, log 1/ℓ_d², log scale, log(noise - minNoise)). Working in logs keeps every
 * parameter positive without constraints; the noise floor keeps C well conditioned.
 *
 * Priors, as Optuna 5.0's `optuna/_gp/prior.py` (chosen there by heuristics; y is standardised so
 * the same numbers suit every study):
 * - each inverse squared lengthscale λ: log p(λ) = -(0.1/λ + 0.1 λ), mode at λ = 1 (ℓ = 1, the
 *   width of the cube), so a lengthscale shrinks only when the data ask for it;
 * - scale ~ Gamma(concentration 2, rate 1): mode 1, the variance of standardised y;
 * - noise ~ Gamma(1.1, 30): mean ≈ 0.037, most mass on small noise, never exactly zero.
 *
 * Gradient: ∂loss/∂θ = ½ tr((C⁻¹ - ααᵀ) ∂C/∂θ) - ∂log prior/∂θ with α = C⁻¹y (Rasmussen &
 * Williams 2006, eq. 5.9). The optimiser is the projected L-BFGS of `lbfgs.ts`, started from a few
 * fixed points (deterministic, so a restarted operator refits identically) — the best loss wins.
 * Restarts matter: from Optuna's start alone, 20 points of sin(6πx) converge to "long lengthscale,
 * large noise" (ℓ ≈ 1.3, noise ≈ 0.4); from a short-lengthscale start to ℓ ≈ 0.17, noise ≈ 3e-4,
 * which has the lower loss. (Optuna warm-starts from the previous trial's fit instead; a stateless
 * sampler cannot.)
 * Each evaluation costs one Cholesky and one inverse, O(n³): callers cap n (see sampler.ts).
 */
import { matern52, matern52Deriv, type KernelParams } from './kernel.js';
import { cholesky, inverseFromCholesky, solveCholesky } from './linalg.js';
import { minimize } from './lbfgs.js';

/** Optuna's noise floor for standardised targets. */
export const DEFAULT_MIN_NOISE = 1e-6;

export interface FitOptions {
  /** Smallest noise variance. Default `DEFAULT_MIN_NOISE`. */
  readonly minNoise?: number;
  /** Fix the noise at `minNoise` (a deterministic objective). Default false. */
  readonly deterministic?: boolean;
  /** How many starts to optimise from (1–3): Optuna's, then the others by initial loss. Default 2. */
  readonly starts?: number;
  /** L-BFGS iterations per start. Default 50. */
  readonly maxIter?: number;
}

/**
 * Starting points: Optuna's (every 1/ℓ² = 1, scale 1, noise 1), then shorter lengthscales with
 * less noise, so a wiggly objective is not explained away as noise by a local optimum.
 */
export const FIT_STARTS: readonly { readonly invSqLengthscale: number; readonly scale: number; readonly noise: number }[] = [
  { invSqLengthscale: 1, scale: 1, noise: 1 },
  { invSqLengthscale: 10, scale: 1, noise: 1e-2 },
  { invSqLengthscale: 100, scale: 1, noise: 1e-3 },
];

/** Log prior of the hyperparameters and its gradient with respect to θ (added into `grad`). */
export function logPrior(isl: Float64Array, scale: number, noise: number, noiseRaw: number, deterministic: boolean, grad?: Float64Array): number {
  const d = isl.length;
  let lp = 0;
  for (let j = 0; j < d; j++) {
    const lam = isl[j] as number;
    lp += -(0.1 / lam + 0.1 * lam);
    if (grad) grad[j] = (grad[j] as number) + (0.1 / lam - 0.1 * lam);
  }
  // Gamma(a, b): (a - 1) log x - b x, derivative in log x: (a - 1) - b x.
  lp += Math.log(scale) - scale;
  if (grad) grad[d] = (grad[d] as number) + (1 - scale);
  lp += 0.1 * Math.log(noise) - 30 * noise;
  if (grad && !deterministic) grad[d + 1] = (grad[d + 1] as number) + (0.1 / noise - 30) * Math.exp(noiseRaw);
  return lp;
}

/** The MAP objective over fixed data; `evaluate(θ, grad)` returns the loss and fills ∂loss/∂θ. */
export class MapObjective {
  /** Pairwise per-dimension distances of the strict lower triangle: pair p = (i, j), i > j, at p·d. */
  private readonly sqd: Float64Array;
  private readonly pairs: number;
  // Work buffers, reused by every evaluation (the optimiser calls `evaluate` dozens of times).
  private readonly c: Float64Array;
  private readonly l: Float64Array;
  private readonly dm: Float64Array;
  private readonly w: Float64Array;
  private readonly scratch: Float64Array;

  constructor(
    readonly x: Float64Array,
    readonly y: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly categorical: Uint8Array,
    readonly minNoise: number,
    readonly deterministic: boolean,
  ) {
    this.pairs = (n * (n - 1)) / 2;
    this.c = new Float64Array(n * n);
    this.l = new Float64Array(n * n);
    this.dm = new Float64Array(this.pairs);
    this.w = new Float64Array(n * n);
    this.scratch = new Float64Array(n * n);
    this.sqd = new Float64Array(this.pairs * d);
    let p = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++, p++) {
        for (let k = 0; k < d; k++) {
          const a = x[i * d + k] as number;
          const b = x[j * d + k] as number;
          this.sqd[p * d + k] = categorical[k] === 1 ? (a === b ? 0 : 1) : (a - b) * (a - b);
        }
      }
    }
  }

  params(theta: Float64Array): KernelParams {
    const d = this.d;
    const isl = new Float64Array(d);
    for (let j = 0; j < d; j++) isl[j] = Math.exp(theta[j] as number);
    return { invSqLengthscales: isl, scale: Math.exp(theta[d] as number), noise: this.noiseOf(theta) };
  }

  private noiseOf(theta: Float64Array): number {
    return this.deterministic ? this.minNoise : this.minNoise + Math.exp(theta[this.d + 1] as number);
  }

  evaluate(theta: Float64Array, grad: Float64Array): number {
    const { n, d, sqd } = this;
    const { invSqLengthscales: isl, scale, noise } = this.params(theta);
    // C and, per pair, scale·m'(r²) for the lengthscale gradients.
    const { c, dm } = this;
    let p = 0;
    for (let i = 0; i < n; i++) {
      c[i * n + i] = scale + noise;
      for (let j = 0; j < i; j++, p++) {
        let r2 = 0;
        for (let k = 0; k < d; k++) r2 += (sqd[p * d + k] as number) * (isl[k] as number);
        const v = scale * matern52(r2);
        c[i * n + j] = v;
        c[j * n + i] = v;
        dm[p] = scale * matern52Deriv(r2);
      }
    }
    const l = cholesky(c, n, this.l);
    grad.fill(0);
    if (l === undefined) return Number.POSITIVE_INFINITY; // the line search backs off
    const alpha = solveCholesky(l, n, Float64Array.from(this.y));
    let logDet = 0;
    let quad = 0;
    for (let i = 0; i < n; i++) {
      logDet += Math.log(l[i * n + i] as number);
      quad += (this.y[i] as number) * (alpha[i] as number);
    }
    // W = C⁻¹ - ααᵀ; ∂loss/∂θ = ½ Σ_ij W_ij ∂C_ij/∂θ.
    const w = inverseFromCholesky(l, n, this.scratch, this.w);
    let traceWK = 0;
    let traceW = 0;
    p = 0;
    for (let i = 0; i < n; i++) {
      const wii = (w[i * n + i] as number) - (alpha[i] as number) * (alpha[i] as number);
      traceW += wii;
      traceWK += wii * scale;
      for (let j = 0; j < i; j++, p++) {
        const wij = (w[i * n + j] as number) - (alpha[i] as number) * (alpha[j] as number);
        traceWK += 2 * wij * (c[i * n + j] as number);
        // ∂C_ij/∂log λ_k = scale·m'(r²)·sqd_k·λ_k; both triangles: factor 2, times ½.
        const coef = wij * (dm[p] as number);
        for (let k = 0; k < d; k++) grad[k] = (grad[k] as number) + coef * (sqd[p * d + k] as number);
      }
    }
    for (let k = 0; k < d; k++) grad[k] = (grad[k] as number) * (isl[k] as number);
    grad[d] = 0.5 * traceWK;
    grad[d + 1] = this.deterministic ? 0 : 0.5 * traceW * Math.exp(theta[d + 1] as number);
    // Subtract the log prior (and its gradient) via a negated accumulation.
    const priorGrad = new Float64Array(d + 2);
    const lp = logPrior(isl, scale, noise, theta[d + 1] as number, this.deterministic, priorGrad);
    for (let k = 0; k < d + 2; k++) grad[k] = (grad[k] as number) - (priorGrad[k] as number);
    return 0.5 * quad + logDet - lp;
  }
}

/** Box on θ: generous, only there so a flat direction cannot run off to overflow. */
function bounds(d: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(d + 2);
  const upper = new Float64Array(d + 2);
  for (let j = 0; j < d; j++) {
    lower[j] = Math.log(1e-4); // ℓ = 100: flat across the cube
    upper[j] = Math.log(1e5); // ℓ ≈ 0.003
  }
  lower[d] = Math.log(1e-3);
  upper[d] = Math.log(1e3);
  lower[d + 1] = Math.log(1e-9);
  upper[d + 1] = Math.log(10);
  return { lower, upper };
}

/**
 * MAP kernel hyperparameters for `n` points `x` (rows of `d`) with standardised targets `y`.
 * `categorical[j] = 1` marks Hamming dimensions.
 */
export function fitKernelParams(x: Float64Array, y: Float64Array, n: number, d: number, categorical: Uint8Array, options: FitOptions = {}): KernelParams {
  const minNoise = options.minNoise ?? DEFAULT_MIN_NOISE;
  const deterministic = options.deterministic ?? false;
  const objective = new MapObjective(x, y, n, d, categorical, minNoise, deterministic);
  const box = bounds(d);
  const thetaOf = (start: (typeof FIT_STARTS)[number]) => {
    const theta = new Float64Array(d + 2);
    theta.fill(Math.log(start.invSqLengthscale), 0, d);
    theta[d] = Math.log(start.scale);
    theta[d + 1] = Math.log(start.noise);
    return theta;
  };
  // Optuna's start always runs; the other starts are ranked by their initial loss (one evaluation
  // each) and the most promising `starts - 1` of them run too.
  const scratch = new Float64Array(d + 2);
  const wanted = Math.max(1, Math.min(FIT_STARTS.length, options.starts ?? 2));
  // Ranking costs one O(n³) evaluation per start: skip it when only Optuna's start runs.
  const others = wanted === 1 ? [] : FIT_STARTS.slice(1)
    .map((start) => ({ theta: thetaOf(start), loss: objective.evaluate(thetaOf(start), scratch) }))
    .sort((a, b) => a.loss - b.loss);
  const starts = [thetaOf(FIT_STARTS[0] as (typeof FIT_STARTS)[number]), ...others.slice(0, wanted - 1).map((o) => o.theta)];
  let best: { theta: Float64Array; value: number } | undefined;
  for (const theta0 of starts) {
    const result = minimize((t, g) => objective.evaluate(t, g), theta0, { ...box, maxIter: options.maxIter ?? 50, gtol: 1e-2, ftol: 1e-7 });
    if (Number.isFinite(result.value) && (best === undefined || result.value < best.value)) best = { theta: result.x, value: result.value };
  }
  if (best === undefined) {
    // Every start failed (should not happen with the noise floor): Optuna's defaults.
    return { invSqLengthscales: new Float64Array(d).fill(1), scale: 1, noise: 1 };
  }
  return objective.params(best.theta);
}
