/**
 * Gaussian-process Bayesian optimisation: model the objective as a Gaussian process over the unit
 * cube of the space, then propose the point with the largest expected improvement over the best
 * trial so far. Each finished trial sharpens the model where it matters, which makes GP the
 * sample-efficient choice for small continuous spaces and budgets of tens to a few hundred trials.
 *
 * Per suggestion (after `startupTrials` random ones):
 * 1. Training set (history.ts): succeeded trials in GP coordinates (encode.ts), at most
 *    `maxTrials` of them (best half + most recent), losses warped (Yeo-Johnson, warp.ts: long
 *    tails shrunk), standardised and negated.
 * 2. Kernel (kernel.ts): Matérn-5/2 with one lengthscale per coordinate (ARD); Hamming distance
 *    for categorical coordinates.
 * 3. Hyperparameters (fit.ts): MAP — marginal likelihood times Optuna's priors on lengthscales,
 *    kernel scale and noise — by a projected L-BFGS (lbfgs.ts) from Optuna's starting point and
 *    `fitStarts - 1` more (the most promising of two short-lengthscale starts), on at most
 *    `maxFitTrials` of the training points.
 * 4. Posterior (gp.ts) on the whole training set, plus the pending trials as a kriging believer:
 *    each pending point is added with its own predicted mean as value (and counts towards the
 *    incumbent), so the variance — and the expected improvement — collapses there and parallel
 *    suggestions spread out.
 * 5. Acquisition (acquisition.ts): log expected improvement (Ament et al. 2023), finite and
 *    smooth far into the tail.
 * 6. Search (optimize-acqf.ts): `candidates` Sobol' points (candidates.ts), then `localSearches` local
 *    searches — L-BFGS on continuous coordinates, exhaustive or neighbour moves on discrete ones —
 *    from the best candidates and the best trial (the box's centre, below). With `trustRegion`
 *    (the default) the candidates and the continuous search stay in a box around the best trial
 *    whose side is replayed from the history's runs of improvements and failures; once it has
 *    shrunk away, a new local run starts around a trial far from the earlier ones, with EI over
 *    its own best (trust-region.ts, after TuRBO).
 * 7. The winner is decoded; conditional parameters are drawn at random (encode.ts explains why).
 *    In an all-discrete space a repeat of a known configuration is replaced by the next-ranked
 *    point of step 6 (`avoidDuplicates`), and "exhausted" comes back once all are tried.
 *
 * Papers: J. Snoek, H. Larochelle, R. P. Adams, "Practical Bayesian Optimization of Machine
 * Learning Algorithms", NeurIPS 2012 (Matérn-5/2 ARD, EI); S. Ament et al., "Unexpected
 * Improvements to Expected Improvement for Bayesian Optimization", NeurIPS 2023 (LogEI);
 * D. Ginsbourger, R. Le Riche, L. Carraro, "Kriging is well-suited to parallelize optimization",
 * 2010 (kriging believer); D. Eriksson et al., "Scalable Global Optimization via Local Bayesian
 * Optimization", NeurIPS 2019 (trust region). Semantics follow Optuna 5.0's `GPSampler` except:
 * the output warp of step 1 (Optuna standardises only), the trust region of step 6, pending
 * trials use a kriging believer instead of Monte-Carlo fantasies (qLogEI), no warm start of the
 * fit from the previous one (a sampler keeps no state), and the history caps below.
 *
 * ```ts
 * const study = new Study({ objective: { metric: 'loss', goal: 'minimize' },
 *   parameters: [{ name: 'lr', type: 'float', min: 1e-5, max: 1, log: true }],
 *   algorithm: { name: 'gp', seed: 1, settings: { startupTrials: 10 } } });
 * ```
 * Options and defaults: `GpOptions` in options.ts.
 *
 * **Cost.** It runs synchronously in the operator's process. Fit O(maxFitTrials³) per optimiser
 * step, posterior O(maxTrials³) once, then O(maxTrials²) per candidate: with the defaults a
 * suggestion at 500 finished trials takes a median of 43 ms with 6 parameters and 56 ms with 10
 * (slowest 70 ms) on one core of a 2-core development machine (strategies benchmark,
 * 2026-11-26), independent of history length past the caps. If that ever blocks the event loop
 * for too long (much larger caps), the next step is to run `suggest` in a worker thread — it is a pure
 * function of (space, history, seed, index), so it moves without change.
 *
 * Randomness (Sobol' shift, roulette, conditional parameters, start-up) derives from
 * `ctx.rng`, itself derived from (seed, trial index); the fit is deterministic. Same seed and
 * history, same suggestion — also after a restart.
 */
import type { SearchSpace } from '../../space/space.js';
import { paramsKey } from '../../space/space.js';
import type { Params } from '../../space/types.js';
import { avoidDuplicates } from '../dedupe.js';
import { sampleUniform } from '../random.js';
import { isComplete, type SampleContext, type Sampler, type Suggestion, type TrialRecord } from '../types.js';
import { logEi, logEiWithGrad } from './acquisition.js';
import { sobolCandidates } from './candidates.js';
import { GpEncoding } from './encode.js';
import { fitKernelParams } from './fit.js';
import { GpPosterior } from './gp.js';
import { buildTrainingSet, pickRows, selectTrials } from './history.js';
import { type AcquisitionProblem, optimizeAcquisition } from './optimize-acqf.js';
import { defaultTrustRegion, LOCAL_RUN_RADIUS, localRunCentre, mapIntoBox, replayTrustRegion, trustRegionBox } from './trust-region.js';
import { DEFAULT_GP_OPTIONS, type GpOptions } from './options.js';

