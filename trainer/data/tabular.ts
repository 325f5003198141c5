/**
 * Turning table columns into model inputs: numeric columns are standardised (z-score) and
 * categorical ones one-hot encoded, with every statistic fitted on the training rows only so no
 * validation or test information leaks into training. The fitted `Preprocessor` is plain JSON and
 * is saved with the model, so the same transform can be applied when the model is reused.
 */
import { datasetError } from '../errors.js';

export type ColumnTransform =
  | { name: string; kind: 'numeric'; mean: number; std: number }
  /** `scale` replaces standardisation when the config asks for a fixed factor (pixels). */
  | { name: string; kind: 'scaled'; factor: number }
  | { name: string; kind: 'categorical'; categories: string[] };

export interface Preprocessor {
  columns: ColumnTransform[];
  /** Width of one transformed row. */
  width: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isNumeric(values: readonly string[]): boolean {
  return values.every((v) => v === '' || NUMBER.test(v)) && values.some((v) => v !== '');
}

export interface FitOptions {
  categorical?: readonly string[];
  scale?: number;
}

/** Fits one transform per column on `trainRows` (row indices into `columns`' values). */
export function fitPreprocessor(
  columns: ReadonlyArray<{ name: string; values: readonly string[] }>,
  trainRows: ArrayLike<number>,
  options: FitOptions = {},
): Preprocessor {
  const transforms: ColumnTransform[] = columns.map(({ name, values }) => {
    const forcedCategorical = options.categorical?.includes(name) ?? false;
    if (!forcedCategorical && isNumeric(values)) {
      if (options.scale !== undefined) return { name, kind: 'scaled', factor: options.scale };
      let sum = 0;
      let count = 0;
      for (let i = 0; i < trainRows.length; i++) {
        const v = values[trainRows[i] as number] as string;
        if (v !== '') (sum += Number(v)), count++;
      }
      const mean = count > 0 ? sum / count : 0;
      let sq = 0;
      for (let i = 0; i < trainRows.length; i++) {
        const v = values[trainRows[i] as number] as string;
        if (v !== '') sq += (Number(v) - mean) ** 2;
      }
      const std = count > 0 ? Math.sqrt(sq / count) : 0;
      // A constant column carries no information; dividing by 1 keeps it at zero instead of NaN.
      return { name, kind: 'numeric', mean, std: std > 0 ? std : 1 };
    }
    const seen = new Set<string>();
    for (let i = 0; i < trainRows.length; i++) seen.add(values[trainRows[i] as number] as string);
    return { name, kind: 'categorical', categories: [...seen].sort() };
  });
  const width = transforms.reduce((w, t) => w + (t.kind === 'categorical' ? t.categories.length : 1), 0);
  if (width === 0) throw datasetError('the chosen feature columns give no input values');
  return { columns: transforms, width };
}

/**
 * Writes row `row` of `columns` into `out` at `offset`. A missing numeric value becomes the
 * training mean (0 after standardisation); a category unseen in training becomes all zeros.
 */
export function transformRow(pre: Preprocessor, columns: ReadonlyArray<{ values: readonly string[] }>, row: number, out: Float32Array, offset: number): void {
  let at = offset;
  pre.columns.forEach((t, c) => {
    const raw = (columns[c] as { values: readonly string[] }).values[row] as string;
    if (t.kind === 'categorical') {
      const k = t.categories.indexOf(raw);
      for (let j = 0; j < t.categories.length; j++) out[at + j] = j === k ? 1 : 0;
      at += t.categories.length;
      return;
    }
    if (raw !== '' && !NUMBER.test(raw)) throw datasetError(`column ${JSON.stringify(t.name)} row ${row + 1}: ${JSON.stringify(raw)} is not a number`);
    out[at++] = raw === '' ? 0 : t.kind === 'scaled' ? Number(raw) * t.factor : (Number(raw) - t.mean) / t.std;
  });
}

/** Regression targets are standardised for training; metrics are reported in the original units. */
export interface TargetScaler {
  mean: number;
  std: number;
}
