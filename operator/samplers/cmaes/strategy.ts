/**
 * The CMA-ES update itself (Hansen 2016, "The CMA Evolution Strategy: A Tutorial", with
 * negative "active" weights as in section 3.4 and the `cmaes` Python package Optuna uses): pure
 * functions from a distribution `N(m, σ² C)` and one generation of scored points to the next
 * distribution. Nothing here knows about trials, parameters or randomness — `sample.ts` draws
 * points and `replay.ts` decides which trials form a generation.
 *
 * Everything is in the coordinates CMA-ES searches (the unit cube, minus fixed coordinates);
 * `A` is the per-coordinate scaling of CMA-ES with Margin (`margin.ts`), 1 for continuous ones.
 */
import { identity, matVec, norm, symmetricEigen } from './linalg.js';

/** Smallest eigenvalue kept after an update, so C stays positive definite. */
const EPS = 1e-8;
/** Cap on σ, as in the `cmaes` package; a unit-cube search never gets near it. */
const SIGMA_MAX = 1e32;

/** Default population size for `dim` dimensions: 4 + ⌊3 ln d⌋ (Hansen's eq. 48). */
export function defaultPopulationSize(dim: number): number {
  return 4 + Math.floor(3 * Math.log(Math.max(1, dim)));
}

/** The learning rates and weights of CMA-ES, fixed by the dimension and population size. */
export interface CmaConstants {
  readonly dim: number;
  readonly lambda: number;
  readonly mu: number;
  /** Recombination weights, best first: positive for the μ best, negative (active CMA) after. */
  readonly weights: Float64Array;
  readonly muEff: number;
  readonly cc: number;
  readonly c1: number;
  readonly cmu: number;
  readonly cSigma: number;
  readonly dSigma: number;
  /** E‖N(0, I)‖. */
  readonly chiN: number;
}

export function cmaConstants(dim: number, lambda: number): CmaConstants {
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: lambda }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const pos = raw.slice(0, mu);
  const neg = raw.slice(mu);
  const muEff = sum(pos) ** 2 / sum(pos.map((w) => w * w));
  const muEffMinus = neg.length > 0 && sum(neg.map((w) => w * w)) > 0 ? sum(neg) ** 2 / sum(neg.map((w) => w * w)) : 0;

  const alphaCov = 2;
  const c1 = alphaCov / ((dim + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1 - 1e-8, (alphaCov * (muEff - 2 + 1 / muEff)) / ((dim + 2) ** 2 + (alphaCov * muEff) / 2));
  // Negative weights are scaled so the covariance update stays positive definite (eqs. 50–53).
  const alphaMinus = Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (dim * cmu));
  const positiveSum = sum(raw.filter((w) => w > 0));
  const negativeSum = sum(raw.filter((w) => w < 0).map(Math.abs));
  const weights = Float64Array.from(raw, (w) => (w >= 0 ? w / positiveSum : (alphaMinus * w) / negativeSum));

  const cSigma = (muEff + 2) / (dim + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (dim + 1)) - 1) + cSigma;
  const cc = (4 + muEff / dim) / (dim + 4 + (2 * muEff) / dim);
  const chiN = Math.sqrt(dim) * (1 - 1 / (4 * dim) + 1 / (21 * dim * dim));
  return { dim, lambda, mu, weights, muEff, cc, c1, cmu: Math.max(0, cmu), cSigma, dSigma, chiN };
}

/** One generation's search distribution and evolution paths. Treated as immutable. */
export interface CmaState {
  /** Number of updates that led here (0 for the initial distribution). */
  readonly generation: number;
  readonly mean: Float64Array;
  readonly sigma: number;
  /** Covariance, row-major d × d. */
  readonly C: Float64Array;
  /** Eigenvectors of C (columns, row-major) and the square roots of its eigenvalues. */
  readonly B: Float64Array;
  readonly D: Float64Array;
  readonly pSigma: Float64Array;
  readonly pc: Float64Array;
  /** Margin scaling of each coordinate around the mean (1 = none). */
  readonly A: Float64Array;
}

export function initialState(mean: ArrayLike<number>, sigma: number): CmaState {
  const d = mean.length;
  return {
    generation: 0,
    mean: Float64Array.from(mean),
    sigma,
    C: identity(d),
    B: identity(d),
    D: new Float64Array(d).fill(1),
    pSigma: new Float64Array(d),
    pc: new Float64Array(d),
    A: new Float64Array(d).fill(1),
  };
}

