/**
 * The training loop. We do not use `model.fit`: its shuffle cannot be seeded, it cannot be
 * interrupted between batches, and its per-batch callbacks cost time. Instead, per epoch:
 *
 * 1. draw the permutation from `(seed, "shuffle", epoch)` — same seed, same batches;
 * 2. copy each batch's rows into one reused Float32Array and make one tensor from it;
 * 3. one `optimizer.minimize` per batch on loss + L2 penalty; loss sums and correct counts stay
 *    on the backend and are read once per epoch (reading per batch would stall a GPU);
 * 4. evaluate on the validation set, hand the metrics to `onEpoch`, and let `EarlyStopping`
 *    decide; improvements are snapshotted (and checkpointed by the caller).
 *
 * Every ~100 ms the loop yields to the event loop so a SIGTERM handler can run and ask it to
 * stop (`cancelled()`); it then stops after the current batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { HyperParams } from '../config/params.js';
import type { Task } from '../config/trainer-config.js';
import type { Examples } from '../data/examples.js';
import { featureSize } from '../data/examples.js';
import type { TargetScaler } from '../data/tabular.js';
import { Rng } from '../rng.js';
import type { EarlyStopping } from './early-stopping.js';
import { evaluate } from './evaluate.js';
import { buildOptimizer } from './optimizers.js';
import { softmaxCrossEntropy } from './softmax-xent.js';

export interface TrainOptions {
  model: tf.LayersModel;
  params: HyperParams;
  task: Task;
  inputShape: readonly number[];
  /** Number of classes (classification) or 1 (regression). */
  outputs: number;
  train: Examples;
  validation?: Examples;
  seed: number;
  targetScaler?: TargetScaler;
  /** Tracks the monitored metric; decides stopping only when `stopEarly` is set. */
  tracker: EarlyStopping;
  stopEarly: boolean;
  /** Called after every epoch with its metrics (epochs count from 1) and the training pass's time. */
  onEpoch?(epoch: number, metrics: Record<string, number>, time: EpochTime): void;
  /** Called when the monitored metric improved, e.g. to write a checkpoint. */
  onImproved?(epoch: number, metrics: Record<string, number>): Promise<void> | void;
  /** Polled between batches: true asks the loop to stop as soon as it can. */
  cancelled(): boolean;
}

/** Wall-clock and process CPU seconds of one epoch's training pass (validation excluded). */
export interface EpochTime {
  wallSeconds: number;
  cpuSeconds: number;
}

export interface TrainOutcome {
  history: Array<Record<string, number>>;
  epochsRun: number;
  bestEpoch: number | undefined;
  /** Metrics of the best epoch (or of the last one when nothing improved). */
  bestMetrics: Record<string, number>;
  stoppedEarly: boolean;
  cancelled: boolean;
  /** The training loss became NaN or infinite; training stopped there. */
  nonFinite: boolean;
}

const YIELD_EVERY_MS = 100;

function kernelsOf(model: tf.LayersModel): tf.Tensor[] {
  return model.trainableWeights.filter((w) => /kernel$/.test(w.originalName)).map((w) => w.read());
}

