/**
 * The first dense layer's forward and backward pass on the wasm backend, as three kernels over
 * the wasm heap (see wasm-gemm.ts for why):
 *
 * - `KubetuneDense`: y = x·W + b, with ReLU when asked, in one pass (product, bias, activation);
 * - `KubetuneReluBiasGrad`: dz = dy ⊙ [y > 0] (or dy itself without ReLU) and db = Σ_rows dz;
 * - `KubetuneMatMulTN`: dW = xᵀ·dz, reading x in place (no transpose).
 *
 * `denseOnWasm` wires them with `tf.customGrad` so the tape sees one op with gradients for W and
 * b only: the layer's input is data, and its gradient is never computed (what `InputDense` is
 * for). It answers undefined where the kernels do not apply (another backend, a width that is not
 * a multiple of 4), and the caller takes the ordinary tf path. Checked against the cpu backend in
 * test/unit/trainer/wasm-dense.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WasmMemory } from './wasm-gemm.js';
import { GEMM_COLUMN_MULTIPLE, gemmFor, kernelsFor } from './wasm-gemm.js';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { asm: { memory: WasmMemory } };
}

type CustomGradFunc = Parameters<typeof tf.customGrad>[0];

const DENSE = 'KubetuneDense';
const RELU_BIAS_GRAD = 'KubetuneReluBiasGrad';
const MATMUL_TN = 'KubetuneMatMulTN';

function offset(backend: WasmBackendLike, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error('wasm dense kernel: tensor data not on the wasm backend');
  return data.memoryOffset;
}

let registered = false;

/** Registers the three kernels for the wasm backend (needs no backend instance; idempotent). */
export function registerWasmDenseKernels(): void {
  if (registered || tf.getKernel(DENSE, 'wasm') !== undefined) return;
  registered = true;
  tf.registerKernel({
    kernelName: DENSE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wb = backend as unknown as WasmBackendLike;
      const { x, w, bias } = inputs as { x: TensorInfo; w: TensorInfo; bias?: TensorInfo };
      const relu = (attrs as unknown as { relu: boolean }).relu;
      const [m, k] = x.shape as [number, number];
      const n = w.shape[1] as number;
      const out = wb.makeOutput([m, n], 'float32');
      gemmFor(wb.wasm.asm.memory)(offset(wb, x), k, 1, offset(wb, w), offset(wb, out), m, k, n, bias ? offset(wb, bias) : 0, relu ? 1 : 0);
      return out;
    },
  });
  tf.registerKernel({
    kernelName: MATMUL_TN,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      // out[K×N] = aᵀ·b for a [M×K], b [M×N]: A(i, k) = a[k·K + i].
      const wb = backend as unknown as WasmBackendLike;
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      const [rows, k] = a.shape as [number, number];
      const n = b.shape[1] as number;
      const out = wb.makeOutput([k, n], 'float32');
      gemmFor(wb.wasm.asm.memory)(offset(wb, a), 1, k, offset(wb, b), offset(wb, out), k, rows, n, 0, 0);
      return out;
    },
  });
  tf.registerKernel({
    kernelName: RELU_BIAS_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wb = backend as unknown as WasmBackendLike;
      const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
      const relu = (attrs as unknown as { relu: boolean }).relu;
      const [m, n] = dy.shape as [number, number];
      // Allocate every output before taking views: an allocation can grow (and detach) the heap.
      const dzOut = wb.makeOutput([m, n], 'float32');
      const dbOut = wb.makeOutput([n], 'float32');
      kernelsFor(wb.wasm.asm.memory).reluBiasGrad(offset(wb, dy), offset(wb, y), offset(wb, dzOut), offset(wb, dbOut), m * n * 4, n * 4, relu ? 1 : 0);
      return [dzOut, dbOut];
    },
  });
}

/** Whether the wasm kernels take a product of x [m×k] with W [k×n] on the current backend. */
export function denseOnWasmApplies(x: tf.Tensor, w: tf.Tensor): boolean {
  return tf.getBackend() === 'wasm' && x.rank === 2 && w.rank === 2 && x.dtype === 'float32' && w.dtype === 'float32' && (w.shape[1] as number) % GEMM_COLUMN_MULTIPLE === 0 && x.shape[1] === w.shape[0];
}

/**
 * x·W + b (then ReLU when `relu`), differentiable in W and b only; undefined when the wasm
 * kernels do not apply.
 */
export function denseOnWasm(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D | undefined, relu: boolean): tf.Tensor2D | undefined {
  if (!denseOnWasmApplies(x, w)) return undefined;
  registerWasmDenseKernels();
  const engine = tf.engine();
  const backward = (dy: tf.Tensor, y: tf.Tensor): [tf.Tensor, tf.Tensor] => {
    const [dz, db] = engine.runKernel(RELU_BIAS_GRAD, { dy, y }, { relu }) as unknown as [tf.Tensor, tf.Tensor];
    const dw = engine.runKernel(MATMUL_TN, { a: x, b: dz }, {}) as tf.Tensor;
    dz.dispose();
    return [dw, db];
  };
  if (bias !== undefined) {
    const op = tf.customGrad(((wIn: tf.Tensor, bIn: tf.Tensor, save: tf.GradSaveFunc) => {
      const y = engine.runKernel(DENSE, { x, w: wIn, bias: bIn }, { relu }) as tf.Tensor2D;
      save([y]);
      return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy, saved[0] as tf.Tensor) };
    }) as unknown as CustomGradFunc);
    return op(w, bias) as tf.Tensor2D;
  }
  const op = tf.customGrad(((wIn: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = engine.runKernel(DENSE, { x, w: wIn }, { relu }) as tf.Tensor2D;
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [dw, db] = backward(dy, saved[0] as tf.Tensor);
        db.dispose();
        return [dw];
      },
    };
  }) as unknown as CustomGradFunc);
  return op(w) as tf.Tensor2D;
}