/** A point of a generation (as sampled, before any discretisation) and its loss. */
export interface Scored {
  readonly x: Float64Array;
  readonly loss: number;
}

/**
 * The CMA-ES update from `λ` scored points of one generation. Points are ranked by loss, ties
 * kept in the given order, so the caller's order makes the update deterministic.
 */
export function tell(k: CmaConstants, s: CmaState, solutions: readonly Scored[]): CmaState {
  const n = k.dim;
  if (solutions.length !== k.lambda) throw new RangeError(`a generation needs ${k.lambda} points, got ${solutions.length}`);
  const generation = s.generation + 1;
  const ranked = solutions.map((sol, i) => ({ sol, i })).sort((a, b) => a.sol.loss - b.sol.loss || a.i - b.i);

  // y_k = (x_k − m) / σ, distributed as N(0, C) under the old distribution.
  const ys = ranked.map(({ sol }) => Float64Array.from(sol.x, (x, j) => (x - (s.mean[j] as number)) / s.sigma));
  const yw = new Float64Array(n);
  for (let i = 0; i < k.mu; i++) {
    const w = k.weights[i] as number;
    const y = ys[i] as Float64Array;
    for (let j = 0; j < n; j++) yw[j] = (yw[j] as number) + w * (y[j] as number);
  }
  const mean = Float64Array.from(s.mean, (m, j) => m + s.sigma * (yw[j] as number));

  // C^{-1/2} = B D^{-1} Bᵀ, for the step-size path and the active weights.
  const invSqrtC = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let l = 0; l < n; l++) acc += ((s.B[i * n + l] as number) * (s.B[j * n + l] as number)) / (s.D[l] as number);
      invSqrtC[i * n + j] = acc;
    }
  }

  // Step-size control by cumulative path length.
  const cs = k.cSigma;
  const zw = matVec(invSqrtC, yw, n);
  const sigmaGain = Math.sqrt(cs * (2 - cs) * k.muEff);
  const pSigma = Float64Array.from(s.pSigma, (p, j) => (1 - cs) * p + sigmaGain * (zw[j] as number));
  const normPSigma = norm(pSigma);
  const sigma = Math.min(s.sigma * Math.exp((cs / k.dSigma) * (normPSigma / k.chiN - 1)), SIGMA_MAX);

  // Rank-one path, stalled while ‖p_σ‖ is large (h_σ), so C does not grow too fast.
  const hLeft = normPSigma / Math.sqrt(1 - (1 - cs) ** (2 * (generation + 1)));
  const hSigma = hLeft < (1.4 + 2 / (n + 1)) * k.chiN ? 1 : 0;
  const pcGain = hSigma * Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
  const pc = Float64Array.from(s.pc, (p, j) => (1 - k.cc) * p + pcGain * (yw[j] as number));

  // Rank-μ with active (negative) weights, rescaled so that they cannot shrink C below zero.
  const wo = ys.map((y, i) => {
    const w = k.weights[i] as number;
    return w >= 0 ? w : (w * n) / (norm(matVec(invSqrtC, y, n)) ** 2 + EPS);
  });
  let weightSum = 0;
  for (const w of k.weights) weightSum += w;
  const deltaH = (1 - hSigma) * k.cc * (2 - k.cc);
  const keep = 1 + k.c1 * deltaH - k.c1 - k.cmu * weightSum;
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let rankMu = 0;
      for (let r = 0; r < ys.length; r++) rankMu += (wo[r] as number) * ((ys[r] as Float64Array)[i] as number) * ((ys[r] as Float64Array)[j] as number);
      const cij = keep * (s.C[i * n + j] as number) + k.c1 * (pc[i] as number) * (pc[j] as number) + k.cmu * rankMu;
      C[i * n + j] = cij;
      C[j * n + i] = cij;
    }
  }
  return { generation, mean, sigma, pSigma, pc, A: s.A, ...decompose(C, n) };
}

/** Eigen-decomposes C, floors its eigenvalues at EPS and rebuilds C from the floored ones. */
export function decompose(c: Float64Array, n: number): { C: Float64Array; B: Float64Array; D: Float64Array } {
  const { values, vectors } = symmetricEigen(c, n);
  const D = Float64Array.from(values, (v) => Math.sqrt(v < EPS ? EPS : v));
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let acc = 0;
      for (let l = 0; l < n; l++) acc += (vectors[i * n + l] as number) * (D[l] as number) ** 2 * (vectors[j * n + l] as number);
      C[i * n + j] = acc;
      C[j * n + i] = acc;
    }
  }
  return { C, B: vectors, D };
}