export class GpSampler implements Sampler {
  readonly name = 'gp';
  readonly options: GpOptions;
  private readonly encodings = new WeakMap<SearchSpace, GpEncoding>();

  constructor(options: Partial<GpOptions> = {}) {
    this.options = { ...DEFAULT_GP_OPTIONS, ...options };
  }

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    const finished = history.filter(isComplete).length;
    if (finished < this.options.startupTrials) {
      return avoidDuplicates(space, history, ctx, (attempt) => sampleUniform(space, ctx.rng.derive('gp-startup', attempt)));
    }
    let ranked: Params[] | undefined;
    return avoidDuplicates(space, history, ctx, (attempt) => {
      ranked ??= this.rank(space, history, ctx);
      return ranked[attempt] ?? sampleUniform(space, ctx.rng.derive('gp-fallback', attempt));
    });
  }

  private encoding(space: SearchSpace): GpEncoding {
    let e = this.encodings.get(space);
    if (e === undefined) this.encodings.set(space, (e = new GpEncoding(space)));
    return e;
  }

  /** Distinct proposals, best acquisition first. */
  private rank(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Params[] {
    const enc = this.encoding(space);
    const o = this.options;
    const d = enc.d;
    const train = buildTrainingSet(history, enc, ctx.goal, o.maxTrials, o.maxPendingTrials, o.outputWarp);
    if (train.n === 0) return [];

    // Hyperparameters on a subset (best half + most recent), posterior on the whole set.
    const fitIdx = selectTrials(train.y.map((v) => -v), o.maxFitTrials);
    const fitRows = Array.from({ length: train.n }, (_, i) => train.x.subarray(i * d, i * d + d));
    const params = fitKernelParams(pickRows(fitRows, fitIdx, d), Float64Array.from(fitIdx, (i) => train.y[i] as number), fitIdx.length, d, enc.categorical, {
      deterministic: o.deterministic,
      starts: o.fitStarts,
    });
    const observed = GpPosterior.condition(train.x, train.y, train.n, d, enc.categorical, params);
    const gp = observed.withBelieved(train.pending, train.p);

    let bestRow = 0;
    for (let i = 1; i < train.n; i++) if ((train.y[i] as number) > (train.y[bestRow] as number)) bestRow = i;
    let centreX = train.x.slice(bestRow * d, bestRow * d + d);
    let best = train.y[bestRow] as number;

    const lengthscales = params.invSqLengthscales.map((v) => 1 / Math.sqrt(v));
    let box: { lower: Float64Array; upper: Float64Array } | undefined;
    if (o.trustRegion) {
      // Replayed from every finished trial, not only the capped training set: the side depends
      // on the whole sequence of improvements and failures.
      const restricted = enc.dims.map((dim) => dim.kind !== 'categorical');
      const { side, restarts } = replayTrustRegion(train.losses, o.startupTrials, defaultTrustRegion(d));
      if (restarts.length > 0) {
        const centre = localRunCentre(train.losses, train.coords, d, restarts, lengthscales, restricted, LOCAL_RUN_RADIUS);
        centreX = train.coords.slice(centre * d, centre * d + d);
        // Expected improvement over the local run's best, so that the run descends its basin; a
        // centre outside the capped training set (an old start, before the run's first trial)
        // keeps the global incumbent.
        const row = train.rows.indexOf(centre);
        if (row >= 0) best = train.y[row] as number;
      }
      box = trustRegionBox(centreX, lengthscales, side, restricted);
    }
    // The incumbent counts the believed values too: to the kriging believer a pending trial is an
    // observation, so a point whose predicted value beats the best trial raises the bar. Without
    // this, EI at a promising pending point stays ≈ its predicted gain and parallel suggestions
    // pile up there.
    for (let i = train.n; i < gp.n; i++) best = Math.max(best, gp.y[i] as number);
    const gradMean = new Float64Array(d);
    const gradVar = new Float64Array(d);
    const problem: AcquisitionProblem = {
      dims: enc.dims,
      lengthscales,
      ...box,
      value: (xs, row) => {
        const { mean, variance } = gp.predict(xs, row);
        return logEi(mean, variance, best);
      },
      valueBatch: (xs, count, out) => {
        const variances = new Float64Array(count);
        gp.predictBatch(xs, count, out, variances);
        for (let r = 0; r < count; r++) out[r] = logEi(out[r] as number, variances[r] as number, best);
      },
      valueWithGrad: (x, grad) => {
        const { mean, variance } = gp.predictWithGrad(x, gradMean, gradVar);
        const { value, dMean, dVariance } = logEiWithGrad(mean, variance, best);
        for (let j = 0; j < d; j++) grad[j] = dMean * (gradMean[j] as number) + dVariance * (gradVar[j] as number);
        return value;
      },
      repair: (x) => enc.repair(x, 0),
    };

    const count = o.candidates;
    const candidates = sobolCandidates(count, d, ctx.rng.derive('gp-candidates'));
    if (box !== undefined) mapIntoBox(candidates, count, box);
    for (let r = 0; r < count; r++) enc.repair(candidates, r);
    const points = optimizeAcquisition(problem, {
      candidates,
      count,
      warmStarts: centreX,
      warmStartCount: 1,
      localSearches: o.localSearches,
      rng: ctx.rng.derive('gp-roulette'),
    });

    const out: Params[] = [];
    const seen = new Set<string>();
    points.forEach((pt, k) => {
      const params = enc.decode(pt.x, ctx.rng.derive('gp-conditional', k));
      const key = paramsKey(params);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(params);
      }
    });
    return out;
  }
}
