import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernels } from '../../../trainer/backend/wasm-kernels.js';
import { Rng } from '../../../trainer/rng.js';
import { maxRelativeError, onBackend } from './backend-compare.js';

function randomValues(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

describe('wasm kernels added or repaired for training', () => {
  before(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installWasmKernels();
  });

  // Every padding/stride the CNN family can build, with odd sizes so 'same' pads unevenly and
  // 'valid' leaves rows that no window covers.
  const cases = [
    { padding: 'same', strides: 1, kernel: 3 },
    { padding: 'same', strides: 2, kernel: 3 },
    { padding: 'valid', strides: 1, kernel: 3 },
    { padding: 'valid', strides: 2, kernel: 3 },
    { padding: 'same', strides: 3, kernel: 5 },
    { padding: 'valid', strides: 2, kernel: 1 },
    { padding: 'same', strides: 1, kernel: 4 },
    { padding: 'valid', strides: 3, kernel: 4 },
  ] as const;
  for (const { padding, strides, kernel } of cases) {
    it(`matches the cpu backend's conv2d gradients (padding ${padding}, stride ${strides}, kernel ${kernel})`, async () => {
      const xShape: [number, number, number, number] = [2, 9, 7, 3];
      const wShape: [number, number, number, number] = [kernel, kernel, 3, 4];
      const xv = randomValues(2 * 9 * 7 * 3, 1);
      const wv = randomValues(kernel * kernel * 3 * 4, 2);
      const grads = () => {
        const x = tf.tensor4d(xv, xShape);
        const w = tf.tensor4d(wv, wShape);
        // A non-uniform upstream gradient (sum of squares), so every output position matters.
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, padding)));
        return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([x, w]);
      };
      const [dxWasm, dwWasm] = (await onBackend('wasm', grads)) as [Float32Array, Float32Array];
      const [dxCpu, dwCpu] = (await onBackend('cpu', grads)) as [Float32Array, Float32Array];
      assert.ok(maxRelativeError(dwWasm, dwCpu) < 1e-5, `filter gradient differs by ${maxRelativeError(dwWasm, dwCpu)}`);
      assert.ok(maxRelativeError(dxWasm, dxCpu) < 1e-5, `input gradient differs by ${maxRelativeError(dxWasm, dxCpu)}`);
      await tf.setBackend('wasm');
    });
  }

  for (const { size, strides, padding } of [
    { size: 2, strides: 2, padding: 'valid' },
    { size: 3, strides: 2, padding: 'same' },
    { size: 2, strides: 1, padding: 'valid' },
  ] as const) {
    it(`matches the cpu backend's max-pool gradient, ties included (size ${size}, stride ${strides}, ${padding})`, async () => {
      // Values from a handful of levels, so many windows hold tied maxima: both backends must
      // give the gradient to the first one.
      const rng = new Rng(11);
      const xv = Float32Array.from({ length: 2 * 7 * 9 * 3 }, () => Math.floor(rng.next() * 4));
      const grads = () => {
        const x = tf.tensor4d(xv, [2, 7, 9, 3]);
        const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, strides, padding), tf.linspace(0.5, 2, 3)));
        return [tf.grad(f)(x)];
      };
      const [wasm] = (await onBackend('wasm', grads)) as [Float32Array];
      const [cpu] = (await onBackend('cpu', grads)) as [Float32Array];
      assert.deepEqual(Array.from(wasm), Array.from(cpu));
      await tf.setBackend('wasm');
    });
  }

  it('matches a central finite difference of the loss on the wasm backend itself', async () => {
    await tf.setBackend('wasm');
    const xv = randomValues(1 * 6 * 6 * 2, 3);
    const wv = randomValues(3 * 3 * 2 * 2, 4);
    const loss = (w: Float32Array) => tf.tidy(() => tf.sum(tf.square(tf.conv2d(tf.tensor4d(xv, [1, 6, 6, 2]), tf.tensor4d(w, [3, 3, 2, 2]), 2, 'same'))).dataSync()[0] as number);
    const analytic = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(tf.tensor4d(xv, [1, 6, 6, 2]), w as tf.Tensor4D, 2, 'same'))))(tf.tensor4d(wv, [3, 3, 2, 2])).dataSync() as Float32Array);
    const h = 1e-2; // float32: a larger step keeps rounding error below the curvature error (loss is quadratic, so central differences are exact up to rounding)
    for (const i of [0, 5, 17, 35]) {
      const plus = Float32Array.from(wv);
      const minus = Float32Array.from(wv);
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      const numeric = (loss(plus) - loss(minus)) / (2 * h);
      assert.ok(Math.abs(numeric - (analytic[i] as number)) < 1e-2 * Math.max(1, Math.abs(numeric)), `w[${i}]: numeric ${numeric}, analytic ${analytic[i]}`);
    }
  });

  it('gives the same products for every transpose combination as the cpu backend', async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = randomValues(5 * 7, 5);
      const b = randomValues(7 * 3, 6);
      const product = () => tf.matMul(tf.tensor2d(a, ta ? [7, 5] : [5, 7]), tf.tensor2d(b, tb ? [3, 7] : [7, 3]), ta, tb);
      const [wasm] = (await onBackend('wasm', product)) as [Float32Array];
      const [cpu] = (await onBackend('cpu', product)) as [Float32Array];
      assert.ok(maxRelativeError(wasm, cpu) < 1e-6, `transposeA=${ta} transposeB=${tb}`);
    }
    // Batched (rank 3) products transpose only the last two axes.
    const a = randomValues(2 * 4 * 3, 7);
    const b = randomValues(2 * 5 * 4, 8);
    const product = () => tf.matMul(tf.tensor3d(a, [2, 4, 3]), tf.tensor3d(b, [2, 5, 4]), true, true);
    const [wasm] = (await onBackend('wasm', product)) as [Float32Array];
    const [cpu] = (await onBackend('cpu', product)) as [Float32Array];
    assert.ok(maxRelativeError(wasm, cpu) < 1e-6);
    await tf.setBackend('wasm');
  });

  it('leaks no tensors through the added kernels', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 3, 5]) as tf.Tensor4D;
      tf.grads(((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))) as (...args: tf.Tensor[]) => tf.Tensor)([x, w]);
      tf.matMul(tf.ones([3, 4]), tf.ones([3, 4]), true, false);
    });
    assert.equal(tf.memory().numTensors, before);
  });
});
