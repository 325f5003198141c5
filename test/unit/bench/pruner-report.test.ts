/**
 * The pruners benchmark's equal-compute comparison: a study's regret at a step budget read from its
 * progress, each pruned row set against the unpruned row with the same sampler, seed by seed, and
 * the runs' progress as `runPruned` records it (the first trials of a longer unpruned study are
 * those of a shorter one, which is what makes the comparison fair).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { runPruned } from '../../../bench/pruners/ours.js';
import { regretAfter, rowOf, type Run, unprunedRowOf } from '../../../bench/pruners/report.js';

describe('the pruners report at equal compute', () => {
  it('reads a study\'s regret at a step budget from its progress', () => {
    const progress: Array<[number, number]> = [[100, 0.5], [300, 0.2], [900, 0.01]];
    assert.equal(regretAfter(progress, 99), Infinity, 'nothing completed yet');
    assert.equal(regretAfter(progress, 100), 0.5);
    assert.equal(regretAfter(progress, 899), 0.2);
    assert.equal(regretAfter(progress, 5000), 0.01);
  });

  it('judges each row against the unpruned row with the same sampler', () => {
    assert.equal(unprunedRowOf('asha'), 'none');
    assert.equal(unprunedRowOf('asha-told-final'), 'none');
    assert.equal(unprunedRowOf('asha-random'), 'none-random');
    assert.equal(unprunedRowOf('asha-tpe-optuna'), 'none-tpe-optuna');
    assert.equal(unprunedRowOf('none-random'), 'none-random');
  });

  it('compares each seed with the unpruned study stopped at the same number of steps', () => {
    const unpruned: Run[] = [
      { steps: 2000, regret: 0.001, sampledRegret: 0.001, progress: [[100, 0.3], [400, 0.05], [1500, 0.001]] },
      { steps: 2000, regret: 0.002, sampledRegret: 0.002, progress: [[100, 0.1], [200, 0.002]] },
    ];
    const pruned: Run[] = [
      { steps: 500, regret: 0.02, sampledRegret: 0.01, progress: [[60, 0.02]] },
      { steps: 500, regret: 0.04, sampledRegret: 0.01, progress: [[80, 0.04]] },
    ];
    const row = rowOf('crossing', 'asha', 'ours', pruned, 20, unpruned);
    assert.ok(row.equalCompute !== undefined);
    // Seed 0: unpruned had 0.05 after 500 steps (ASHA 0.02 is lower); seed 1: 0.002 (ASHA 0.04 is not).
    assert.equal(row.equalCompute.lower, 1);
    assert.equal(row.equalCompute.seeds, 2);
    assert.equal(row.equalCompute.unprunedRegret.median, (0.05 + 0.002) / 2);
    assert.equal(rowOf('crossing', 'none', 'ours', unpruned, 20, unpruned).equalCompute, undefined, 'no comparison of a row with itself');
    assert.equal(rowOf('crossing', 'asha', 'ours', [{ steps: 500, regret: 0.02, sampledRegret: 0.01 }], 20, unpruned.slice(0, 1)).equalCompute, undefined, 'results without progress have no comparison');
  });

  it('records progress that ends at the run\'s regret, with steps and regret monotone', () => {
    for (const pruner of ['none', 'asha-random']) {
      const run = runPruned(pruner, 0, 40, 'ranked');
      assert.ok(run.progress.length > 0);
      assert.equal(run.progress.at(-1)![1], run.regret);
      assert.equal(regretAfter(run.progress, run.steps), run.regret);
      for (let i = 1; i < run.progress.length; i++) {
        assert.ok(run.progress[i]![0] > run.progress[i - 1]![0]);
        assert.ok(run.progress[i]![1] < run.progress[i - 1]![1]);
      }
    }
  });

  it('runs the random rows with the random sampler: ASHA sees the same configurations as the unpruned study', () => {
    const none = runPruned('none-random', 1, 40, 'ranked');
    const asha = runPruned('asha-random', 1, 40, 'ranked');
    // Random proposals do not depend on the history, so the best proposed configuration is the same.
    assert.equal(asha.sampledRegret, none.sampledRegret);
    assert.ok(asha.steps < none.steps);
    assert.ok(asha.regret >= none.regret);
  });
});
