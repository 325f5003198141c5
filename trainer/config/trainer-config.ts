/**
 * The trainer config: what to train on and how, as opposed to the tuned hyperparameters
 * (params.ts). It comes from a JSON or YAML file (`--config`) and/or command-line flags, flags
 * winning. Every field is checked here so a typo fails before any data is read.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BUILTIN_NAMES, builtinDataset } from '../data/builtin.js';
import { invalidConfig } from '../errors.js';

export type Task = 'classification' | 'regression';
export type ModelFamily = 'mlp' | 'cnn';
export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Where the examples come from. */
export type DatasetConfig =
  | {
      kind: 'csv';
      /** A CSV file with a header row (`.gz` is read through gunzip). */
      path: string;
      label: string;
      /** Feature columns; default every column but the label. A `features` parameter narrows it. */
      features?: string[];
      /** Columns to one-hot encode even if their values look numeric. */
      categorical?: string[];
      /** Reshape each row into an image (e.g. [8, 8, 1]) for the CNN family. */
      imageShape?: [number, number, number];
      /** Multiply numeric features by this instead of standardising (e.g. 1/16 for digits). */
      scale?: number;
    }
  | {
      kind: 'idx';
      trainImages: string;
      trainLabels: string;
      /** The official test set; when absent, the test split is drawn from the training files. */
      testImages?: string;
      testLabels?: string;
    };

export interface EarlyStoppingConfig {
  /** Metric to watch, e.g. `val_loss`, `val_accuracy`, `val_mae`. Defaults to the objective. */
  monitor?: string;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
}

export interface TrainerConfig {
  dataset: DatasetConfig;
  task: Task;
  model: ModelFamily;
  /** Fractions of the examples held out for validation and test (test ignored for IDX with a test set). */
  validationSplit: number;
  testSplit: number;
  /** k-fold cross-validation on the non-test examples when ≥ 2 (validationSplit is then unused). */
  folds: number;
  /** Use at most this many training examples (tests, quick runs); 0 = all. */
  limit: number;
  /** The metric the study optimises; early stopping and checkpoints follow it. */
  objective: string;
  earlyStopping?: EarlyStoppingConfig;
  seed: number;
  backend: BackendChoice;
  /** Fixed hyperparameters; the trial's parameters override them. */
  params: Record<string, unknown>;
}

const TOP_KEYS = ['dataset', 'task', 'model', 'validationSplit', 'testSplit', 'folds', 'limit', 'objective', 'earlyStopping', 'seed', 'backend', 'params'];

