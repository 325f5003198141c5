/**
 * Sampler names as written in a study's `algorithm.name`, and how each is built from its
 * settings. The one place that knows every sampler.
 */
import { SpecError } from '../api/issues.js';
import { AutoSampler, parseAutoOptions } from './auto.js';
import { CmaEsSampler, parseCmaEsSettings } from './cmaes/sampler.js';
import { GpSampler, parseGpOptions } from './gp/index.js';
import { EvolutionSampler, parseEvolutionSettings } from './evolution/sampler.js';
import { GridSampler, parseGridOptions } from './grid.js';
import { RandomSampler } from './random.js';
import { SettingsReader } from './settings.js';
import { parseTpeOptions, TpeSampler } from './tpe/index.js';
import { SobolSampler } from './sobol.js';
import type { Sampler } from './types.js';

type Settings = Record<string, unknown>;

const factories: Record<string, (settings: Settings) => Sampler> = {
  auto: (s) => new AutoSampler(parseAutoOptions(s)),
  random: (s) => {
    new SettingsReader('random', s).done(); // it has none: a typo must not pass unnoticed
    return new RandomSampler();
  },
  grid: (s) => new GridSampler(parseGridOptions(s)),
  gp: (s) => new GpSampler(parseGpOptions(s)),
  cmaes: (s) => new CmaEsSampler(parseCmaEsSettings(s)),
  evolution: (s) => new EvolutionSampler(parseEvolutionSettings(s)),
  tpe: (s) => new TpeSampler(parseTpeOptions(s)),
  sobol: (s) => new SobolSampler(s),
};

export function samplerNames(): string[] {
  return Object.keys(factories).sort();
}

/** Builds the sampler `name` with `settings`; an unknown name is a `SpecError` on `path`. */
export function createSampler(name: string, settings: Settings = {}, path = '/algorithm/name'): Sampler {
  const factory = factories[name];
  if (factory === undefined) {
    throw new SpecError([
      { code: 'unknown_algorithm', path, message: `unknown algorithm "${name}"`, hint: `one of ${samplerNames().join(', ')}` },
    ]);
  }
  return factory(settings);
}
