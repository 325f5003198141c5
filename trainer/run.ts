/**
 * One trainer run, from a validated config and the trial's raw parameters to a `TrialResult`:
 * read the data, split it (or fold it), build the model family from the parameters, train,
 * evaluate, save the output directory, report. All I/O with the outside goes through the
 * `Reporter`; failures are thrown as `TrainerError`s and turned into results by main.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrialResult } from '../operator/api/trial-contract.js';
import type { BackendInfo } from './backend/select.js';
import type { HyperParams } from './config/params.js';
import { paramsToJson } from './config/params.js';
import type { TrainerConfig } from './config/trainer-config.js';
import { metricDirection } from './config/trainer-config.js';
import type { Examples } from './data/examples.js';
import type { Source } from './data/source.js';
import { loadSource } from './data/source.js';
import { kFolds, splitIndices } from './data/split.js';
import type { Preprocessor, TargetScaler } from './data/tabular.js';
import { TrainerError, invalidConfig } from './errors.js';
import { buildModel, modelInputShape } from './model/build.js';
import { saveModel, writeJson } from './report/artifacts.js';
import type { Reporter } from './report/reporter.js';
import { EarlyStopping } from './train/early-stopping.js';
import { evaluate } from './train/evaluate.js';
import type { EpochTime, TrainOutcome } from './train/loop.js';
import { train } from './train/loop.js';

export interface RunInputs {
  config: TrainerConfig;
  /** The resolved hyperparameters (config.params overridden by the trial's). */
  params: HyperParams;
  /** The trial's seed: weights, shuffling, dropout. The split uses `config.seed` so every trial of a study sees the same split. */
  seed: number;
  backend: BackendInfo;
  outputDir?: string;
  reporter: Reporter;
  stop: { readonly requested: boolean };
}

interface Trained {
  model: tf.LayersModel;
  outcome: TrainOutcome;
  test?: Record<string, number>;
}

function fitTargetScaler(y: Float32Array): TargetScaler {
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let sq = 0;
  for (const v of y) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / y.length);
  return { mean, std: std > 0 ? std : 1 };
}