/** Reads a config file; YAML is a superset of JSON, so one parser serves both. */
export function readConfigFile(path: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw invalidConfig(path, (err as Error).message);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidConfig(path, 'must be a mapping');
  return doc as Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(obj: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
  const v = obj[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v === '') throw invalidConfig(`${path}.${key}`, `expected a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function num(obj: Record<string, unknown>, key: string, path: string, fallback: number, min: number, max: number, int = false): number {
  const v = obj[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) {
    throw invalidConfig(`${path}.${key}`, `expected ${int ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

function strings(obj: Record<string, unknown>, key: string, path: string): string[] | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw invalidConfig(`${path}.${key}`, 'expected a list of column names');
  return v as string[];
}

function oneOf<T extends string>(obj: Record<string, unknown>, key: string, values: readonly T[], fallback: T): T {
  const v = obj[key] ?? fallback;
  if (typeof v !== 'string' || !values.includes(v as T)) {
    throw invalidConfig(key, `expected one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

function parseDataset(raw: unknown): DatasetConfig {
  if (!isRecord(raw)) throw invalidConfig('dataset', 'is required (a mapping with kind csv or idx, or a builtin name)');
  const kind = raw.kind;
  if (kind === 'csv') {
    const out: DatasetConfig = { kind, path: str(raw, 'path', 'dataset', true) as string, label: str(raw, 'label', 'dataset', true) as string };
    const features = strings(raw, 'features', 'dataset');
    const categorical = strings(raw, 'categorical', 'dataset');
    if (features) out.features = features;
    if (categorical) out.categorical = categorical;
    if (raw.imageShape !== undefined) {
      const s = raw.imageShape;
      if (!Array.isArray(s) || s.length !== 3 || !s.every((d) => Number.isInteger(d) && d > 0)) {
        throw invalidConfig('dataset.imageShape', 'expected [height, width, channels]');
      }
      out.imageShape = s as [number, number, number];
    }
    if (raw.scale !== undefined) out.scale = num(raw, 'scale', 'dataset', 1, Number.MIN_VALUE, Number.MAX_VALUE);
    return out;
  }
  if (kind === 'idx') {
    const out: DatasetConfig = {
      kind,
      trainImages: str(raw, 'trainImages', 'dataset', true) as string,
      trainLabels: str(raw, 'trainLabels', 'dataset', true) as string,
    };
    const testImages = str(raw, 'testImages', 'dataset', false);
    const testLabels = str(raw, 'testLabels', 'dataset', false);
    if ((testImages === undefined) !== (testLabels === undefined)) throw invalidConfig('dataset', 'testImages and testLabels go together');
    if (testImages !== undefined && testLabels !== undefined) Object.assign(out, { testImages, testLabels });
    return out;
  }
  throw invalidConfig('dataset.kind', `expected csv or idx, got ${JSON.stringify(kind)}`);
}

/** Metrics the trainer reports, and which way is better: early stopping must not guess. */
export function metricDirection(metric: string): 'min' | 'max' | undefined {
  const base = metric.replace(/^(val_|test_)/, '');
  if (base === 'accuracy') return 'max';
  if (base === 'loss' || base === 'mae' || base === 'mse') return 'min';
  return undefined;
}

/** Validates a raw config document (file contents with flags merged in). */
export function parseTrainerConfig(raw: Record<string, unknown>): TrainerConfig {
  for (const key of Object.keys(raw)) if (!TOP_KEYS.includes(key)) throw invalidConfig(key, 'unknown setting');
  // `dataset: iris` (or `{kind: builtin, name: iris}`) names a shipped dataset and its usual task.
  const builtinName = typeof raw.dataset === 'string' ? raw.dataset : isRecord(raw.dataset) && raw.dataset.kind === 'builtin' ? raw.dataset.name : undefined;
  const builtin = typeof builtinName === 'string' ? builtinDataset(builtinName) : undefined;
  if (builtinName !== undefined && builtin === undefined) {
    throw invalidConfig('dataset', `no shipped dataset named ${JSON.stringify(builtinName)} (have ${BUILTIN_NAMES.join(', ')})`);
  }
  const task = oneOf(raw, 'task', ['classification', 'regression'] as const, builtin?.task ?? 'classification');
  const config: TrainerConfig = {
    dataset: builtin ? builtin.dataset : parseDataset(raw.dataset),
    task,
    model: oneOf(raw, 'model', ['mlp', 'cnn'] as const, 'mlp'),
    validationSplit: num(raw, 'validationSplit', 'config', 0.2, 0, 0.9),
    testSplit: num(raw, 'testSplit', 'config', 0.1, 0, 0.9),
    folds: num(raw, 'folds', 'config', 0, 0, 100, true),
    limit: num(raw, 'limit', 'config', 0, 0, Number.MAX_SAFE_INTEGER, true),
    objective: typeof raw.objective === 'string' ? raw.objective : task === 'classification' ? 'val_accuracy' : 'val_mae',
    seed: num(raw, 'seed', 'config', 0, 0, 2 ** 32 - 1, true),
    backend: oneOf(raw, 'backend', ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const, 'auto'),
    params: isRecord(raw.params) ? raw.params : {},
  };
  if (raw.params !== undefined && !isRecord(raw.params)) throw invalidConfig('params', 'expected a mapping of parameter values');
  if (config.folds === 1) throw invalidConfig('folds', 'k-fold needs at least 2 folds (0 turns it off)');
  if (config.validationSplit + config.testSplit >= 0.95) throw invalidConfig('validationSplit', 'validation and test leave too little to train on');
  checkMetric('objective', config.objective, task);
  if (raw.earlyStopping !== undefined) {
    const es = raw.earlyStopping;
    if (!isRecord(es)) throw invalidConfig('earlyStopping', 'expected a mapping');
    const monitor = typeof es.monitor === 'string' ? es.monitor : config.objective;
    checkMetric('earlyStopping.monitor', monitor, task);
    if (es.restoreBest !== undefined && typeof es.restoreBest !== 'boolean') throw invalidConfig('earlyStopping.restoreBest', 'expected true or false');
    config.earlyStopping = {
      monitor,
      patience: num(es, 'patience', 'earlyStopping', 3, 0, 1e6, true),
      minDelta: num(es, 'minDelta', 'earlyStopping', 0, 0, Number.MAX_VALUE),
      restoreBest: es.restoreBest !== false,
    };
  }
  return config;
}

function checkMetric(path: string, metric: string, task: Task): void {
  const known = task === 'classification' ? ['loss', 'accuracy'] : ['loss', 'mae', 'mse'];
  const base = metric.replace(/^val_/, '');
  if (!/^val_/.test(metric) && metric !== 'loss' && !known.includes(metric)) {
    throw invalidConfig(path, `unknown metric ${JSON.stringify(metric)}`);
  }
  if (!known.includes(base)) {
    throw invalidConfig(path, `${JSON.stringify(metric)} is not reported for ${task}; use one of ${known.flatMap((m) => [m, `val_${m}`]).join(', ')}`);
  }
}
