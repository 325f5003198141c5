import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SearchExhaustedError, Study } from '../../../operator/engine/study.js';
import { SpecError } from '../../../operator/api/issues.js';

const parameters = [
  { name: 'x', type: 'float', min: -5, max: 5 },
  { name: 'kind', type: 'categorical', values: ['a', 'b'] },
];

const newStudy = (goal: 'minimize' | 'maximize' = 'minimize', seed = 1) =>
  new Study({ objective: { metric: 'loss', goal }, parameters, algorithm: { name: 'random', seed } });

describe('Study (ask/tell)', () => {
  it('asks trials in index order and keeps them pending until told', () => {
    const study = newStudy();
    const a = study.ask();
    const b = study.ask();
    assert.deepEqual([a.index, b.index], [0, 1]);
    assert.deepEqual(study.trials.map((t) => t.state), ['pending', 'pending']);
    study.tell(1, 3);
    assert.equal(study.trials[1]!.state, 'succeeded');
    assert.equal(study.trials[1]!.value, 3);
  });

  it('tracks the best trial in the direction of the goal', () => {
    for (const goal of ['minimize', 'maximize'] as const) {
      const study = newStudy(goal);
      for (const v of [5, 2, 9, 4]) study.tell(study.ask().index, v);
      assert.equal(study.best?.value, goal === 'minimize' ? 2 : 9);
    }
  });

  it('takes all metrics, with the objective among them', () => {
    const study = newStudy();
    const { index } = study.ask();
    const t = study.tell(index, { metrics: { loss: 0.3, accuracy: 0.9 } });
    assert.equal(t.value, 0.3);
    assert.deepEqual(t.metrics, { loss: 0.3, accuracy: 0.9 });
  });

  it('counts a missing or NaN objective as a failure with a reason', () => {
    const study = newStudy();
    const missing = study.tell(study.ask().index, { metrics: { accuracy: 0.9 } });
    assert.equal(missing.state, 'failed');
    assert.match(missing.reason!, /"loss" missing/);
    const nan = study.tell(study.ask().index, Number.NaN);
    assert.equal(nan.state, 'failed');
    assert.match(nan.reason!, /NaN/);
    assert.equal(study.best, undefined);
  });

  it('records failures and pruned trials (with their last intermediate value)', () => {
    const study = newStudy();
    assert.equal(study.tell(study.ask().index, { failed: 'OOMKilled' }).reason, 'OOMKilled');
    const { index } = study.ask();
    study.report(index, 1, 0.9);
    study.report(index, 2, 0.7);
    assert.equal(study.trials[index]!.state, 'running');
    const pruned = study.tell(index, { pruned: true });
    assert.equal(pruned.state, 'pruned');
    assert.equal(pruned.value, 0.7);
    assert.deepEqual(pruned.intermediate, [[1, 0.9], [2, 0.7]]);
  });

  it('refuses to tell a trial twice or one never asked', () => {
    const study = newStudy();
    const { index } = study.ask();
    study.tell(index, 1);
    assert.throws(() => study.tell(index, 2), /already succeeded/);
    assert.throws(() => study.tell(7, 2), /no trial 7/);
  });

  it('replays the same trials for the same seed and sequence of tells', () => {
    const run = (seed: number) => {
      const study = newStudy('minimize', seed);
      for (let i = 0; i < 10; i++) {
        const { index, params } = study.ask();
        study.tell(index, (params.x as number) ** 2);
      }
      return study.trials.map((t) => t.params);
    };
    assert.deepEqual(run(3), run(3));
    assert.notDeepEqual(run(3), run(4));
  });

  it('throws SearchExhaustedError once a grid is done', () => {
    const study = new Study({
      objective: { metric: 'loss', goal: 'minimize' },
      parameters: [{ name: 'n', type: 'int', min: 1, max: 3 }],
      algorithm: { name: 'grid' },
    });
    for (let i = 0; i < 3; i++) study.tell(study.ask().index, i);
    assert.throws(() => study.ask(), SearchExhaustedError);
  });

  it('rejects a bad goal, a bad space and an unknown algorithm with SpecErrors', () => {
    assert.throws(() => new Study({ objective: { metric: 'l', goal: 'up' as 'minimize' }, parameters }), SpecError);
    assert.throws(
      () => new Study({ objective: { metric: 'l', goal: 'minimize' }, parameters: [{ name: 'x', type: 'float', min: 1, max: 0 }] }),
      (e: unknown) => e instanceof SpecError && e.issues[0]!.code === 'empty_range',
    );
    assert.throws(
      () => new Study({ objective: { metric: 'l', goal: 'minimize' }, parameters, algorithm: { name: 'magic' } }),
      (e: unknown) => e instanceof SpecError && e.issues[0]!.code === 'unknown_algorithm',
    );
  });
});
