/**
 * What `--dataset` may name: a shipped dataset (`iris`), a CSV file (`data.csv`, `data.csv.gz`,
 * with `--label`), or a directory holding MNIST-style IDX files under their usual names
 * (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-… for the test set).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { invalidConfig } from '../errors.js';

function findIdx(dir: string, stem: string): string | undefined {
  for (const name of [`${stem}`, `${stem}.gz`]) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

export function datasetOptions(value: string, label: string | undefined): unknown {
  if (/\.csv(\.gz)?$/i.test(value)) {
    if (label === undefined) throw invalidConfig('--label', `a CSV dataset needs --label <column>`);
    return { kind: 'csv', path: value, label };
  }
  if (existsSync(value) && statSync(value).isDirectory()) {
    const trainImages = findIdx(value, 'train-images-idx3-ubyte');
    const trainLabels = findIdx(value, 'train-labels-idx1-ubyte');
    if (trainImages === undefined || trainLabels === undefined) throw invalidConfig('--dataset', `${value} holds no train-images-idx3-ubyte / train-labels-idx1-ubyte files`);
    const testImages = findIdx(value, 't10k-images-idx3-ubyte');
    const testLabels = findIdx(value, 't10k-labels-idx1-ubyte');
    return { kind: 'idx', trainImages, trainLabels, ...(testImages && testLabels ? { testImages, testLabels } : {}) };
  }
  return value; // a shipped dataset's name; the config parser checks it
}
