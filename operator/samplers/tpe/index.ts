/** TPE: the sampler, its options and its named defaults. See sampler.ts for the algorithm. */
export { TpeSampler } from './sampler.js';
export { KUBETUNE_PRESET, OPTUNA_PRESET, parseTpeOptions, type TpeOptions, type TpePreset } from './options.js';
export { defaultGamma, defaultWeights } from './defaults.js';
export { ParzenEstimator, type Dimension, type ParzenOptions } from './parzen.js';
