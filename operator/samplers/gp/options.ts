/**
 * The GP sampler's settings, as written under a study's `algorithm.settings`, with their
 * defaults. Optuna 5.0's GPSampler values where it has one (`startupTrials`, `candidates`,
 * `localSearches`, `deterministic`). The output warp is ours (it wins on every benchmark problem,
 * warp.ts), and so are the caps, because the sampler runs inside the operator's process and must
 * answer in well under a tenth of a second at 500 trials.
 */
import { SettingsReader } from '../settings.js';
import type { OutputWarp } from './warp.js';

export interface GpOptions {
  /** Finished trials sampled uniformly at random before the GP takes over. Default 10. */
  readonly startupTrials: number;
  /** Scrambled Sobol' candidates scored before the local search. Default 2048 (Optuna). */
  readonly candidates: number;
  /** Local searches from the best candidates (plus one from the best trial). Default 10 (Optuna). */
  readonly localSearches: number;
  /**
   * Most finished trials the GP conditions on. Past it, the best half (by objective) and the
   * most recent of the rest are kept — the region that matters plus where the search is now.
   * Prediction costs O(n²) per candidate, so this bounds the time of a suggestion. Default 100.
   */
  readonly maxTrials: number;
  /**
   * Most of those trials used to fit the kernel hyperparameters (the same best-half and
   * most-recent rule). The fit costs O(n³) per step of its optimiser. Default 100: every trial the
   * GP conditions on. A smaller fit set (40 until 2026-11) is cheaper but, past ~100 trials, fits
   * the lengthscales to the cluster of good trials alone; at 200 trials that cost 1.3–2× in median
   * regret on Rosenbrock-4 and Hartmann-6 (strategies benchmark, docs/samplers.md).
   */
  readonly maxFitTrials: number;
  /**
   * Starting points of the hyperparameter fit (1–3; see `FIT_STARTS` in fit.ts). Default 1,
   * Optuna's start: with the whole training set in the fit the data settle the lengthscales. With
   * two starts (and `maxTrials` 200) seeds 0–9 at 200 trials were no better on Hartmann-6 (6.2e-5
   * vs 6.0e-5) and worse on Rosenbrock-4 (3.0 vs 1.6), at twice the fit's cost.
   */
  readonly fitStarts: number;
  /** Most pending trials (the most recent) added to the model as kriging-believer points. Default 64. */
  readonly maxPendingTrials: number;
  /** The objective has no noise: fix the noise variance at its floor. Default false. */
  readonly deterministic: boolean;
  /**
   * Monotone transform of the losses before standardisation (warp.ts): `yeo-johnson` shrinks
   * long tails — diverged runs, objectives spanning orders of magnitude — so the GP models the
   * region that matters; `none` standardises only (Optuna 5.0). Default `yeo-johnson`.
   */
  readonly outputWarp: OutputWarp;
  /**
   * Search the acquisition only inside a trust region around the best trial (trust-region.ts,
   * after TuRBO): a box that halves after a run of trials without improvement and doubles after a
   * run of improvements. Without it, expected improvement in a basin the GP cannot resolve is
   * tiny and the search drifts to the cube's faces. Default true; false searches the whole cube
   * (Optuna 5.0).
   */
  readonly trustRegion: boolean;
}

export const DEFAULT_GP_OPTIONS: GpOptions = Object.freeze({
  startupTrials: 10,
  candidates: 2048,
  localSearches: 10,
  maxTrials: 100,
  maxFitTrials: 100,
  fitStarts: 1,
  maxPendingTrials: 64,
  deterministic: false,
  outputWarp: 'yeo-johnson',
  trustRegion: true,
});

/**
 * Reads `algorithm.settings` for `gp`. Every unknown or ill-typed field is reported at once, as a
 * `SpecError` whose issue paths are `<basePath>/<field>`.
 */
export function parseGpOptions(settings: Record<string, unknown> = {}, basePath = '/algorithm/settings'): GpOptions {
  const r = new SettingsReader('gp', settings, basePath);
  const d = DEFAULT_GP_OPTIONS;
  const int = { integer: true };
  const options: GpOptions = {
    startupTrials: r.number('startupTrials', 0, Infinity, int) ?? d.startupTrials,
    candidates: r.number('candidates', 1, 65536, int) ?? d.candidates,
    localSearches: r.number('localSearches', 1, 65536, int) ?? d.localSearches,
    maxTrials: r.number('maxTrials', 2, 5000, int) ?? d.maxTrials,
    maxFitTrials: r.number('maxFitTrials', 2, 5000, int) ?? d.maxFitTrials,
    fitStarts: r.number('fitStarts', 1, 3, int) ?? d.fitStarts,
    maxPendingTrials: r.number('maxPendingTrials', 0, Infinity, int) ?? d.maxPendingTrials,
    deterministic: r.boolean('deterministic') ?? d.deterministic,
    outputWarp: r.choice('outputWarp', ['yeo-johnson', 'none'] as const) ?? d.outputWarp,
    trustRegion: r.boolean('trustRegion') ?? d.trustRegion,
  };
  r.done();
  return Object.freeze(options);
}
