/**
 * The CNN family, built from the trial's parameters at run time:
 *
 *   image → conv_blocks × [Conv2D(filters_i, kernel_size, strides, padding) → [BN] → act → pool]
 *         → Flatten → [Dense(dense_units, activation) → [BN] → dropout] → output
 *
 * The first block uses `input_activation`, the others `activation`. Shapes are checked before
 * tfjs sees them, so a combination that shrinks the image to nothing is an InvalidParameter
 * failure naming the knobs, not a tfjs stack trace.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParams } from '../config/params.js';
import { invalidParameter } from '../errors.js';
import { LayerSeeds, activationBlock } from './blocks.js';
import { InputConv2D } from './input-conv2d.js';

function convOut(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

export function buildCnn(inputShape: readonly number[], outputs: number, p: HyperParams, seed: number): tf.LayersModel {
  if (inputShape.length !== 3) {
    throw invalidParameter('model', `the CNN family needs images ([height, width, channels]); this dataset gives rows of shape [${inputShape.join(', ')}]`);
  }
  const seeds = new LayerSeeds(seed);
  const padding = p.padding as 'same' | 'valid';
  let [h, w] = inputShape as [number, number, number];
  const input = tf.input({ shape: [...inputShape], name: 'image' });
  let x: tf.SymbolicTensor = input;
  for (let i = 0; i < p.conv_blocks; i++) {
    h = convOut(h, p.kernel_size, p.strides, padding);
    w = convOut(w, p.kernel_size, p.strides, padding);
    if (p.pooling !== 'none') (h = Math.floor(h / p.pool_size)), (w = Math.floor(w / p.pool_size));
    if (h < 1 || w < 1) {
      throw invalidParameter('conv_blocks', `${p.conv_blocks} blocks with kernel_size=${p.kernel_size}, strides=${p.strides}, padding=${padding}, pooling=${p.pooling}/${p.pool_size} shrink the ${inputShape[0]}x${inputShape[1]} input to nothing at block ${i}`);
    }
    const conv = { filters: p.filtersByBlock[i] ?? p.filters, kernelSize: p.kernel_size, strides: p.strides, padding, useBias: !p.batch_norm, kernelInitializer: seeds.glorot() };
    // The first convolution never needs the gradient of its input (the images): InputConv2D skips it.
    x = (i === 0 ? new InputConv2D(conv) : tf.layers.conv2d(conv)).apply(x) as tf.SymbolicTensor;
    x = activationBlock(x, { activation: i === 0 ? p.input_activation : p.activation, batchNorm: p.batch_norm, dropout: 0, seeds });
    if (p.pooling === 'max') x = tf.layers.maxPooling2d({ poolSize: p.pool_size, strides: p.pool_size }).apply(x) as tf.SymbolicTensor;
    if (p.pooling === 'avg') x = tf.layers.averagePooling2d({ poolSize: p.pool_size, strides: p.pool_size }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  if (p.dense_units > 0) {
    x = tf.layers.dense({ units: p.dense_units, useBias: !p.batch_norm, kernelInitializer: seeds.glorot() }).apply(x) as tf.SymbolicTensor;
    x = activationBlock(x, { activation: p.activation, batchNorm: p.batch_norm, dropout: p.dropout, seeds });
  }
  const output = tf.layers.dense({ units: outputs, kernelInitializer: seeds.glorot(), name: 'output' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'kubetune_cnn' });
}
