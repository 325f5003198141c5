/** Running the same tensor computation on two tfjs backends and comparing the results. */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';

/** Runs `fn` on `backend` with fresh tensors made from the same values, returning plain arrays. */
export async function onBackend(backend: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  await tf.ready();
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return values;
}

/** Largest |a − b| relative to the largest |b| (so near-zero entries do not dominate). */
export function maxRelativeError(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / scale);
  return worst;
}
