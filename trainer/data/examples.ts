/**
 * The in-memory form every data source is turned into: features as one row-major Float32Array
 * (cheap to slice into batches without tensors) and targets as class indices or numbers.
 */

export interface Examples {
  /** n × prod(featureShape) values, row-major. */
  x: Float32Array;
  /** Class index (classification) or target value (regression), one per example. */
  y: Float32Array;
  n: number;
  /** Shape of one example: [features] for tables, [height, width, channels] for images. */
  featureShape: number[];
}

export function featureSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Copies the rows at `indices` into a new Examples. */
export function takeRows(data: Examples, indices: ArrayLike<number>): Examples {
  const size = featureSize(data.featureShape);
  const x = new Float32Array(indices.length * size);
  const y = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i] as number;
    x.set(data.x.subarray(row * size, (row + 1) * size), i * size);
    y[i] = data.y[row] as number;
  }
  return { x, y, n: indices.length, featureShape: [...data.featureShape] };
}
