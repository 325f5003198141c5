/**
 * TPE's settings, as written under a study's `algorithm.settings`, with their defaults.
 *
 * `preset: 'optuna'` gives Optuna 5.0's `TPESampler(multivariate=True, group=True)` (its
 * constant liar is on by default); add `group: false` for its plain `TPESampler()`, which differs
 * only in conditional spaces. The default preset, `kubetune`, differs from `optuna` only where
 * `KUBETUNE_PRESET` says. Any single field may still be set on top of either preset. The seed is
 * the study's (`algorithm.seed`), not a setting: each suggestion's random stream is derived from
 * it and the trial index.
 */
import { SettingsReader } from '../settings.js';

export interface TpeOptions {
  /** Trials (succeeded or pruned) sampled uniformly at random before the model takes over. Default 10. */
  readonly startupTrials: number;
  /** Candidates drawn from l(x) per group and scored by log l(x) - log g(x). Default 24 (Optuna). */
  readonly candidates: number;
  /** Model the parameters of a group jointly (true) or each alone (false). Default true. */
  readonly multivariate: boolean;
  /**
   * Decompose a conditional space into groups of parameters that always appear together and
   * model each group on the trials that hold it. With false, the parameters common to all
   * trials form one group and the others are modelled alone (Optuna's default). Default true.
   */
  readonly group: boolean;
  /** Count pending and running trials as bad, so parallel suggestions differ. Default true. */
  readonly constantLiar: boolean;
  /** Weight of the prior kernel against one observation's. Default 1 (Optuna). */
  readonly priorWeight: number;
  /** Floor kernel widths at range / min(100, n + 2). Default true. */
  readonly magicClip: boolean;
  /** Let the outermost observations' kernels widen towards the domain bounds. Default false. */
  readonly endpoints: boolean;
  /** Fraction of finished trials counted as good. Default 0.1. */
  readonly gammaFraction: number;
  /** Most trials counted as good. Default 25. */
  readonly gammaMax: number;
  /**
   * Let kernels narrow as the study grows: the magic clip's n becomes the larger of the
   * estimator's observations and this fraction of the finished trials, so l(x), capped at 25
   * observations, is no longer held at range/27 for ever. 0 is Optuna's rule. Default 1
   * (`preset: 'optuna'`: 0).
   */
  readonly clipByStudy: number;
}

export type TpePreset = 'optuna' | 'kubetune';

/** Optuna 5.0.0's TPESampler defaults (multivariate, grouped, constant liar). */
export const OPTUNA_PRESET: TpeOptions = Object.freeze({
  startupTrials: 10,
  candidates: 24,
  multivariate: true,
  group: true,
  constantLiar: true,
  priorWeight: 1,
  magicClip: true,
  endpoints: false,
  gammaFraction: 0.1,
  gammaMax: 25,
  clipByStudy: 0,
});

/**
 * Our defaults: `OPTUNA_PRESET` with `clipByStudy: 1`, so that good kernels may narrow as the
 * study grows (why, and what it buys, in the header of sampler.ts and in docs/samplers.md).
 */
export const KUBETUNE_PRESET: TpeOptions = Object.freeze({
  ...OPTUNA_PRESET,
  clipByStudy: 1,
});

/**
 * Reads `algorithm.settings` for TPE: `preset` picks the defaults, any field overrides one.
 * Every unknown or ill-typed field is reported at once, as a `SpecError` whose issue paths are
 * `<basePath>/<field>`.
 */
export function parseTpeOptions(settings: Record<string, unknown> = {}, basePath = '/algorithm/settings'): TpeOptions {
  const r = new SettingsReader('tpe', settings, basePath);
  const d = r.choice('preset', ['kubetune', 'optuna'] as const) === 'optuna' ? OPTUNA_PRESET : KUBETUNE_PRESET;
  const int = { integer: true };
  const options: TpeOptions = {
    startupTrials: r.number('startupTrials', 0, Infinity, int) ?? d.startupTrials,
    candidates: r.number('candidates', 1, Infinity, int) ?? d.candidates,
    multivariate: r.boolean('multivariate') ?? d.multivariate,
    group: r.boolean('group') ?? d.group,
    constantLiar: r.boolean('constantLiar') ?? d.constantLiar,
    priorWeight: r.number('priorWeight', 0, Infinity) ?? d.priorWeight,
    magicClip: r.boolean('magicClip') ?? d.magicClip,
    endpoints: r.boolean('endpoints') ?? d.endpoints,
    gammaFraction: r.number('gammaFraction', 0, 1, { openMin: true }) ?? d.gammaFraction,
    gammaMax: r.number('gammaMax', 1, Infinity, int) ?? d.gammaMax,
    clipByStudy: r.number('clipByStudy', 0, 1) ?? d.clipByStudy,
  };
  if (settings.group === true && !options.multivariate) r.fail('group', 'group needs multivariate: true');
  r.done();
  return Object.freeze(options);
}
