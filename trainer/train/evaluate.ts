/**
 * Metrics of a model on a set of examples, computed in inference mode (dropout off, batch norm
 * on its moving statistics) in large batches. Classification: mean cross-entropy and accuracy.
 * Regression: MAE and MSE in the target's original units (training standardises the target).
 */
import * as tf from '@tensorflow/tfjs';
import type { Task } from '../config/trainer-config.js';
import type { Examples } from '../data/examples.js';
import { featureSize } from '../data/examples.js';
import type { TargetScaler } from '../data/tabular.js';

const EVAL_BATCH = 1024;

/** Raw model outputs for every example: n × outputs values. */
export function predictAll(model: tf.LayersModel, data: Examples, inputShape: readonly number[]): Float32Array {
  const size = featureSize(data.featureShape);
  const outputs = (model.outputs[0]?.shape[1] ?? 1) as number;
  const out = new Float32Array(data.n * outputs);
  for (let start = 0; start < data.n; start += EVAL_BATCH) {
    const count = Math.min(EVAL_BATCH, data.n - start);
    const batch = tf.tidy(() => {
      const x = tf.tensor(data.x.subarray(start * size, (start + count) * size), [count, ...inputShape]);
      return model.predict(x) as tf.Tensor;
    });
    out.set(batch.dataSync() as Float32Array, start * outputs);
    batch.dispose();
  }
  return out;
}

export interface EvalOptions {
  task: Task;
  inputShape: readonly number[];
  classes: number;
  /** Regression only: how the target was standardised, and which loss `loss` reports. */
  targetScaler?: TargetScaler;
  regressionLoss?: 'mse' | 'mae';
}

export function evaluate(model: tf.LayersModel, data: Examples, options: EvalOptions): Record<string, number> {
  const out = predictAll(model, data, options.inputShape);
  if (options.task === 'classification') return classificationMetrics(out, data.y, options.classes);
  const { mean, std } = options.targetScaler ?? { mean: 0, std: 1 };
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < data.n; i++) {
    const err = (out[i] as number) * std + mean - (data.y[i] as number);
    abs += Math.abs(err);
    sq += err * err;
  }
  const mae = abs / data.n;
  const mse = sq / data.n;
  return { loss: options.regressionLoss === 'mae' ? mae : mse, mae, mse };
}

/** Mean softmax cross-entropy (log-sum-exp, stable) and accuracy from logits. */
export function classificationMetrics(logits: Float32Array, labels: Float32Array, classes: number): Record<string, number> {
  let loss = 0;
  let correct = 0;
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    let arg = 0;
    for (let c = 0; c < classes; c++) {
      const v = logits[i * classes + c] as number;
      if (v > max) (max = v), (arg = c);
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp((logits[i * classes + c] as number) - max);
    const label = labels[i] as number;
    loss += Math.log(sum) + max - (logits[i * classes + label] as number);
    if (arg === label) correct++;
  }
  return { loss: loss / n, accuracy: correct / n };
}
