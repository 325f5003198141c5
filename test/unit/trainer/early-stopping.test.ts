import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarlyStopping } from '../../../trainer/train/early-stopping.js';

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without an improvement larger than minDelta', () => {
    const es = new EarlyStopping({ monitor: 'val_loss', mode: 'min', patience: 2, minDelta: 0.01 });
    const verdicts = [1.0, 0.8, 0.795, 0.79].map((v, i) => es.update(i + 1, { val_loss: v }));
    // 0.795 and 0.79 improve by less than 0.01 on 0.8: the second of them is the second epoch in a row without improvement.
    assert.deepEqual(verdicts, ['improved', 'improved', 'waiting', 'stop']);
    assert.equal(es.bestEpoch, 2);
    assert.equal(es.best, 0.8);
  });

  it('follows the mode it is given and never counts NaN as an improvement', () => {
    const es = new EarlyStopping({ monitor: 'val_accuracy', mode: 'max', patience: 2 });
    assert.equal(es.update(1, { val_accuracy: 0.5 }), 'improved');
    assert.equal(es.update(2, { val_accuracy: Number.NaN }), 'waiting');
    assert.equal(es.update(3, { val_accuracy: 0.6 }), 'improved');
    assert.equal(es.update(4, { val_accuracy: 0.4 }), 'waiting');
    assert.equal(es.update(5, { val_accuracy: 0.4 }), 'stop');
  });

  it('refuses a metric the run does not report, and negative options', () => {
    const es = new EarlyStopping({ monitor: 'val_mae', mode: 'min' });
    assert.throws(() => es.update(1, { val_loss: 1 }), /monitors val_mae/);
    assert.throws(() => new EarlyStopping({ monitor: 'loss', mode: 'min', patience: -1 }), RangeError);
  });
});
