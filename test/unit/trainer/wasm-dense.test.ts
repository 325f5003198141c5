/**
 * The first dense layer's wasm kernels (trainer/backend/wasm-gemm.ts, wasm-dense.ts) and the
 * fused softmax cross-entropy (trainer/train/softmax-xent.ts), checked against plain JavaScript
 * arithmetic and against the cpu backend's ops and gradients.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { denseOnWasm, denseOnWasmApplies } from '../../../trainer/backend/wasm-dense.js';
import type { GemmFn } from '../../../trainer/backend/wasm-gemm.js';
import { gemmModuleBytes, kernelsFor, relaxedSimd } from '../../../trainer/backend/wasm-gemm.js';
import { Rng } from '../../../trainer/rng.js';
import { maxRelativeError, onBackend } from './backend-compare.js';
import { softmaxCrossEntropy } from '../../../trainer/train/softmax-xent.js';

function randomValues(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

interface WasmApi {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

describe('wasm SIMD kernels of the first dense layer', () => {
  const memory = new wasmApi.Memory({ initial: 4 });
  const heap = () => new Float32Array(memory.buffer);
  // Both builds: multiply + add, and fused multiply-add (relaxed SIMD, turned on if needed).
  assert.ok(relaxedSimd(), 'relaxed SIMD is available (Node 20 with the flag set at run time, or newer)');
  const gemms = ([false, true] as const).map((fma) => [fma, new wasmApi.Instance(new wasmApi.Module(gemmModuleBytes(fma)), { env: { memory } }).exports.gemm as GemmFn] as const);

  // Shapes with a leftover row (odd m), strips of 16 and of 4 columns; A plain and transposed.
  for (const [fma, gemm] of gemms) for (const [m, k, n, transposed, bias, relu] of [
    [8, 5, 8, false, false, false],
    [7, 13, 16, false, true, true],
    [13, 9, 24, true, false, false],
    [5, 3, 8, true, true, false],
    [1, 1, 8, false, true, true],
    [9, 17, 36, false, true, false],
    [6, 4, 4, true, false, true],
  ] as const) {
    it(`gemm${fma ? ' (fused multiply-add)' : ''} ${m}×${k}·${k}×${n}${transposed ? ' (A read transposed)' : ''}${bias ? ' + bias' : ''}${relu ? ', ReLU' : ''} equals the textbook product`, () => {
      const [a, b, c, bi] = [0, m * k, m * k + k * n, m * k + k * n + m * n];
      const f = heap();
      f.set(randomValues(bi + n, m * 100 + k), 0);
      f.fill(Number.NaN, c, bi); // every output must be written
      gemm(a * 4, transposed ? 1 : k, transposed ? m : 1, b * 4, c * 4, m, k, n, bias ? bi * 4 : 0, relu ? 1 : 0);
      let worst = 0;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = bias ? (f[bi + j] as number) : 0;
          for (let p = 0; p < k; p++) s += (f[a + (transposed ? p * m + i : i * k + p)] as number) * (f[b + p * n + j] as number);
          if (relu) s = Math.max(s, 0);
          worst = Math.max(worst, Math.abs(s - (f[c + i * n + j] as number)));
        }
      }
      assert.ok(worst < 1e-5, `largest difference ${worst}`);
    });
  }

  it('reluBiasGrad masks by the activation and sums the rows', () => {
    const [rows, n] = [5, 12];
    const [dy, y, dz, db] = [0, rows * n, 2 * rows * n, 3 * rows * n];
    const f = heap();
    f.set(randomValues(rows * n, 1), dy);
    f.set(randomValues(rows * n, 2).map((v) => Math.max(v, 0)), y);
    f.fill(Number.NaN, dz, db + n);
    kernelsFor(memory).reluBiasGrad(dy * 4, y * 4, dz * 4, db * 4, rows * n * 4, n * 4, 1);
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) {
        const want = (f[y + r * n + j] as number) > 0 ? (f[dy + r * n + j] as number) : 0;
        assert.equal(f[dz + r * n + j], want);
        sum += want;
      }
      assert.ok(Math.abs(sum - (f[db + j] as number)) < 1e-6);
    }
  });
});

describe('denseOnWasm matches the cpu backend', () => {
  for (const [rows, inputs, units, useBias, relu] of [
    [37, 29, 24, true, true],
    [16, 30, 8, true, false],
    [9, 11, 16, false, true],
    [33, 20, 20, true, true],
  ] as const) {
    it(`${rows}×${inputs} → ${units} units${useBias ? ' with bias' : ''}${relu ? ', ReLU' : ''}: output and gradients of W and b`, async () => {
      const xv = randomValues(rows * inputs, 1);
      const wv = randomValues(inputs * units, 2);
      const bv = randomValues(units, 3);
      const weightsOfLoss = randomValues(rows * units, 4);
      const run = (fused: boolean) => () => {
        const x = tf.tensor2d(xv, [rows, inputs]);
        const w = tf.tensor2d(wv, [inputs, units]);
        const b = tf.tensor1d(bv);
        const r = tf.tensor2d(weightsOfLoss, [rows, units]);
        const forward = (wIn: tf.Tensor, bIn: tf.Tensor): tf.Tensor2D => {
          if (fused) {
            assert.ok(denseOnWasmApplies(x, wIn), 'the wasm kernels apply');
            return denseOnWasm(x, wIn as tf.Tensor2D, useBias ? (bIn as tf.Tensor1D) : undefined, relu) as tf.Tensor2D;
          }
          const z = useBias ? tf.add(tf.matMul(x, wIn as tf.Tensor2D), bIn) : tf.matMul(x, wIn as tf.Tensor2D);
          return (relu ? tf.relu(z) : z) as tf.Tensor2D;
        };
        const y = forward(w, b);
        // A loss that weighs every output differently, so every gradient entry matters.
        if (!useBias) return [y, tf.grad((wIn: tf.Tensor) => tf.sum(tf.mul(forward(wIn, b), r)))(w)];
        const [dw, db] = tf.grads((wIn: tf.Tensor, bIn: tf.Tensor) => tf.sum(tf.mul(forward(wIn, bIn), r)))([w, b]);
        return [y, dw as tf.Tensor, db as tf.Tensor];
      };
      const wasm = await onBackend('wasm', run(true));
      const cpu = await onBackend('cpu', run(false));
      assert.equal(wasm.length, cpu.length);
      for (let i = 0; i < cpu.length; i++) {
        const err = maxRelativeError(wasm[i] as Float32Array, cpu[i] as Float32Array);
        assert.ok(err < 1e-5, `output ${i}: relative error ${err}`);
      }
      if (relu) assert.ok((cpu[0] as Float32Array).some((v) => v === 0), 'some units are cut off by the ReLU');
    });
  }

  it('does not apply on the cpu backend, nor to a width that is not a multiple of 4', async () => {
    await tf.setBackend('cpu');
    assert.equal(denseOnWasmApplies(tf.zeros([2, 3]), tf.zeros([3, 8])), false);
    await tf.setBackend('wasm');
    assert.equal(denseOnWasmApplies(tf.zeros([2, 3]), tf.zeros([3, 12])), true);
    assert.equal(denseOnWasmApplies(tf.zeros([2, 3]), tf.zeros([3, 10])), false);
  });
});

describe('softmaxCrossEntropy on wasm matches tf.losses.softmaxCrossEntropy on cpu', () => {
  it('loss, summed loss, correct count and the gradient of the logits', async () => {
    const [rows, classes] = [19, 7];
    const logits = randomValues(rows * classes, 5).map((v) => v * 6);
    // Two rows with tied largest logits: the first one counts, as with tf.argMax.
    logits.set([2, 2, 1, 0, 0, 0, 0], 0);
    logits.set([1, 3, 3, 0, 0, 0, 0], classes);
    const labels = new Float32Array(rows * classes);
    const rng = new Rng(6);
    for (let r = 0; r < rows; r++) labels[r * classes + (r < 2 ? 1 : Math.floor(rng.next() * classes))] = 1;
    const run = (mine: boolean) => () => {
      const z = tf.tensor2d(logits, [rows, classes]);
      const y = tf.tensor2d(labels, [rows, classes]);
      if (!mine) {
        const loss = tf.losses.softmaxCrossEntropy(y, z);
        const grad = tf.grad((t: tf.Tensor) => tf.mul(tf.losses.softmaxCrossEntropy(y, t), 3))(z);
        const correct = tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), tf.argMax(y, 1)), 'float32'));
        return [loss, tf.mul(loss, rows), correct, grad];
      }
      const out = softmaxCrossEntropy(y, z);
      // A scaled upstream gradient, to see that dy is applied.
      const grad = tf.grad((t: tf.Tensor) => {
        const inner = softmaxCrossEntropy(y, t as tf.Tensor2D);
        tf.dispose([inner.lossSum, inner.correct]);
        return tf.mul(inner.loss, 3);
      })(z);
      return [out.loss, out.lossSum, out.correct, grad];
    };
    const wasm = await onBackend('wasm', run(true));
    const cpu = await onBackend('cpu', run(false));
    assert.ok(Math.abs((wasm[0]?.[0] as number) - (cpu[0]?.[0] as number)) < 1e-5, `loss ${wasm[0]?.[0]} vs ${cpu[0]?.[0]}`);
    assert.ok(Math.abs((wasm[1]?.[0] as number) - (cpu[1]?.[0] as number)) < 1e-4, `loss sum ${wasm[1]?.[0]} vs ${cpu[1]?.[0]}`);
    assert.equal(wasm[2]?.[0], cpu[2]?.[0]);
    assert.ok((cpu[2]?.[0] as number) > 0 && (cpu[2]?.[0] as number) < rows, 'some rows right, some wrong');
    const err = maxRelativeError(wasm[3] as Float32Array, cpu[3] as Float32Array);
    assert.ok(err < 1e-5, `gradient relative error ${err}`);
  });

  it('leaks no tensors in a training step', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.randomUniform([4, 3], -1, 1, 'float32', 1));
    const x = tf.randomUniform([6, 4], -1, 1, 'float32', 2);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3).toFloat();
    const opt = tf.train.sgd(0.1);
    const step = () => {
      const kept: tf.Tensor[] = [];
      opt.minimize(() => {
        const out = softmaxCrossEntropy(y as tf.Tensor2D, tf.matMul(x, w));
        kept.push(out.lossSum, out.correct);
        return out.loss;
      }, false, [w]);
      tf.dispose(kept);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([w, x, y]);
    opt.dispose();
  });
});
