/**
 * Loads a dataset from its config into a `Source`: the examples' labels and a `build` function
 * that materialises any set of rows, with the feature transforms fitted on the rows it is told
 * are for training. Keeping fitting behind `build` is what lets k-fold refit the scalers per fold.
 */
import type { DatasetConfig, Task } from '../config/trainer-config.js';
import { datasetError, invalidParameter } from '../errors.js';
import { readCsvFile } from './csv.js';
import type { Examples } from './examples.js';
import { takeRows } from './examples.js';
import { readIdxFile } from './idx.js';
import type { Preprocessor } from './tabular.js';
import { fitPreprocessor, isNumeric, transformRow } from './tabular.js';

export interface Source {
  /** Examples available for train/validation (and the test split when there is no official test set). */
  n: number;
  /** Class names by index (classification only). */
  classes?: string[];
  /** Materialises row sets; the preprocessor (CSV only) is fitted on `fitRows`. */
  build(fitRows: Int32Array, sets: Int32Array[]): { sets: Examples[]; preprocessor?: Preprocessor };
  /** The official test set (IDX), already materialised. */
  officialTest?: Examples;
  /** Feature column names actually used (CSV only). */
  featureColumns?: string[];
}

export interface LoadOptions {
  task: Task;
  /** The `features` parameter: a subset of the configured feature columns. */
  featureSubset: readonly string[] | null;
  /** Read at most this many examples from each file (0 = all). */
  limit: number;
}

export function loadSource(config: DatasetConfig, options: LoadOptions): Source {
  return config.kind === 'csv' ? loadCsv(config, options) : loadIdx(config, options);
}

function classIndex(values: readonly string[]): { classes: string[]; y: Float32Array } {
  const unique = [...new Set(values)];
  // Numeric labels sort as numbers ("2" before "10"); others alphabetically.
  if (isNumeric(unique)) unique.sort((a, b) => Number(a) - Number(b));
  else unique.sort();
  const index = new Map(unique.map((c, i) => [c, i]));
  return { classes: unique, y: Float32Array.from(values, (v) => index.get(v) as number) };
}

function loadCsv(config: DatasetConfig & { kind: 'csv' }, options: LoadOptions): Source {
  const table = readCsvFile(config.path);
  const rows = options.limit > 0 ? table.rows.slice(0, options.limit) : table.rows;
  const labelAt = table.header.indexOf(config.label);
  if (labelAt < 0) throw datasetError(`label column ${JSON.stringify(config.label)} is not in ${config.path} (columns: ${table.header.join(', ')})`);
  const configured = config.features ?? table.header.filter((c) => c !== config.label);
  for (const c of configured) {
    if (!table.header.includes(c)) throw datasetError(`feature column ${JSON.stringify(c)} is not in ${config.path}`);
    if (c === config.label) throw datasetError(`the label column ${JSON.stringify(c)} cannot also be a feature`);
  }
  let used = configured;
  if (options.featureSubset !== null) {
    for (const c of options.featureSubset) {
      if (!configured.includes(c)) throw invalidParameter('features', `${JSON.stringify(c)} is not one of the feature columns (${configured.join(', ')})`);
    }
    used = configured.filter((c) => options.featureSubset?.includes(c));
  }
  const columns = used.map((name) => {
    const at = table.header.indexOf(name);
    return { name, values: rows.map((r) => r[at] as string) };
  });
  const labels = rows.map((r) => r[labelAt] as string);
  let classes: string[] | undefined;
  let y: Float32Array;
  if (options.task === 'classification') {
    ({ classes, y } = classIndex(labels));
    if (classes.length < 2) throw datasetError(`label column ${JSON.stringify(config.label)} has only one class`);
  } else {
    const bad = labels.findIndex((v) => v === '' || !isNumeric([v]));
    if (bad >= 0) throw datasetError(`regression label ${JSON.stringify(config.label)} row ${bad + 2}: ${JSON.stringify(labels[bad])} is not a number`);
    y = Float32Array.from(labels, Number);
  }
  const build = (fitRows: Int32Array, sets: Int32Array[]) => {
    const pre = fitPreprocessor(columns, fitRows, {
      ...(config.categorical ? { categorical: config.categorical } : {}),
      ...(config.scale !== undefined ? { scale: config.scale } : {}),
    });
    const shape = config.imageShape ?? [pre.width];
    if (shape.reduce((a, b) => a * b, 1) !== pre.width) {
      throw datasetError(`imageShape ${JSON.stringify(config.imageShape)} needs ${shape.reduce((a, b) => a * b, 1)} values per row, the features give ${pre.width}`);
    }
    const built = sets.map((indices) => {
      const x = new Float32Array(indices.length * pre.width);
      const ys = new Float32Array(indices.length);
      for (let i = 0; i < indices.length; i++) {
        transformRow(pre, columns, indices[i] as number, x, i * pre.width);
        ys[i] = y[indices[i] as number] as number;
      }
      return { x, y: ys, n: indices.length, featureShape: [...shape] };
    });
    return { sets: built, preprocessor: pre };
  };
  return { n: rows.length, ...(classes ? { classes } : {}), build, featureColumns: used };
}

function readImagesAndLabels(imagesPath: string, labelsPath: string, limit: number): Examples {
  const images = readIdxFile(imagesPath);
  const labels = readIdxFile(labelsPath);
  if (images.shape.length !== 3) throw datasetError(`${imagesPath}: expected images of shape [n, rows, cols], got [${images.shape.join(', ')}]`);
  if (labels.shape.length !== 1) throw datasetError(`${labelsPath}: expected a vector of labels`);
  const [count, h, w] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) throw datasetError(`${imagesPath} holds ${count} images but ${labelsPath} ${labels.shape[0]} labels`);
  const n = limit > 0 ? Math.min(limit, count) : count;
  const x = new Float32Array(n * h * w);
  // Pixels 0..255 → 0..1, as every MNIST tutorial does; no fitted statistics needed.
  for (let i = 0; i < x.length; i++) x[i] = (images.data[i] as number) / 255;
  return { x, y: Float32Array.from(labels.data.subarray(0, n)), n, featureShape: [h, w, 1] };
}

function loadIdx(config: DatasetConfig & { kind: 'idx' }, options: LoadOptions): Source {
  if (options.task !== 'classification') throw datasetError('IDX datasets are image classification data; set task: classification');
  if (options.featureSubset !== null) throw invalidParameter('features', 'feature subsets apply to CSV data only');
  const train = readImagesAndLabels(config.trainImages, config.trainLabels, options.limit);
  const test = config.testImages && config.testLabels ? readImagesAndLabels(config.testImages, config.testLabels, options.limit) : undefined;
  let maxLabel = 0;
  for (const v of train.y) maxLabel = Math.max(maxLabel, v);
  const classes = Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  if (test) for (const v of test.y) if (v > maxLabel) throw datasetError(`test label ${v} does not occur in the training labels`);
  return {
    n: train.n,
    classes,
    build: (_fit, sets) => ({ sets: sets.map((rows) => takeRows(train, rows)) }),
    ...(test ? { officialTest: test } : {}),
  };
}
