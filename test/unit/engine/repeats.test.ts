/**
 * `algorithm.repeats`: trial i is repeat i mod k of configuration ⌊i/k⌋ with its own seed; the
 * sampler sees one record per configuration (the mean once all repeats ended); the status reports
 * the best configuration by mean with its spread; the target is met by a mean.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decide } from '../../../operator/engine/decide.js';
import { groupForSampler, rankConfigurations } from '../../../operator/engine/repeats.js';
import { summarize } from '../../../operator/engine/summary.js';
import type { EngineTrial } from '../../../operator/engine/types.js';
import type { TrialRecord } from '../../../operator/samplers/types.js';
import { makeStudy, trial } from './fixtures.js';

/** Runs a study to its end, trial values from `value(params, seed)`, `parallelism` at a time. */
function runToEnd(study: ReturnType<typeof makeStudy>, value: (x: number, seed: number) => number): EngineTrial[] {
  const trials: EngineTrial[] = [];
  for (let round = 0; round < 1000; round++) {
    const d = decide(study, { trials }, round);
    for (const p of d.launch) trials.push({ index: p.index, params: p.params, state: 'running', reports: [], createdAt: round, startedAt: round, seedForTest: p.seed } as EngineTrial);
    if (d.finish !== undefined) break;
    // Finish the oldest running trial.
    const i = trials.findIndex((t) => t.state === 'running');
    if (i >= 0) {
      const t = trials[i] as EngineTrial & { seedForTest: number };
      trials[i] = { ...t, state: 'succeeded', value: value(t.params.x as number, t.seedForTest), finishedAt: round };
    }
  }
  return trials;
}

describe('repeats', () => {
  it('trains each configuration k times with the same parameters and different seeds', () => {
    const study = makeStudy({ algorithm: { name: 'random', repeats: 3 }, budget: { maxTrials: 9, parallelism: 9 } });
    const d = decide(study, { trials: [] }, 0);
    assert.equal(d.launch.length, 9);
    for (let c = 0; c < 3; c++) {
      const group = d.launch.slice(3 * c, 3 * c + 3);
      assert.ok(group.every((p) => p.params.x === group[0]!.params.x), `configuration ${c} shares its parameters`);
      assert.equal(new Set(group.map((p) => p.seed)).size, 3, `configuration ${c} has three seeds`);
    }
    assert.equal(new Set(d.launch.map((p) => p.params.x)).size, 3);
  });

  it('plans the same trials whatever the parallelism (configurations are keyed by index)', () => {
    const serial = runToEnd(makeStudy({ algorithm: { name: 'random', repeats: 2 }, budget: { maxTrials: 8, parallelism: 1 } }), (x) => x * x);
    const parallel = runToEnd(makeStudy({ algorithm: { name: 'random', repeats: 2 }, budget: { maxTrials: 8, parallelism: 4 } }), (x) => x * x);
    assert.deepEqual(serial.map((t) => t.params), parallel.map((t) => t.params));
  });

  it('with repeats: 1 plans exactly what it planned before (no grouping)', () => {
    const a = decide(makeStudy({ algorithm: { name: 'random' }, budget: { maxTrials: 4, parallelism: 4 } }), { trials: [] }, 0);
    const b = decide(makeStudy({ algorithm: { name: 'random', repeats: 1 }, budget: { maxTrials: 4, parallelism: 4 } }), { trials: [] }, 0);
    assert.deepEqual(a, b);
  });

  it('shows samplers one record per configuration: pending until every repeat ended, then the mean', () => {
    const rec = (index: number, state: TrialRecord['state'], value?: number): TrialRecord => ({ index, params: { x: Math.floor(index / 3) }, state, ...(value === undefined ? {} : { value }) });
    const grouped = groupForSampler([
      rec(0, 'succeeded', 1), rec(1, 'succeeded', 2), rec(2, 'succeeded', 6), // mean 3
      rec(3, 'succeeded', 1), rec(4, 'running'), // one repeat still running, one not launched
      rec(6, 'failed'), rec(7, 'succeeded', 4), rec(8, 'pruned', 0), // only the succeeded one counts
      rec(9, 'failed'), rec(10, 'failed'), rec(11, 'pruned'),
    ], 3);
    assert.deepEqual(grouped.map((g) => [g.index, g.state, g.value]), [
      [0, 'succeeded', 3], [1, 'running', undefined], [2, 'succeeded', 4], [3, 'pruned', undefined],
    ]);
  });

  it('reports the best configuration by mean with its spread, not the luckiest trial', () => {
    const study = makeStudy({ algorithm: { name: 'random', repeats: 2 }, budget: { maxTrials: 4 } });
    const trials = [trial(0, { params: { x: 0 }, value: 0.1 }), trial(1, { params: { x: 0 }, value: 0.9 }), trial(2, { params: { x: 1 }, value: 0.3 }), trial(3, { params: { x: 1 }, value: 0.4 })];
    const s = summarize(study, trials);
    assert.equal(s.bestTrial?.index, 0);
    assert.deepEqual(s.bestConfiguration?.trials, [2, 3]);
    assert.ok(Math.abs((s.bestConfiguration?.mean as number) - 0.35) < 1e-12);
    assert.ok(Math.abs((s.bestConfiguration?.std as number) - Math.sqrt(0.005)) < 1e-12);
    assert.equal(s.bestConfiguration?.min, 0.3);
    assert.equal(s.bestConfiguration?.max, 0.4);
    assert.equal(rankConfigurations(trials, 2, 'maximize')[0]?.configuration, 0); // mean 0.5 beats 0.35 when maximising
  });

  it('meets the target with a mean over all repeats, not one lucky repeat', () => {
    const study = makeStudy({ objective: { targetValue: 0.2 }, algorithm: { name: 'random', repeats: 2 }, budget: { maxTrials: 10, parallelism: 1 } });
    const lucky = [trial(0, { params: { x: 0 }, value: 0.1 }), trial(1, { params: { x: 0 }, value: 0.9 })];
    assert.equal(decide(study, { trials: lucky }, 0).finish, undefined);
    const stable = [...lucky, trial(2, { params: { x: 1 }, value: 0.15 }), trial(3, { params: { x: 1 }, value: 0.2 })];
    assert.equal(decide(study, { trials: stable }, 0).finish?.reason, 'TargetReached');
  });

  it('validates the field', () => {
    assert.throws(() => makeStudy({ algorithm: { name: 'random', repeats: 0 } }));
  });
});
