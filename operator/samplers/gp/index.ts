/** Gaussian-process BO: the sampler, its options, and the pure math it is built from. See sampler.ts. */
export { GpSampler } from './sampler.js';
export { sobolCandidates } from './candidates.js';
export { DEFAULT_GP_OPTIONS, parseGpOptions, type GpOptions } from './options.js';
export { GpPosterior } from './gp.js';
export { fitKernelParams, DEFAULT_MIN_NOISE, FIT_STARTS } from './fit.js';
export { logEi, logEiWithGrad, logH } from './acquisition.js';
export { matern52, type KernelParams } from './kernel.js';
