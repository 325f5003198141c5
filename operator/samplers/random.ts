/**
 * Random search: every coordinate of the unit cube uniform and independent, then decoded
 * (log scales and steps honoured, inactive conditional parameters dropped). The baseline every
 * other sampler must beat, and the start-up phase of the model-based ones.
 */
import { UnitCube } from '../space/unit-cube.js';
import type { SearchSpace } from '../space/space.js';
import type { Params } from '../space/types.js';
import { avoidDuplicates } from './dedupe.js';
import type { Rng } from './rng.js';
import type { SampleContext, Sampler, Suggestion, TrialRecord } from './types.js';

/** One uniform point of the space drawn from `rng`. */
export function sampleUniform(space: SearchSpace, rng: Rng): Params {
  const cube = new UnitCube(space);
  const u = new Float64Array(cube.dims);
  for (let i = 0; i < u.length; i++) u[i] = rng.next();
  return cube.decode(u);
}

export class RandomSampler implements Sampler {
  readonly name = 'random';

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    return avoidDuplicates(space, history, ctx, (attempt) => sampleUniform(space, ctx.rng.derive('random', attempt)));
  }
}
