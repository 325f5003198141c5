/**
 * Katib `spec.algorithm` and `spec.earlyStopping` → our sampler and pruner.
 *
 *   random                → random          random_state → seed
 *   grid                  → grid
 *   sobol                 → sobol           random_state → seed
 *   tpe, multivariate-tpe → tpe             n_startup_trials → startupTrials, n_ei_candidates →
 *                                           candidates, random_state → seed (multivariate: true)
 *   bayesianoptimization  → gp              n_initial_points → startupTrials, random_state → seed
 *   cmaes                 → cmaes           sigma → sigma0, random_state → seed
 *   hyperband             → random sampler + hyperband pruner (eta → reductionFactor,
 *                                           r_l → maxResource)
 *   medianstop (early stopping) → median    min_trials_required → startupTrials,
 *                                           start_step → warmupSteps (Katib first judges a trial
 *                                           at its start_step-th report, we at step warmupSteps:
 *                                           the same when steps count from 1, as epochs do)
 *
 * Katib's setting values are strings; a setting with no counterpart, or a value that is not a
 * number, becomes a note. Algorithms without a counterpart (pbt, enas, darts) fall back to TPE.
 */
import type { AlgorithmSpec, EarlyStoppingSpec } from '../../api/types.js';
import { isRecord, type Notes, toNumber } from '../notes.js';

type SettingMap = Record<string, { to: string; integer?: boolean } | { note: string }>;

interface AlgorithmRule {
  name: string;
  fixed?: Record<string, unknown>;
  settings: SettingMap;
}

const SEED = { to: 'seed', integer: true } as const;
const TPE_SETTINGS: SettingMap = {
  n_startup_trials: { to: 'startupTrials', integer: true },
  n_ei_candidates: { to: 'candidates', integer: true },
  random_state: SEED,
};

const ALGORITHMS: Record<string, AlgorithmRule> = {
  random: { name: 'random', settings: { random_state: SEED } },
  grid: { name: 'grid', settings: {} },
  sobol: { name: 'sobol', settings: { random_state: SEED } },
  tpe: { name: 'tpe', settings: TPE_SETTINGS },
  'multivariate-tpe': { name: 'tpe', fixed: { multivariate: true }, settings: TPE_SETTINGS },
  bayesianoptimization: {
    name: 'gp',
    settings: {
      n_initial_points: { to: 'startupTrials', integer: true },
      random_state: SEED,
      base_estimator: { note: 'the surrogate is always a Gaussian process here' },
      acq_func: { note: 'the acquisition is log expected improvement here' },
      acq_optimizer: { note: 'the acquisition is optimised by random candidates and local search here' },
    },
  },
  cmaes: {
    name: 'cmaes',
    settings: { sigma: { to: 'sigma0' }, random_state: SEED, restart_strategy: { note: 'no IPOP/BIPOP restarts here' } },
  },
};

/** Where hyperband's Katib settings go on our hyperband pruner. */
const HYPERBAND_SETTINGS: SettingMap = {
  eta: { to: 'reductionFactor' },
  r_l: { to: 'maxResource' },
  resource_name: { note: 'the resource is the trial\'s step (its metric lines), not a parameter: keep that parameter fixed at its maximum in the trial' },
};

export interface ConvertedAlgorithm {
  algorithm: AlgorithmSpec;
  earlyStopping?: EarlyStoppingSpec;
  /** Katib's hyperband resource parameter, which must leave the search space. */
  resourceParameter?: string;
}

