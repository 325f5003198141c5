/**
 * The first-layer replacements (InputConv2D, InputDense with its own ReLU) compute what the
 * tfjs-layers they replace compute — outputs and weight gradients, on the cpu and wasm backends —
 * and survive a save/load round trip.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../trainer/backend/select.js';
import { resolveParams } from '../../../trainer/config/params.js';
import { buildModel } from '../../../trainer/model/build.js';
import { InputConv2D } from '../../../trainer/model/input-conv2d.js';
import { loadSavedModel, saveModel } from '../../../trainer/report/artifacts.js';
import { Rng } from '../../../trainer/rng.js';
import { tempDir } from './run-trainer.js';

function randomValues(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

function maxAbsDiff(a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('InputConv2D', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [padding, strides, kernel] of [['same', 1, 3], ['valid', 2, 3], ['same', 2, 4]] as const) {
      it(`equals tf.layers.conv2d with the same weights: output and kernel/bias gradients (${backend}, ${padding}, stride ${strides}, kernel ${kernel})`, async () => {
        await selectBackend(backend);
        const args = { filters: 5, kernelSize: kernel, strides, padding, useBias: true };
        const ours = new InputConv2D(args);
        const theirs = tf.layers.conv2d(args);
        const xShape: [number, number, number, number] = [3, 9, 8, 2];
        ours.build(xShape);
        theirs.build(xShape);
        const weights = [tf.tensor4d(randomValues(kernel * kernel * 2 * 5, 1), [kernel, kernel, 2, 5]), tf.tensor1d(randomValues(5, 2))];
        ours.setWeights(weights);
        theirs.setWeights(weights);
        const x = tf.tensor4d(randomValues(3 * 9 * 8 * 2, 3), xShape);
        const results = [ours, theirs].map((layer) => {
          const out = layer.apply(x) as tf.Tensor;
          const r = tf.tensor(randomValues(out.size, 4), out.shape);
          const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar, vars);
          const values = [out.dataSync(), ...vars.map((v) => (grads[v.name] as tf.Tensor).dataSync())];
          tf.dispose([out, r, ...Object.values(grads)]);
          return values;
        });
        assert.deepEqual((ours.apply(x) as tf.Tensor).shape, ours.computeOutputShape(xShape));
        for (let i = 0; i < 3; i++) {
          const diff = maxAbsDiff(results[0]![i]!, results[1]![i]!);
          assert.ok(diff < 1e-4, `${['output', 'kernel gradient', 'bias gradient'][i]}: difference ${diff}`);
        }
        tf.dispose([x, ...weights]);
      });
    }
  }
});

describe('models with the first-layer replacements', () => {
  for (const [family, shape, params] of [
    ['cnn', [8, 8, 1], { conv_blocks: 2, filters: 4, dense_units: 8 }],
    ['mlp', [6], { layers: 1, input_activation: 'relu' }],
  ] as const) {
    it(`saves and loads a ${family} (first layer ${family === 'cnn' ? 'InputConv2D' : 'InputDense with ReLU'}), predicting the same values`, async () => {
      await selectBackend('wasm');
      const model = buildModel(family, shape, 3, resolveParams({}, params), 3);
      const dir = tempDir();
      await saveModel(model, dir);
      const loaded = await loadSavedModel(dir);
      const x = tf.randomUniform([5, ...shape], -1, 1, 'float32', 9);
      const before = (model.predict(x) as tf.Tensor).dataSync();
      assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from(before));
      tf.dispose([x]);
      model.dispose();
      loaded.dispose();
    });
  }
});