function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export async function train(o: TrainOptions): Promise<TrainOutcome> {
  const { model, params, train: data, task, outputs } = o;
  const optimizer = buildOptimizer(params);
  const variables = variablesOf(model);
  const kernels = kernelsOf(model);
  const rowSize = featureSize(data.featureShape);
  const batchSize = Math.min(params.batch_size, data.n);
  const xBuffer = new Float32Array(batchSize * rowSize);
  const yBuffer = new Float32Array(batchSize * (task === 'classification' ? outputs : 1));
  const scaler = o.targetScaler ?? { mean: 0, std: 1 };
  const history: Array<Record<string, number>> = [];
  let snapshot: tf.Tensor[] | undefined;
  let bestMetrics: Record<string, number> = {};
  let stoppedEarly = false;
  let cancelled = false;
  let nonFinite = false;
  let lastYield = performance.now();

  const lossOf = (prediction: tf.Tensor, y: tf.Tensor): tf.Scalar => {
    return (params.loss === 'mae' ? tf.losses.absoluteDifference(y, prediction) : tf.losses.meanSquaredError(y, prediction)) as tf.Scalar;
  };

  for (let epoch = 1; epoch <= params.epochs && !cancelled; epoch++) {
    const epochStart = performance.now();
    const cpuStart = process.cpuUsage();
    const order = Rng.derive(o.seed, `shuffle-${epoch}`).permutation(data.n);
    const lossSums: tf.Scalar[] = [];
    const correctCounts: tf.Scalar[] = [];
    let seen = 0;
    for (let start = 0; start < data.n; start += batchSize) {
      const count = Math.min(batchSize, data.n - start);
      yBuffer.fill(0);
      for (let i = 0; i < count; i++) {
        const row = order[start + i] as number;
        xBuffer.set(data.x.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
        const label = data.y[row] as number;
        if (task === 'classification') yBuffer[i * outputs + label] = 1;
        else yBuffer[i] = (label - scaler.mean) / scaler.std;
      }
      tf.tidy(() => {
        const x = tf.tensor(xBuffer.subarray(0, count * rowSize), [count, ...o.inputShape]);
        const y = tf.tensor2d(yBuffer.subarray(0, count * (task === 'classification' ? outputs : 1)), [count, task === 'classification' ? outputs : 1]);
        optimizer.minimize(
          () => {
            const prediction = model.apply(x, { training: true }) as tf.Tensor;
            let dataLoss: tf.Scalar;
            if (task === 'classification') {
              // Loss, its sum and the correct count in one go (one kernel on wasm: softmax-xent.ts).
              const xent = softmaxCrossEntropy(y as tf.Tensor2D, prediction as tf.Tensor2D);
              dataLoss = xent.loss;
              lossSums.push(xent.lossSum);
              correctCounts.push(xent.correct);
            } else {
              dataLoss = lossOf(prediction, y);
              lossSums.push(tf.keep(tf.mul(dataLoss, count)));
            }
            if (params.l2 === 0 || kernels.length === 0) return dataLoss;
            // Keras' l2(λ): λ·Σw² over every kernel (biases and batch-norm parameters excluded).
            return tf.add(dataLoss, tf.mul(params.l2, tf.addN(kernels.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
          },
          false,
          variables,
        );
      });
      seen += count;
      if (o.cancelled()) {
        cancelled = true;
        break;
      }
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
        if (o.cancelled()) {
          cancelled = true;
          break;
        }
      }
    }
    const metrics: Record<string, number> = {};
    const cpu = process.cpuUsage(cpuStart);
    const time: EpochTime = { wallSeconds: (performance.now() - epochStart) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
    const lossSum = tf.tidy(() => tf.addN(lossSums).dataSync()[0] as number);
    // The data loss (without the L2 penalty), in the target's units for regression.
    const meanLoss = lossSum / seen;
    metrics.loss = task === 'classification' ? meanLoss : params.loss === 'mae' ? meanLoss * scaler.std : meanLoss * scaler.std ** 2;
    if (correctCounts.length > 0) metrics.accuracy = (tf.tidy(() => tf.addN(correctCounts).dataSync()[0] as number)) / seen;
    tf.dispose([...lossSums, ...correctCounts]);
    if (!Number.isFinite(metrics.loss)) nonFinite = true;
    if (o.validation && o.validation.n > 0 && !cancelled) {
      const val = evaluate(model, o.validation, {
        task,
        inputShape: o.inputShape,
        classes: outputs,
        ...(o.targetScaler ? { targetScaler: o.targetScaler } : {}),
        regressionLoss: params.loss as 'mse' | 'mae',
      });
      for (const [name, value] of Object.entries(val)) metrics[`val_${name}`] = value;
    }
    if (cancelled && seen < data.n) break; // a partial epoch is not reported as if it were whole
    history.push(metrics);
    o.onEpoch?.(epoch, metrics, time);
    if (nonFinite) break;
    const verdict = o.tracker.update(epoch, metrics);
    if (verdict === 'improved' || epoch === 1) {
      bestMetrics = metrics;
      if (verdict === 'improved') {
        tf.dispose(snapshot ?? []);
        snapshot = model.getWeights().map((w) => tf.keep(w.clone()));
        await o.onImproved?.(epoch, metrics);
      }
    }
    if (o.stopEarly && verdict === 'stop') {
      stoppedEarly = true;
      break;
    }
  }
  if (o.tracker.restoreBest && snapshot !== undefined && o.tracker.bestEpoch !== history.length) model.setWeights(snapshot);
  if (!o.tracker.restoreBest && history.length > 0) bestMetrics = history[history.length - 1] as Record<string, number>;
  tf.dispose(snapshot ?? []);
  optimizer.dispose();
  return { history, epochsRun: history.length, bestEpoch: o.tracker.bestEpoch, bestMetrics, stoppedEarly, cancelled, nonFinite };
}
