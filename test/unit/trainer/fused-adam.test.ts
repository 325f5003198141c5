import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../trainer/backend/select.js';
import { FusedAdam } from '../../../trainer/train/fused-adam.js';
import { Rng } from '../../../trainer/rng.js';

/** Minimises a fixed quadratic for a few steps with `optimizer`; returns the final weights. */
function descend(optimizer: tf.Optimizer): Float32Array {
  const rng = new Rng(4);
  const w = tf.variable(tf.tensor1d(Float32Array.from({ length: 257 }, () => rng.next() * 2 - 1)));
  const target = tf.tensor1d(Float32Array.from({ length: 257 }, (_, i) => Math.sin(i)));
  for (let step = 0; step < 25; step++) {
    optimizer.minimize(() => tf.sum(tf.mul(tf.square(tf.sub(w, target)), tf.linspace(0.1, 3, 257))) as tf.Scalar, false, [w]);
  }
  const out = w.dataSync() as Float32Array;
  tf.dispose([w, target]);
  optimizer.dispose();
  return out;
}

describe('FusedAdam', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`takes the same steps as tf.train.adam (${backend} backend)`, async () => {
      await selectBackend(backend);
      const ours = descend(new FusedAdam(0.05, 0.8, 0.99, 1e-6));
      const reference = descend(tf.train.adam(0.05, 0.8, 0.99, 1e-6));
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs((ours[i] as number) - (reference[i] as number)));
      assert.ok(worst < 1e-5, `largest difference ${worst}`);
      // And it moved: 25 steps of 0.05 bring the weights well away from where they started.
      assert.ok(Math.abs((ours[0] as number) - (new Rng(4).next() * 2 - 1)) > 0.1);
    });
  }

  it('leaks no tensors beyond its two moment variables per weight', async () => {
    await selectBackend('wasm');
    const w = tf.variable(tf.ones([10]));
    const opt = new FusedAdam(0.1);
    opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    assert.equal(tf.memory().numTensors, before);
    opt.dispose();
    w.dispose();
  });
});
