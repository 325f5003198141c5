/**
 * The small datasets shipped in trainer/datasets/ (see its README for sources and licences), so
 * examples and tests run with no download. `dataset: iris` in a config is shorthand for the
 * CSV settings listed here.
 */
import { fileURLToPath } from 'node:url';
import type { DatasetConfig, Task } from '../config/trainer-config.js';

export interface BuiltinDataset {
  dataset: DatasetConfig & { kind: 'csv' };
  task: Task;
  description: string;
}

/** trainer/datasets/, found next to this module both in the sources and in dist/ (the image copies it). */
export function datasetsDir(): string {
  return fileURLToPath(new URL('../datasets/', import.meta.url));
}

export function builtinDataset(name: string): BuiltinDataset | undefined {
  const dir = datasetsDir();
  switch (name) {
    case 'iris':
      return { task: 'classification', description: 'Fisher iris: 150 flowers, 4 measurements, 3 species', dataset: { kind: 'csv', path: `${dir}iris.csv`, label: 'species' } };
    case 'wine':
      return { task: 'classification', description: 'UCI wine: 178 wines, 13 chemical measurements, 3 cultivars', dataset: { kind: 'csv', path: `${dir}wine.csv`, label: 'class' } };
    case 'digits':
      return {
        task: 'classification',
        description: 'UCI optical digits: 1797 images of 8x8 pixels (0-16), 10 classes',
        dataset: { kind: 'csv', path: `${dir}digits.csv.gz`, label: 'digit', imageShape: [8, 8, 1], scale: 1 / 16 },
      };
    case 'diabetes':
      return {
        task: 'regression',
        description: 'Efron et al. diabetes: 442 patients, 10 baseline variables, disease progression after one year',
        dataset: { kind: 'csv', path: `${dir}diabetes.csv`, label: 'progression', categorical: ['sex'] },
      };
    default:
      return undefined;
  }
}

export const BUILTIN_NAMES = ['iris', 'wine', 'digits', 'diabetes'] as const;
