/**
 * Warm start: earlier trials enter the sampler's history (first, indices 0..w-1) but not the
 * study — no index, no budget; trials that do not fit the space are dropped; without
 * `algorithm.warmStart` in the spec, given trials are ignored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileStudy } from '../../../operator/engine/compile.js';
import { decide } from '../../../operator/engine/decide.js';
import { selectWarmTrials, WarmStartSampler } from '../../../operator/engine/warm-start.js';
import { Rng } from '../../../operator/samplers/rng.js';
import type { Sampler, TrialRecord } from '../../../operator/samplers/types.js';
import { SearchSpace } from '../../../operator/space/space.js';
import { makeStudy } from './fixtures.js';

const space = SearchSpace.parse([{ name: 'x', type: 'float', min: -1, max: 1 }]);
const warm = [{ params: { x: 0.5 }, value: 1 }, { params: { x: -0.5 }, value: 2 }, { params: { x: 3 }, value: 0 }, { params: { x: 0 }, value: Number.NaN }];

/** Records what it was shown. */
class Spy implements Sampler {
  readonly name = 'spy';
  seen: { history: readonly TrialRecord[]; index: number }[] = [];
  suggest(_space: SearchSpace, history: readonly TrialRecord[], ctx: { index: number }) {
    this.seen.push({ history, index: ctx.index });
    return { params: { x: 0.1 * ctx.index } };
  }
}

describe('warm start', () => {
  it('keeps only finished trials that fit the space', () => {
    assert.deepEqual(selectWarmTrials(space, warm).map((t) => t.params.x), [0.5, -0.5]);
  });

  it('puts the warm trials first in the sampler\'s history and shifts the study\'s indices after them', () => {
    const spy = new Spy();
    const sampler = new WarmStartSampler(spy, selectWarmTrials(space, warm));
    sampler.suggest(space, [{ index: 0, params: { x: 0 }, state: 'running' }], { index: 1, seed: 0, goal: 'minimize', rng: new Rng(0, 1, 'spy') });
    const { history, index } = spy.seen[0]!;
    assert.equal(index, 3);
    assert.deepEqual(history.map((t) => [t.index, t.state, t.value]), [[0, 'succeeded', 1], [1, 'succeeded', 2], [2, 'running', undefined]]);
  });

  it('informs the sampler but takes no index or budget of the study', () => {
    const spec = makeStudy({ algorithm: { name: 'tpe', settings: { startupTrials: 2 }, warmStart: { resultsDir: 'old' } }, budget: { maxTrials: 3, parallelism: 3 } }).spec;
    const cold = decide(compileStudy(spec), { trials: [] }, 0).launch;
    const hot = decide(compileStudy(spec, { warmStart: warm }), { trials: [] }, 0).launch;
    assert.deepEqual(hot.map((p) => p.index), [0, 1, 2]);
    assert.equal(hot.length, 3);
    assert.notDeepEqual(hot.map((p) => p.params), cold.map((p) => p.params));
    assert.equal(compileStudy(spec, { warmStart: warm }).warmTrials, 2);
  });

  it('ignores given trials when the spec asks for no warm start', () => {
    const study = makeStudy({ algorithm: { name: 'tpe' } });
    assert.equal(compileStudy(study.spec, { warmStart: warm }).warmTrials, 0);
  });
});
