/**
 * The MLP family, built from the trial's parameters at run time (KerasTuner's `build(hp)`):
 *
 *   input → Dense(input_units, input_activation) → layers × Dense(units_i, activation) → output
 *
 * every dense layer followed by optional batch norm and dropout. The output layer is linear:
 * class logits (softmax is applied by the loss and by whoever reuses the model) or one value
 * for regression.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParams } from '../config/params.js';
import { LayerSeeds, activationBlock } from './blocks.js';
import { InputDense } from './input-dense.js';

export function buildMlp(inputShape: readonly number[], outputs: number, p: HyperParams, seed: number): tf.LayersModel {
  const seeds = new LayerSeeds(seed);
  const inputSize = inputShape.reduce((a, b) => a * b, 1);
  const input = tf.input({ shape: [inputSize], name: 'features' });
  const dense = (units: number, x: tf.SymbolicTensor) =>
    tf.layers.dense({ units, useBias: !p.batch_norm, kernelInitializer: seeds.glorot() }).apply(x) as tf.SymbolicTensor;
  const block = { batchNorm: p.batch_norm, dropout: p.dropout, seeds };
  // The first layer never needs the gradient of its input: InputDense skips computing it. Without
  // batch norm (which sits between product and activation) it also applies a ReLU itself, fused
  // with the product on the wasm backend.
  const ownRelu = !p.batch_norm && p.input_activation === 'relu';
  const first = new InputDense({ units: p.input_units, useBias: !p.batch_norm, activation: ownRelu ? 'relu' : 'linear', kernelInitializer: seeds.glorot() }).apply(input) as tf.SymbolicTensor;
  let x = activationBlock(first, { ...block, activation: ownRelu ? 'linear' : p.input_activation });
  for (let i = 0; i < p.layers; i++) {
    x = activationBlock(dense(p.unitsByLayer[i] ?? p.units, x), { ...block, activation: p.activation });
  }
  const output = tf.layers.dense({ units: outputs, kernelInitializer: seeds.glorot(), name: 'output' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'kubetune_mlp' });
}