/** Reads Katib's `[{name, value}]` settings into ours following `map`; the rest become notes. */
function mapSettings(raw: unknown, map: SettingMap, algorithm: string, notes: Notes, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (raw === undefined) return out;
  if (!Array.isArray(raw)) {
    notes.add(path, 'algorithmSettings is not a list; ignored');
    return out;
  }
  raw.forEach((s, i) => {
    const name = isRecord(s) && typeof s.name === 'string' ? s.name : undefined;
    const at = `${path}/${i}`;
    const rule = name === undefined ? undefined : map[name];
    if (name === undefined || rule === undefined) {
      notes.add(at, `${algorithm} setting ${JSON.stringify(name ?? s)} has no counterpart; dropped`);
      return;
    }
    if ('note' in rule) {
      notes.add(at, `${algorithm} setting ${name}=${JSON.stringify((s as Record<string, unknown>).value)} dropped: ${rule.note}`);
      return;
    }
    const value = toNumber((s as Record<string, unknown>).value);
    if (value === undefined || (rule.integer === true && !Number.isInteger(value))) {
      notes.add(`${at}/value`, `${algorithm} setting ${name}: ${JSON.stringify((s as Record<string, unknown>).value)} is not ${rule.integer === true ? 'an integer' : 'a number'}; dropped`);
      return;
    }
    out[rule.to] = value;
  });
  return out;
}

function settingValue(raw: unknown, name: string): unknown {
  if (!Array.isArray(raw)) return undefined;
  const found = raw.find((s) => isRecord(s) && s.name === name);
  return isRecord(found) ? found.value : undefined;
}

export function convertAlgorithm(raw: unknown, notes: Notes, path = '/spec/algorithm'): ConvertedAlgorithm {
  const spec = isRecord(raw) ? raw : {};
  const name = spec.algorithmName;
  const settingsPath = `${path}/algorithmSettings`;
  if (typeof name !== 'string') {
    notes.add(`${path}/algorithmName`, 'no algorithmName; TPE is used');
    return { algorithm: { name: 'tpe' } };
  }
  if (name === 'hyperband') {
    const pruner = mapSettings(spec.algorithmSettings, HYPERBAND_SETTINGS, name, notes, settingsPath);
    const resource = settingValue(spec.algorithmSettings, 'resource_name');
    notes.add(`${path}/algorithmName`, 'hyperband becomes random sampling with the hyperband pruner (brackets of successive halving over the trial\'s reported steps)');
    return {
      algorithm: { name: 'random' },
      earlyStopping: { name: 'hyperband', settings: pruner },
      ...(typeof resource === 'string' ? { resourceParameter: resource } : {}),
    };
  }
  const rule = ALGORITHMS[name];
  if (rule === undefined) {
    notes.add(`${path}/algorithmName`, `algorithm ${JSON.stringify(name)} has no counterpart${name === 'pbt' ? ' (population-based training keeps weights between trials)' : ''}; TPE is used`);
    if (spec.algorithmSettings !== undefined) notes.add(settingsPath, `settings of ${name} dropped`);
    return { algorithm: { name: 'tpe' } };
  }
  const mapped = mapSettings(spec.algorithmSettings, rule.settings, name, notes, settingsPath);
  const { seed, ...settings } = { ...rule.fixed, ...mapped };
  return {
    algorithm: {
      name: rule.name,
      ...(typeof seed === 'number' ? { seed } : {}),
      ...(Object.keys(settings).length > 0 ? { settings } : {}),
    },
  };
}

/** Katib's medianstop defaults (pkg/earlystopping/v1beta1/medianstop). */
const KATIB_MEDIANSTOP = { min_trials_required: 3, start_step: 4 };

export function convertEarlyStopping(raw: unknown, notes: Notes, path = '/spec/earlyStopping'): EarlyStoppingSpec | undefined {
  if (raw === undefined) return undefined;
  const spec = isRecord(raw) ? raw : {};
  if (spec.algorithmName !== 'medianstop') {
    notes.add(`${path}/algorithmName`, `early stopping ${JSON.stringify(spec.algorithmName)} has no counterpart; no pruner`);
    return undefined;
  }
  const settings = mapSettings(spec.algorithmSettings, {
    min_trials_required: { to: 'startupTrials', integer: true },
    start_step: { to: 'warmupSteps', integer: true },
  }, 'medianstop', notes, `${path}/algorithmSettings`);
  // Katib's defaults, written out: ours differ (startupTrials 5, warmupSteps 0 as in Optuna).
  settings.startupTrials ??= KATIB_MEDIANSTOP.min_trials_required;
  settings.warmupSteps ??= KATIB_MEDIANSTOP.start_step;
  return { name: 'median', ...(Object.keys(settings).length > 0 ? { settings } : {}) };
}

