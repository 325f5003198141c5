/**
 * Pruner names as written in a study's `earlyStopping.name`, built from their settings. Bad
 * settings become a `SpecError` naming the field under `/earlyStopping/settings`.
 */
import { SpecError } from '../api/issues.js';
import { AshaPruner } from './asha.js';
import { HyperbandPruner } from './hyperband.js';
import { MedianPruner, PercentilePruner } from './percentile.js';
import type { Pruner } from './types.js';

type Settings = Record<string, unknown>;

interface Entry {
  settings: readonly string[];
  create: (s: Settings) => Pruner;
}

const percentileSettings = ['startupTrials', 'warmupSteps', 'intervalSteps', 'minTrials'];

const factories: Record<string, Entry> = {
  none: { settings: [], create: () => ({ name: 'none', decide: () => ({ prune: false }) }) },
  median: { settings: percentileSettings, create: (s) => new MedianPruner(s) },
  percentile: { settings: ['percentile', ...percentileSettings], create: (s) => new PercentilePruner(s) },
  asha: { settings: ['minResource', 'reductionFactor', 'minEarlyStoppingRate', 'maxResource'], create: (s) => new AshaPruner(s) },
  hyperband: {
    settings: ['minResource', 'maxResource', 'reductionFactor'],
    create: (s) => new HyperbandPruner(s as unknown as ConstructorParameters<typeof HyperbandPruner>[0]),
  },
};

export function prunerNames(): string[] {
  return Object.keys(factories).sort();
}

export function createPruner(name: string, settings: Settings = {}, path = '/earlyStopping'): Pruner {
  const entry = factories[name];
  if (entry === undefined) {
    throw new SpecError([{ code: 'unknown_pruner', path: `${path}/name`, message: `unknown early-stopping rule "${name}"`, hint: `one of ${prunerNames().join(', ')}` }]);
  }
  for (const [key, value] of Object.entries(settings)) {
    if (!entry.settings.includes(key)) {
      throw new SpecError([{
        code: 'unknown_setting', path: `${path}/settings/${key}`, message: `${name} has no setting "${key}"`,
        hint: entry.settings.length > 0 ? `its settings are ${entry.settings.join(', ')}` : 'it takes no settings',
      }]);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new SpecError([{ code: 'not_a_number', path: `${path}/settings/${key}`, message: `setting ${key} must be a number` }]);
    }
  }
  try {
    return entry.create(settings);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const field = /^(\w+)/.exec(err.message)?.[1] ?? '';
    throw new SpecError([{ code: 'bad_setting', path: `${path}/settings/${field}`, message: err.message }]);
  }
}
