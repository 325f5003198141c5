import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AshaPruner, promotable, rungStep } from '../../../operator/pruners/asha.js';
import { HyperbandPruner } from '../../../operator/pruners/hyperband.js';
import { createPruner } from '../../../operator/pruners/registry.js';
import { SpecError } from '../../../operator/api/issues.js';
import type { TrialRecord } from '../../../operator/samplers/types.js';

/** A running trial that reported `curve[s - 1]` at steps 1..n. */
const running = (index: number, curve: number[]): TrialRecord => ({
  index, params: {}, state: 'running', intermediate: curve.map((v, s) => [s + 1, v] as const),
});
const ctx = { goal: 'minimize' as const, seed: 0 };

describe('the promotion rule', () => {
  it('keeps the best floor(n / eta) values at a rung', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8];
    assert.equal(promotable(1, values, 4, 'minimize'), true);
    assert.equal(promotable(2, values, 4, 'minimize'), true);
    assert.equal(promotable(3, values, 4, 'minimize'), false);
    assert.equal(promotable(8, values, 4, 'maximize'), true);
    assert.equal(promotable(6, values, 4, 'maximize'), false);
  });

  it('promotes a value tied with the cutoff, as Optuna does (value <= cutoff)', () => {
    const values = [1, 2, 2, 3, 4, 5, 6, 7];
    assert.equal(promotable(2, values, 4, 'minimize'), true);
    assert.equal(promotable(3, values, 4, 'minimize'), false);
    assert.equal(promotable(6, [7, 6, 6, 5, 4, 3, 2, 1], 4, 'maximize'), true);
  });

  it('lets only the best continue while fewer than eta trials reached the rung', () => {
    assert.equal(promotable(2, [3, 2], 4, 'minimize'), true);
    assert.equal(promotable(3, [3, 2], 4, 'minimize'), false);
  });

  it('places rungs at minResource * eta^(rate + k)', () => {
    assert.deepEqual([0, 1, 2].map((k) => rungStep(1, 3, 0, k)), [1, 3, 9]);
    assert.deepEqual([0, 1].map((k) => rungStep(2, 2, 1, k)), [4, 8]);
  });
});

describe('AshaPruner', () => {
  // Eight trials at rung 0 (step 1) with values 1..8: with eta 4 the best two continue.
  const peers = [1, 2, 3, 4, 5, 6, 7, 8].map((v, i) => running(i, [v]));

  it('prunes at a rung when not in the top 1/eta of the trials that reached it', () => {
    const pruner = new AshaPruner({ reductionFactor: 4 });
    assert.equal(pruner.decide(peers[1]!, peers, ctx).prune, false);
    const verdict = pruner.decide(peers[2]!, peers, ctx);
    assert.equal(verdict.prune, true);
    assert.match((verdict as { reason: string }).reason, /best 1\/4 of 8 trials at rung 0 \(step 1\)/);
  });

  it('decides only on the report that reaches a rung, never between rungs', () => {
    const pruner = new AshaPruner({ reductionFactor: 4 });
    // Step 2 is between rung 0 (step 1) and rung 1 (step 4): no verdict, however bad.
    const between = running(20, [1, 100]);
    assert.equal(pruner.decide(between, [...peers, between], ctx).prune, false);
  });

  it('compares at higher rungs only with trials that got there', () => {
    const pruner = new AshaPruner({ reductionFactor: 2 });
    const a = running(0, [1, 1, 1, 0.5]); // reached rung 2 (step 4)
    const b = running(1, [2, 2, 2, 0.7]);
    const c = running(2, [3, 3, 3, 0.6]);
    const d = running(3, [4]); // only rung 0: not a competitor at rung 2
    const history = [a, b, c, d];
    assert.equal(pruner.decide(a, history, ctx).prune, false);
    assert.equal(pruner.decide(b, history, ctx).prune, true); // 0.7 is not in the best 1 of 3 at step 4
  });

  it('lets trials past maxResource complete', () => {
    const pruner = new AshaPruner({ reductionFactor: 2, maxResource: 4 });
    const a = running(0, [1, 1, 1, 0.1]);
    const b = running(1, [2, 2, 2, 9]);
    assert.equal(pruner.decide(b, [a, b], ctx).prune, false);
  });

  it('rejects bad settings', () => {
    assert.throws(() => new AshaPruner({ reductionFactor: 1 }), /reductionFactor must be at least 2/);
    assert.throws(() => new AshaPruner({ minResource: 0 }), /minResource must be positive/);
  });
});

describe('HyperbandPruner', () => {
  it('makes floor(log_eta(max/min)) + 1 brackets, more trials in the aggressive ones', () => {
    const pruner = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });
    assert.equal(pruner.brackets, 4);
    // n_i = ceil(B / (i + 1) * eta^i) for i = 3, 2, 1, 0 halvings.
    assert.deepEqual(pruner.bracketWeights, [27, 12, 6, 4]);
  });

  it('assigns brackets by seed and index, in proportion to their weights', () => {
    const pruner = new HyperbandPruner({ maxResource: 27 });
    assert.equal(pruner.bracketOf(5, 1), pruner.bracketOf(5, 1));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4900; i++) counts[pruner.bracketOf(i, 1)]! += 1;
    // Expected 2700, 1200, 600, 400 of 4900; binomial sd below 40 each.
    assert.ok(Math.abs(counts[0]! - 2700) < 200 && Math.abs(counts[3]! - 400) < 120, JSON.stringify(counts));
  });

  it('compares a trial only with the trials of its bracket, at its bracket rungs', () => {
    const pruner = new HyperbandPruner({ maxResource: 27, reductionFactor: 3 });
    const seed = 3;
    const inBracket0 = Array.from({ length: 200 }, (_, i) => i).filter((i) => pruner.bracketOf(i, seed) === 0).slice(0, 6);
    const lastBracket = Array.from({ length: 200 }, (_, i) => i).find((i) => pruner.bracketOf(i, seed) === 3)!;
    // Bracket 0 trials at step 1 with values 1..6: eta 3 keeps the best 2.
    const peers = inBracket0.map((index, k) => running(index, [k + 1]));
    // A bad trial of the last bracket has no rung below step 27: it is never pruned at step 1.
    const outsider = running(lastBracket, [100]);
    const history = [...peers, outsider];
    assert.equal(pruner.decide(peers[1]!, history, { goal: 'minimize', seed }).prune, false);
    assert.equal(pruner.decide(peers[2]!, history, { goal: 'minimize', seed }).prune, true);
    assert.equal(pruner.decide(outsider, history, { goal: 'minimize', seed }).prune, false);
  });
});

describe('createPruner', () => {
  it('builds each pruner by name and rejects unknown names and settings with the field path', () => {
    assert.equal(createPruner('median').name, 'median');
    assert.equal(createPruner('hyperband', { maxResource: 9 }).name, 'hyperband');
    const bad = (name: string, settings: Record<string, unknown>, path: RegExp) =>
      assert.throws(() => createPruner(name, settings), (e: unknown) => e instanceof SpecError && path.test(e.issues[0]!.path), `${name} ${JSON.stringify(settings)}`);
    bad('magic', {}, /^\/earlyStopping\/name$/);
    bad('asha', { reductionFactr: 3 }, /settings\/reductionFactr$/);
    bad('asha', { reductionFactor: 'three' }, /settings\/reductionFactor$/);
    bad('asha', { reductionFactor: 1 }, /settings\/reductionFactor$/);
    bad('hyperband', {}, /settings\/maxResource$/);
  });
});