function prefixed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}${k}`, v]));
}

export async function runTraining(inputs: RunInputs): Promise<TrialResult> {
  const { config, reporter } = inputs;
  const { params } = inputs;
  const hasValidation = config.folds >= 2 || config.validationSplit > 0;
  const monitor = config.earlyStopping?.monitor ?? config.objective;
  for (const [path, metric] of [['objective', config.objective], ['earlyStopping.monitor', monitor]] as const) {
    if (metric.startsWith('val_') && !hasValidation) throw invalidConfig(path, `${metric} needs a validation split (validationSplit > 0 or folds ≥ 2)`);
  }
  const source = loadSource(config.dataset, { task: config.task, featureSubset: params.features, limit: config.limit });
  const outputs = config.task === 'classification' ? (source.classes?.length ?? 0) : 1;
  reporter.log(`backend ${inputs.backend.backend}: ${inputs.backend.detail}`);
  reporter.log(`${source.n} examples, task ${config.task}, model ${config.model}${outputs > 1 ? `, ${outputs} classes` : ''}, seed ${inputs.seed}`);
  if (inputs.outputDir !== undefined) {
    writeJson(inputs.outputDir, 'params.json', paramsToJson(params));
    writeJson(inputs.outputDir, 'run.json', { seed: inputs.seed, splitSeed: config.seed, backend: inputs.backend, config });
  }

  const trainOnce = async (sets: Examples[], label: string, onEpoch: EpochCallback, dir?: string): Promise<Trained> => {
    const [trainSet, validation, test] = sets as [Examples, Examples, Examples];
    const inputShape = modelInputShape(config.model, trainSet.featureShape);
    const model = buildModel(config.model, inputShape, outputs, params, inputs.seed);
    const targetScaler = config.task === 'regression' ? fitTargetScaler(trainSet.y) : undefined;
    const direction = metricDirection(monitor) as 'min' | 'max';
    const es = config.earlyStopping;
    const tracker = new EarlyStopping({ monitor, mode: direction, patience: es?.patience ?? Number.POSITIVE_INFINITY, minDelta: es?.minDelta ?? 0, restoreBest: es?.restoreBest ?? false });
    const outcome = await train({
      model, params, task: config.task, inputShape, outputs, train: trainSet,
      ...(validation.n > 0 ? { validation } : {}),
      seed: inputs.seed,
      ...(targetScaler ? { targetScaler } : {}),
      tracker,
      stopEarly: es !== undefined,
      onEpoch,
      ...(dir !== undefined ? { onImproved: () => saveModel(model, `${dir}/best`) } : {}),
      cancelled: () => inputs.stop.requested,
    });
    if (outcome.stoppedEarly) reporter.log(`${label}early stopping after epoch ${outcome.epochsRun} (best ${monitor} at epoch ${outcome.bestEpoch})`);
    const trained: Trained = { model, outcome };
    if (test.n > 0 && !outcome.cancelled && !outcome.nonFinite) {
      trained.test = prefixed('test_', evaluate(model, test, { task: config.task, inputShape, classes: outputs, ...(targetScaler ? { targetScaler } : {}), regressionLoss: params.loss as 'mse' | 'mae' }));
    }
    if (dir !== undefined) {
      await saveModel(model, `${dir}/model`);
      writeJson(dir, 'metrics.json', { history: outcome.history, best: outcome.bestMetrics, bestEpoch: outcome.bestEpoch, test: trained.test ?? null });
    }
    return trained;
  };

  return config.folds >= 2 ? crossValidate(inputs, source, trainOnce) : singleSplit(inputs, source, trainOnce);
}

type EpochCallback = (epoch: number, m: Record<string, number>, time: EpochTime) => void;
type TrainOnce = (sets: Examples[], label: string, onEpoch: EpochCallback, dir?: string) => Promise<Trained>;

function writePreprocessing(dir: string | undefined, source: Source, preprocessor: Preprocessor | undefined, sets: Examples[]): void {
  if (dir === undefined) return;
  const trainSet = sets[0] as Examples;
  writeJson(dir, 'preprocessing.json', {
    featureColumns: source.featureColumns ?? null,
    featureShape: trainSet.featureShape,
    classes: source.classes ?? null,
    preprocessor: preprocessor ?? { pixels: 'value / 255' },
    // The regression target is standardised with the training split's mean and std.
    target: source.classes ? null : fitTargetScaler(trainSet.y),
  });
}

function resultOf(outcome: TrainOutcome, metrics: Record<string, number>, step: number): TrialResult {
  if (outcome.nonFinite) return { status: 'failed', reason: 'NonFiniteLoss', message: 'the training loss became NaN or infinite', metrics, step };
  if (outcome.cancelled) return { status: 'pruned', reason: 'Terminated', message: `stopped by a signal after ${step} complete step(s)`, metrics, step };
  return { status: 'succeeded', metrics, step };
}

async function singleSplit(inputs: RunInputs, source: Source, trainOnce: TrainOnce): Promise<TrialResult> {
  const { config, reporter } = inputs;
  const idx = splitIndices(source.n, config.validationSplit, source.officialTest ? 0 : config.testSplit, config.seed);
  const built = source.build(idx.train, [idx.train, idx.validation, idx.test]);
  const sets = [...built.sets];
  if (source.officialTest) sets[2] = source.officialTest;
  reporter.log(`split: ${sets[0]?.n} train, ${sets[1]?.n} validation, ${sets[2]?.n} test`);
  writePreprocessing(inputs.outputDir, source, built.preprocessor, sets);
  const trained = await trainOnce(
    sets,
    '',
    (epoch, m, time) => {
      reporter.metrics(epoch, m);
      // Timing stays out of the metric line so the same seed gives the same lines; bench/trainer.ts reads this log.
      reporter.log(`epoch ${epoch} trained in ${time.wallSeconds.toFixed(3)} s (cpu ${time.cpuSeconds.toFixed(3)} s)`);
    },
    inputs.outputDir,
  );
  const { outcome } = trained;
  const last = outcome.history[outcome.history.length - 1] ?? {};
  const base = outcome.cancelled || outcome.nonFinite ? last : outcome.bestMetrics;
  const metrics = { ...base, ...(trained.test ?? {}), epochs: outcome.epochsRun };
  if (outcome.bestEpoch !== undefined) Object.assign(metrics, { best_epoch: outcome.bestEpoch });
  trained.model.dispose();
  return resultOf(outcome, metrics, outcome.epochsRun);
}

function meanAndStd(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)];
}

/**
 * k-fold cross-validation on the non-test examples, as scikit-learn's GridSearchCV scores a
 * candidate: one fresh model per fold (scalers refitted on that fold's training part), one
 * metric line per fold (step = fold number) with that fold's validation metrics and the running
 * mean of the objective; the result holds the mean and spread (population std, as sklearn's
 * `std_test_score`) of every validation and test metric, and each fold's objective.
 */
async function crossValidate(inputs: RunInputs, source: Source, trainOnce: TrainOnce): Promise<TrialResult> {
  const { config, reporter } = inputs;
  const pool = splitIndices(source.n, 0, source.officialTest ? 0 : config.testSplit, config.seed);
  const folds = kFolds(pool.train, config.folds);
  const perFold: Array<Record<string, number>> = [];
  let last: TrainOutcome | undefined;
  for (const [f, fold] of folds.entries()) {
    const built = source.build(fold.train, [fold.train, fold.validation, pool.test]);
    const sets = [...built.sets];
    if (source.officialTest) sets[2] = source.officialTest;
    const dir = inputs.outputDir === undefined ? undefined : `${inputs.outputDir}/fold-${f + 1}`;
    writePreprocessing(dir, source, built.preprocessor, sets);
    const trained = await trainOnce(sets, `fold ${f + 1}: `, (epoch, m, time) => reporter.log(`fold ${f + 1} epoch ${epoch} trained in ${time.wallSeconds.toFixed(3)} s: ${JSON.stringify(m)}`), dir);
    trained.model.dispose();
    last = trained.outcome;
    if (last.cancelled || last.nonFinite) break;
    const foldMetrics = { ...last.bestMetrics, ...(trained.test ?? {}) };
    perFold.push(foldMetrics);
    const objective = perFold.map((m) => m[config.objective] ?? Number.NaN);
    reporter.metrics(f + 1, { ...foldMetrics, [`cv_mean_${config.objective}`]: meanAndStd(objective)[0] });
  }
  const metrics: Record<string, number> = { folds_completed: perFold.length };
  if (perFold.length > 0) {
    for (const name of Object.keys(perFold[0] as object)) {
      if (!name.startsWith('val_') && !name.startsWith('test_')) continue;
      const [mean, std] = meanAndStd(perFold.map((m) => m[name] ?? Number.NaN));
      metrics[name] = mean;
      metrics[`${name}_std`] = std;
    }
    perFold.forEach((m, f) => (metrics[`fold${f + 1}_${config.objective}`] = m[config.objective] ?? Number.NaN));
  }
  if (inputs.outputDir !== undefined) writeJson(inputs.outputDir, 'metrics.json', { folds: perFold, summary: metrics });
  if (last === undefined) throw new TrainerError('InternalError', 'no fold was trained');
  return resultOf(last, metrics, perFold.length);
}
