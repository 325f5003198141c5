import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../trainer/backend/select.js';
import { resolveParams } from '../../../trainer/config/params.js';
import { buildModel } from '../../../trainer/model/build.js';
import { loadSavedModel, saveModel } from '../../../trainer/report/artifacts.js';
import { TrainerError } from '../../../trainer/errors.js';
import { tempDir } from './run-trainer.js';

describe('trainer models', () => {
  before(async () => {
    await selectBackend('wasm');
  });

  it('builds the MLP from parameters: input layer, hidden layers with per-layer units, output', () => {
    const p = resolveParams({}, { input_units: 12, layers: 2, units: 8, units_1: 5, dropout: 0.2, batch_norm: true });
    const model = buildModel('mlp', [4], 3, p, 1);
    const shapes = model.trainableWeights.filter((w) => /kernel$/.test(w.originalName)).map((w) => w.shape);
    assert.deepEqual(shapes, [[4, 12], [12, 8], [8, 5], [5, 3]]);
    model.dispose();
  });

  it('builds the same initial weights for the same seed', () => {
    const p = resolveParams({}, {});
    const weights = (seed: number) => {
      const m = buildModel('mlp', [4], 3, p, seed);
      const values = m.getWeights().map((w) => Array.from(w.dataSync()));
      m.dispose();
      return values;
    };
    assert.deepEqual(weights(5), weights(5));
    assert.notDeepEqual(weights(5), weights(6));
  });

  it('rejects CNN settings that shrink the image to nothing, naming the parameter', () => {
    const p = resolveParams({}, { conv_blocks: 4, padding: 'valid' });
    assert.throws(() => buildModel('cnn', [8, 8, 1], 10, p, 0), (e: unknown) => e instanceof TrainerError && e.reason === 'InvalidParameter' && /conv_blocks/.test(e.message));
    assert.throws(() => buildModel('cnn', [64], 10, p, 0), /needs images/);
  });

  it('saves and loads a model with its custom layers, predicting the same values', async () => {
    const p = resolveParams({}, { layers: 1, dropout: 0.3, batch_norm: true });
    const model = buildModel('mlp', [6], 2, p, 3);
    const dir = tempDir();
    await saveModel(model, dir);
    const loaded = await loadSavedModel(dir);
    const x = tf.randomUniform([5, 6], -1, 1, 'float32', 9);
    assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
    x.dispose();
    model.dispose();
    loaded.dispose();
  });
});
