/**
 * Properties of `decide` over random histories (fast-check): whatever order trials end in and
 * however they end, the engine never runs more than `parallelism` trials at once, never creates
 * more than `maxTrials`, hands out dense unique indices, and ends the study for the right reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decide } from '../../../operator/engine/decide.js';
import type { EngineTrial } from '../../../operator/engine/types.js';
import { makeStudy } from './fixtures.js';

type End = 'succeeded' | 'failed' | 'pruned';

describe('decide, over random histories', () => {
  it('respects parallelism and maxTrials, keeps indices dense, and ends with MaxTrials or MaxFailedTrials', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom<End>('succeeded', 'failed', 'pruned')), { minLength: 40, maxLength: 40 }),
        (maxTrials, wantParallel, maxFailed, script) => {
          const parallelism = Math.min(wantParallel, maxTrials);
          const budget: Record<string, unknown> = { maxTrials, parallelism };
          if (maxFailed !== undefined) budget.maxFailedTrials = maxFailed;
          const study = makeStudy({ budget });
          const trials: EngineTrial[] = [];
          let now = 0;
          for (const [pick, end] of script) {
            const d = decide(study, { trials, startedAt: 0 }, now);
            assert.deepEqual(decide(study, { trials, startedAt: 0 }, now), d, 'same observation, same decision');
            if (d.finish) {
              const failed = trials.filter((t) => t.state === 'failed').length;
              if (d.finish.reason === 'MaxFailedTrials') assert.ok(maxFailed !== undefined && failed > maxFailed);
              else {
                assert.equal(d.finish.reason, 'MaxTrials');
                assert.equal(trials.length, maxTrials);
                assert.ok(trials.every((t) => t.state !== 'running'));
              }
              return;
            }
            for (const plan of d.launch) {
              assert.equal(plan.index, trials.length, 'indices are dense');
              trials.push({ index: plan.index, params: plan.params, state: 'running', reports: [], createdAt: now, startedAt: now });
            }
            assert.ok(trials.filter((t) => t.state === 'running').length <= parallelism, 'parallelism holds');
            assert.ok(trials.length <= maxTrials, 'maxTrials holds');
            const running = trials.filter((t) => t.state === 'running');
            const chosen = running[pick % Math.max(1, running.length)];
            if (chosen !== undefined) {
              trials[chosen.index] = { ...chosen, state: end, finishedAt: now, ...(end === 'succeeded' ? { value: (chosen.params.x as number) ** 2 } : {}) };
            }
            now += 1;
          }
        },
      ),
      { numRuns: 150, seed: 20261125 },
    );
  });
});
