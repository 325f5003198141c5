/**
 * Staged searches: each stage proposes its configurations in order, then `algorithm.name` takes
 * over with the whole history; a stage proposes what its sampler alone would; a finished grid
 * stage hands over; bad stages are reported with their path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decide } from '../../../operator/engine/decide.js';
import { StagedSampler } from '../../../operator/engine/stages.js';
import type { EngineTrial } from '../../../operator/engine/types.js';
import { createSampler } from '../../../operator/samplers/registry.js';
import { SearchSpace } from '../../../operator/space/space.js';
import { runSequential } from '../samplers/helpers.js';
import { makeStudy } from './fixtures.js';

const space = SearchSpace.parse([{ name: 'x', type: 'float', min: -1, max: 1 }, { name: 'y', type: 'float', min: -1, max: 1 }]);
const f = (p: Record<string, unknown>) => ((p.x as number) - 0.3) ** 2 + ((p.y as number) + 0.2) ** 2;

describe('staged searches', () => {
  it('runs each stage for its trials, then the main sampler', () => {
    const staged = new StagedSampler([{ sampler: createSampler('sobol'), trials: 8 }, { sampler: createSampler('tpe') }]);
    assert.equal(staged.stageAt(0).sampler.name, 'sobol');
    assert.equal(staged.stageAt(7).sampler.name, 'sobol');
    assert.equal(staged.stageAt(8).sampler.name, 'tpe');
    assert.equal(staged.stageAt(1000).sampler.name, 'tpe');
  });

  it('proposes in each stage what that stage\'s sampler alone would, the later stage seeing every trial', () => {
    const staged = runSequential(new StagedSampler([{ sampler: createSampler('sobol'), trials: 8 }, { sampler: createSampler('tpe') }]), space, 20, f, 3);
    const sobol = runSequential(createSampler('sobol'), space, 8, f, 3);
    assert.deepEqual(staged.slice(0, 8).map((t) => t.params), sobol.map((t) => t.params));
    // Trials 8 and 9 are TPE's start-up draws (10 by default), keyed by index: TPE alone draws the same.
    const tpeAlone = runSequential(createSampler('tpe'), space, 10, f, 3);
    assert.deepEqual(staged.slice(8, 10).map((t) => t.params), tpeAlone.slice(8, 10).map((t) => t.params));
  });

  it('is driven by decide from algorithm.stages, the same for every parallelism', () => {
    const spec = (parallelism: number) => makeStudy({
      parameters: [{ name: 'x', type: 'float', min: -1, max: 1 }],
      algorithm: { name: 'tpe', stages: [{ name: 'sobol', trials: 4 }] },
      budget: { maxTrials: 4, parallelism },
    });
    const all = decide(spec(4), { trials: [] }, 0).launch;
    const sobol = runSequential(createSampler('sobol'), SearchSpace.parse([{ name: 'x', type: 'float', min: -1, max: 1 }]), 4, () => 0, 7);
    assert.deepEqual(all.map((p) => p.params), sobol.map((t) => t.params));
    const trials: EngineTrial[] = [];
    for (let i = 0; i < 4; i++) {
      const [p] = decide(spec(1), { trials }, i).launch;
      trials.push({ index: p!.index, params: p!.params, state: 'succeeded', value: 0, reports: [], createdAt: i });
    }
    assert.deepEqual(trials.map((t) => t.params), sobol.map((t) => t.params));
  });

  it('asks the next stage when a grid stage is exhausted, and is exhausted when no stage has anything new', () => {
    const small = SearchSpace.parse([{ name: 'k', type: 'int', min: 1, max: 3 }, { name: 'x', type: 'float', min: 0, max: 1, step: 0.5 }]); // 9 points
    const staged = new StagedSampler([{ sampler: createSampler('grid'), trials: 20 }, { sampler: createSampler('random') }]);
    const history = runSequential(staged, small, 12, () => 0, 1);
    assert.equal(new Set(history.map((t) => JSON.stringify(t.params))).size, 9);
    assert.equal(history.length, 9);
  });

  it('reports an unknown stage sampler with its path', () => {
    assert.throws(() => makeStudy({ algorithm: { name: 'tpe', stages: [{ name: 'nope', trials: 3 }] } }), (err: Error & { issues?: { path: string }[] }) => {
      assert.ok(err.issues?.some((i) => i.path === '/spec/algorithm/stages/0/name'), JSON.stringify(err.issues));
      return true;
    });
  });
});
