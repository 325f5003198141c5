/** Builds the configured model family from the trial's parameters (never at import time). */
import type * as tf from '@tensorflow/tfjs';
import type { HyperParams } from '../config/params.js';
import type { ModelFamily } from '../config/trainer-config.js';
import { buildCnn } from './cnn.js';
import { buildMlp } from './mlp.js';

export function buildModel(family: ModelFamily, inputShape: readonly number[], outputs: number, params: HyperParams, seed: number): tf.LayersModel {
  return family === 'cnn' ? buildCnn(inputShape, outputs, params, seed) : buildMlp(inputShape, outputs, params, seed);
}

/** The shape of one model input: the MLP takes flat rows, the CNN images. */
export function modelInputShape(family: ModelFamily, featureShape: readonly number[]): number[] {
  return family === 'cnn' ? [...featureShape] : [featureShape.reduce((a, b) => a * b, 1)];
}
