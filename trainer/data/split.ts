/**
 * Seeded splits: train/validation/test and k-fold. Both start from one permutation drawn from
 * `(seed, "split")`, so the same seed gives the same split whatever the parameters are — trials
 * of a study are compared on the same held-out examples.
 */
import { Rng } from '../rng.js';

export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/** Splits 0..n-1; fractions are of n, rounded down, and at least one example stays for training. */
export function splitIndices(n: number, validationFraction: number, testFraction: number, seed: number): SplitIndices {
  const perm = Rng.derive(seed, 'split').permutation(n);
  const nTest = Math.floor(n * testFraction);
  const nVal = Math.floor(n * validationFraction);
  if (n - nTest - nVal < 1) throw new RangeError(`${n} examples leave none to train on`);
  return {
    test: perm.slice(0, nTest),
    validation: perm.slice(nTest, nTest + nVal),
    train: perm.slice(nTest + nVal),
  };
}

export interface Fold {
  train: Int32Array;
  validation: Int32Array;
}

/**
 * k folds over `indices` (already shuffled by splitIndices): fold i validates on every k-th
 * example starting at i, which keeps fold sizes within one of each other.
 */
export function kFolds(indices: Int32Array, k: number): Fold[] {
  if (k < 2 || k > indices.length) throw new RangeError(`cannot make ${k} folds of ${indices.length} examples`);
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const validation: number[] = [];
    const train: number[] = [];
    indices.forEach((row, j) => (j % k === f ? validation : train).push(row));
    folds.push({ train: Int32Array.from(train), validation: Int32Array.from(validation) });
  }
  return folds;
}
