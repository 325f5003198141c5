/**
 * The pieces of the replay that are pure functions: the order in which straggler hypotheses are
 * tried, the search budget, and parameter matching.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { hypothesisBudget, sameParams, stragglerHypotheses } from '../../../../operator/samplers/cmaes/replay.js';

describe('stragglerHypotheses', () => {
  const wins = [10, 11, 12, 13, 14, 15, 16, 17];
  const lambda = 4;

  it('yields distinct sets of λ successes, in index order, none of them the plain first λ', () => {
    const sets = [...stragglerHypotheses(wins, lambda, 10_000)];
    const keys = sets.map((s) => s.join(','));
    assert.equal(new Set(keys).size, sets.length);
    assert.ok(!keys.includes('10,11,12,13'));
    for (const s of sets) {
      assert.equal(s.length, lambda);
      assert.deepEqual([...s].sort((a, b) => a - b), s);
      // The successes left out all come before the last one told.
      const last = s.at(-1)!;
      assert.equal(wins.filter((w) => w < last && !s.includes(w)).length, wins.indexOf(last) + 1 - lambda);
    }
    // Every way of leaving out 1..4 successes: C(4,1) + C(5,2) + C(6,3) + C(7,4).
    assert.equal(sets.length, 4 + 10 + 20 + 35);
  });

  it('tries first the sets that leave out successes just before the last one told', () => {
    const sets = [...stragglerHypotheses(wins, lambda, 10_000)].map((s) => s.join(','));
    assert.deepEqual(sets.slice(0, 3), ['10,11,12,14', '10,11,13,14', '10,11,12,15']);
  });

  it('stops at the budget', () => {
    assert.equal([...stragglerHypotheses(wins, lambda, 7)].length, 7);
    assert.equal([...stragglerHypotheses(wins.slice(0, lambda), lambda, 100)].length, 0);
  });
});

describe('hypothesisBudget', () => {
  it('allows many hypotheses in small spaces and few, but some, in large ones', () => {
    assert.equal(hypothesisBudget(4, 8), 1024);
    assert.equal(hypothesisBudget(200, 19), 64);
    assert.ok(hypothesisBudget(30, 14) < 1024 && hypothesisBudget(30, 14) > 64);
  });
});

describe('sameParams', () => {
  it('matches parameters through a lossy round trip of numbers, and nothing else', () => {
    const a = { lr: 0.0012345678901234, units: 64, opt: 'adam', feats: ['a', 'c'] };
    assert.ok(sameParams(a, { ...a, lr: Number(a.lr.toPrecision(12)) }));
    assert.ok(!sameParams(a, { ...a, lr: Number(a.lr.toPrecision(6)) }));
    assert.ok(!sameParams(a, { ...a, units: 65 }));
    assert.ok(!sameParams(a, { ...a, feats: ['a'] }));
    assert.ok(!sameParams(a, { lr: a.lr, units: 64, opt: 'adam' }));
  });
});
