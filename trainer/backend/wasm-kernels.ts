/**
 * Two repairs to the tfjs wasm backend (4.22) that training needs.
 *
 * 1. `Conv2DBackpropFilter` has no wasm kernel, so the gradient of a convolution's filter — and
 *    with it any CNN training — throws. We add one written with kernels wasm does have (pad,
 *    strided slices, concat, one matrix product): the im2col form of
 *      dW[kh, kw, ci, co] = Σ_{b, oh, ow} xPadded[b, oh·sh + kh, ow·sw + kw, ci] · dy[b, oh, ow, co].
 *    It covers NHWC, any stride and 'same'/'valid'/explicit padding, dilation 1: everything
 *    the CNN family (model/cnn.ts) can build. A test checks it against the cpu backend.
 *
 * 2. `BatchMatMul` runs XNNPACK's fast path only when neither operand is transposed; with a
 *    transpose flag it falls back to a naive loop about ten times slower (measured: 13–17 ms vs
 *    1–1.4 ms for 128×784·784×128). Every backward pass of a dense layer multiplies by a
 *    transpose (dX = dY·Wᵀ, dW = Xᵀ·dY), so in the profile of an MLP epoch this was 85% of the
 *    time. We transpose explicitly (wasm's Transpose kernel is fast) and call the original
 *    kernel untransposed. Same for `_FusedMatMul`.
 *
 * `installWasmKernels` must run after the wasm backend is registered and before training.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

const WASM = 'wasm';
let installed = false;

type Conv2DBackpropFilterAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/** dW of a 2-D convolution, from the input `x` and the output gradient `dy`. */
export function conv2dBackpropFilterIm2col(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm): only NHWC is supported, got ${attrs.dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const [kh, kw, cin, cout] = attrs.filterShape;
  const { top, bottom, left, right } = info.padInfo;
  const { outHeight, outWidth, strideHeight, strideWidth, batchSize } = info;
  return tf.tidy(() => {
    // Explicit padding can also crop (negative is not allowed by tfjs, but 'valid' with a
    // window that does not fit exactly just ignores the tail rows, which the slices below do).
    const padded = top + bottom + left + right > 0 ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const patches: tf.Tensor4D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        patches.push(
          tf.stridedSlice(
            padded,
            [0, i, j, 0],
            [batchSize, i + (outHeight - 1) * strideHeight + 1, j + (outWidth - 1) * strideWidth + 1, cin],
            [1, strideHeight, strideWidth, 1],
          ) as tf.Tensor4D,
        );
      }
    }
    // Column (i·kw + j)·cin + c of `cols` is input channel c seen through kernel tap (i, j),
    // which is exactly the row order of a [kh, kw, cin, cout] filter flattened to 2-D.
    const cols = tf.reshape(patches.length === 1 ? (patches[0] as tf.Tensor4D) : tf.concat(patches, 3), [batchSize * outHeight * outWidth, kh * kw * cin]);
    const grad = tf.matMul(cols, tf.reshape(dy, [batchSize * outHeight * outWidth, cout]), true, false);
    return tf.reshape(grad, [kh, kw, cin, cout]);
  });
}

/** Wraps a matmul kernel so transposes happen in a separate (fast) Transpose kernel. */
function untransposedMatMul(original: KernelConfig): KernelFunc {
  const transpose = tf.getKernel('Transpose', WASM);
  if (transpose === undefined) throw new Error('wasm backend has no Transpose kernel');
  return ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as NamedAttrMap & { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const temporaries: TensorInfo[] = [];
    const swapLastTwo = (t: TensorInfo): TensorInfo => {
      const rank = t.shape.length;
      const perm = Array.from({ length: rank }, (_, i) => i);
      perm[rank - 1] = rank - 2;
      perm[rank - 2] = rank - 1;
      const out = transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo;
      temporaries.push(out);
      return out;
    };
    const a = transposeA ? swapLastTwo(inputs.a as TensorInfo) : inputs.a;
    const b = transposeB ? swapLastTwo(inputs.b as TensorInfo) : inputs.b;
    try {
      return original.kernelFunc({ inputs: { ...inputs, a, b } as typeof inputs, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temporaries) (backend as { disposeData(id: unknown): void }).disposeData(t.dataId);
    }
  };
}

export function installWasmKernels(): void {
  if (installed) return;
  installed = true;
  if (tf.getKernel('Conv2DBackpropFilter', WASM) === undefined) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: WASM,
      kernelFunc: ({ inputs, attrs }) =>
        conv2dBackpropFilterIm2col(inputs.x as tf.Tensor4D, inputs.dy as tf.Tensor4D, attrs as unknown as Conv2DBackpropFilterAttrs),
    });
  }
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(name, WASM);
    if (original === undefined) continue;
    tf.unregisterKernel(name, WASM);
    tf.registerKernel({ ...original, kernelFunc: untransposedMatMul(original) });
  }
}
