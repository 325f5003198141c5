/**
 * The optimizers a study can choose, with the parameters each one reads. Names and defaults
 * follow Keras (epsilon 1e-7, rho 0.9, adagrad's initial accumulator 0.1) so a study ported from
 * a notebook behaves the same.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParams } from '../config/params.js';
import { FusedAdam } from './fused-adam.js';

export function buildOptimizer(p: HyperParams): tf.Optimizer {
  const lr = p.learning_rate;
  switch (p.optimizer) {
    case 'sgd':
      // Nesterov is a variant of momentum; with momentum 0 it changes nothing, as in Keras.
      return p.momentum > 0 ? tf.train.momentum(lr, p.momentum, p.nesterov) : tf.train.sgd(lr);
    case 'adam':
      // tf.train.adam's arithmetic in one kernel per variable (fused-adam.ts says why).
      return new FusedAdam(lr, p.beta1, p.beta2, p.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(lr, p.rho, p.momentum, p.epsilon);
    case 'adagrad':
      return tf.train.adagrad(lr, 0.1);
    case 'adadelta':
      return tf.train.adadelta(lr, p.rho, p.epsilon);
    case 'adamax':
      return tf.train.adamax(lr, p.beta1, p.beta2, p.epsilon, 0);
  }
}
