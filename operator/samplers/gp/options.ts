/**
 * The GP sampler's settings, as written under a study's `algorithm.settings`, with their
 * defaults. Optuna 5.0's GPSampler values where it has one (`startupTrials`, `candidates`,
 * `localSearches`, `deterministic`). The output warp is ours (it wins on every benchmark problem,
 * warp.ts), and so are the caps, because the sampler runs inside the operator's process and must
 * answer in well under a tenth of a second at 500 trials.
 */
import { type Issue, joinPath, SpecError } from '../../api/issues.js';
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
   * most-recent rule). The fit costs O(n³) per step of its optimiser. Default 40.
   */
  readonly maxFitTrials: number;
  /** Starting points of the hyperparameter fit (1–3; see `FIT_STARTS` in fit.ts). Default 2. */
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
}

export const DEFAULT_GP_OPTIONS: GpOptions = Object.freeze({
  startupTrials: 10,
  candidates: 2048,
  localSearches: 10,
  maxTrials: 100,
  maxFitTrials: 40,
  fitStarts: 2,
  maxPendingTrials: 64,
  deterministic: false,
  outputWarp: 'yeo-johnson',
});

type Kind = 'warp' | 'count' | 'positiveCount' | 'boolean' | 'fitStarts' | 'atLeastTwo';

const FIELDS: Record<keyof GpOptions, Kind> = {
  startupTrials: 'count',
  candidates: 'positiveCount',
  localSearches: 'positiveCount',
  maxTrials: 'atLeastTwo',
  maxFitTrials: 'atLeastTwo',
  fitStarts: 'fitStarts',
  maxPendingTrials: 'count',
  deterministic: 'boolean',
  outputWarp: 'warp',
};

const RULES: Record<Kind, [(v: unknown) => boolean, string]> = {
  warp: [(v) => v === 'yeo-johnson' || v === 'none', 'must be "yeo-johnson" or "none"'],
  boolean: [(v) => typeof v === 'boolean', 'must be true or false'],
  count: [(v) => Number.isInteger(v) && (v as number) >= 0, 'must be an integer >= 0'],
  positiveCount: [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65536, 'must be an integer in 1..65536'],
  atLeastTwo: [(v) => Number.isInteger(v) && (v as number) >= 2 && (v as number) <= 5000, 'must be an integer in 2..5000'],
  fitStarts: [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 3, 'must be 1, 2 or 3'],
};

/**
 * Reads `algorithm.settings` for `gp`. Every unknown or ill-typed field is reported at once, as a
 * `SpecError` whose issue paths are `<basePath>/<field>`.
 */
export function parseGpOptions(settings: Record<string, unknown> = {}, basePath = '/algorithm/settings'): GpOptions {
  const issues: Issue[] = [];
  const chosen: Record<string, unknown> = { ...DEFAULT_GP_OPTIONS };
  for (const [field, value] of Object.entries(settings)) {
    const kind = (FIELDS as Record<string, Kind | undefined>)[field];
    if (kind === undefined) {
      issues.push({ code: 'unknown_setting', path: joinPath(basePath, field), message: `gp has no setting "${field}"`, hint: `one of ${Object.keys(FIELDS).join(', ')}` });
      continue;
    }
    const [ok, rule] = RULES[kind];
    if (!ok(value)) {
      issues.push({ code: 'bad_setting', path: joinPath(basePath, field), message: `${field} ${rule}, got ${JSON.stringify(value)}` });
      continue;
    }
    chosen[field] = value;
  }
  if (issues.length > 0) throw new SpecError(issues);
  return Object.freeze(chosen as unknown as GpOptions);
}
