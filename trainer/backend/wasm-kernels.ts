/**
 * Repairs to the tfjs wasm backend (4.22) that training needs. Found by timing every wasm kernel
 * during an epoch (see docs/trainer.md, "Where the time goes"), each checked against the cpu
 * backend in test/unit/trainer/wasm-kernels.test.ts.
 *
 * 1. `Conv2DBackpropFilter` has no wasm kernel, so the gradient of a convolution's filter — and
 *    with it any CNN training — throws. We add one that is itself a convolution, which wasm runs
 *    through XNNPACK: with the batch and channel axes swapped, the filter gradient
 *      dW[kh, kw, ci, co] = Σ_{b, oh, ow} xPadded[b, oh·sh + kh, ow·sw + kw, ci] · dy[b, oh, ow, co]
 *    is a 'valid' convolution of xPadded (as [ci, h, w, b]) with dy (as [oh, ow, b, co]) whose
 *    dilation is the forward stride. (A first version built im2col columns from strided slices;
 *    wasm's StridedSlice and Concat made it 4–5× slower.)
 *
 * 2. `Conv2DBackpropInput` exists but is a naive loop, 10× slower than a forward convolution
 *    of the same size (194 ms vs 18 ms CPU for a 128×14×14×32 batch). The input gradient is a
 *    forward convolution of dy — dilated by the stride — with the filter flipped spatially and
 *    its channel axes swapped, padded by (kernel − 1 − forward padding) on the leading sides.
 *
 * 3. `BatchMatMul` runs XNNPACK's fast path only when neither operand is transposed; with a
 *    transpose flag it falls back to a naive loop about ten times slower (measured: 13–17 ms vs
 *    1–1.4 ms for 128×784·784×128). Every backward pass of a dense layer multiplies by a
 *    transpose (dX = dY·Wᵀ, dW = Xᵀ·dY), so in the profile of an MLP epoch this was 85% of the
 *    time. We transpose explicitly (wasm's Transpose kernel is fast) and call the original
 *    kernel untransposed. Same for `_FusedMatMul`.
 *
 * 4. `MaxPoolGrad` is replaced by a loop over the wasm heap (wasm-maxpool-grad.ts).
 *
 * All cover NHWC, dilation 1, any stride and 'same'/'valid'/explicit padding whose sides are
 * smaller than the kernel: everything the CNN family (model/cnn.ts) can build.
 * `installWasmKernels` must run after the wasm backend is registered and before training.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { maxPoolGradKernel } from './wasm-maxpool-grad.js';
import type { WasmMemory } from './wasm-gemm.js';
import { gemmFor } from './wasm-gemm.js';

const WASM = 'wasm';
let installed = false;

type Padding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: Padding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function convInfo(xShape: number[], filterShape: number[], attrs: ConvGradAttrs, kernel: string): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== 'NHWC') throw new Error(`${kernel} (wasm): only NHWC is supported, got ${attrs.dataFormat}`);
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** dW of a 2-D convolution, from the input `x` and the output gradient `dy`. */
export function conv2dBackpropFilterViaConv(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: ConvGradAttrs & { filterShape: [number, number, number, number] }): tf.Tensor4D {
  const info = convInfo(x.shape, attrs.filterShape, attrs, 'Conv2DBackpropFilter');
  const [kh, kw] = attrs.filterShape;
  const { top, left } = info.padInfo;
  const { outHeight, outWidth, strideHeight, strideWidth, inHeight, inWidth } = info;
  return tf.tidy(() => {
    // Exactly the rows and columns the windows touch: leading padding, then the input (cropped
    // when 'valid' leaves a tail no window covers), then trailing padding.
    const rows = (outHeight - 1) * strideHeight + kh;
    const cols = (outWidth - 1) * strideWidth + kw;
    const bottom = Math.max(0, rows - top - inHeight);
    const right = Math.max(0, cols - left - inWidth);
    let padded: tf.Tensor4D = top + bottom + left + right > 0 ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    if (padded.shape[1] !== rows || padded.shape[2] !== cols) padded = tf.slice(padded, [0, 0, 0, 0], [-1, rows, cols, -1]);
    const channelsAsBatch = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D; // [ci, rows, cols, b]
    const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [oh, ow, b, co]
    const grad = tf.conv2d(channelsAsBatch, dyAsFilter, 1, 'valid', 'NHWC', [strideHeight, strideWidth]); // [ci, kh, kw, co]
    return tf.transpose(grad, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { asm: { memory: WasmMemory } };
}

/** Largest kh·kw·inC for which the filter gradient goes through im2col (first layers: 1–3 channels). */
const IM2COL_MAX_PATCH = 32;

/**
 * dW of a 2-D convolution with few input channels (kh·kw·inC ≤ 32, output channels a multiple of
 * 4) as im2col and one matrix product on the wasm heap: patches [positions × kh·kw·inC], then
 * dW = patchesᵀ·dy with our SIMD GEMM (wasm-gemm.ts), which reads patchesᵀ in place. For a
 * 1-channel 28×28 input, batch 128, 32 filters of 3×3, the convolution trick above ran at
 * ≈ 2 GFLOP/s (30 ms): the "filter" is the 28×28 image and the "channels" the batch, a shape
 * XNNPACK handles poorly. Undefined when it does not apply.
 */
function conv2dBackpropFilterIm2col(x: TensorInfo, dy: TensorInfo, attrs: ConvGradAttrs & { filterShape: [number, number, number, number] }, backend: HeapBackend): TensorInfo | undefined {
  const [kh, kw, inC, outC] = attrs.filterShape;
  const patch = kh * kw * inC;
  if (patch > IM2COL_MAX_PATCH || outC % 4 !== 0 || x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  const info = convInfo(x.shape, attrs.filterShape, attrs, 'Conv2DBackpropFilter');
  const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const positions = batchSize * outHeight * outWidth;
  // Allocate before taking views: an allocation can grow (and detach) the heap.
  const patches = backend.makeOutput([positions, patch], 'float32');
  const out = backend.makeOutput([kh, kw, inC, outC], 'float32');
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(patches);
  let row = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, row += patch) {
        for (let r = 0; r < kh; r++) {
          const ih = oh * strideHeight - top + r;
          for (let c = 0; c < kw; c++) {
            const iw = ow * strideWidth - left + c;
            const at = row + (r * kw + c) * inC;
            if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) {
              for (let ch = 0; ch < inC; ch++) dst[at + ch] = 0;
            } else {
              const from = ((b * inHeight + ih) * inWidth + iw) * inC;
              for (let ch = 0; ch < inC; ch++) dst[at + ch] = src[from + ch] as number;
            }
          }
        }
      }
    }
  }
  const offset = (t: TensorInfo) => (backend.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset;
  // out[patch × outC] = patchesᵀ·dy: A(i, k) = patches[k·patch + i].
  gemmFor(backend.wasm.asm.memory)(offset(patches), 1, patch, offset(dy), offset(out), patch, positions, outC, 0, 0);
  backend.disposeData(patches.dataId);
  return out;
}

/** dX of a 2-D convolution, from the output gradient `dy` and the filter `w`. */
export function conv2dBackpropInputViaConv(dy: tf.Tensor4D, w: tf.Tensor4D, attrs: ConvGradAttrs & { inputShape: [number, number, number, number] }): tf.Tensor4D {
  const info = convInfo(attrs.inputShape, w.shape, attrs, 'Conv2DBackpropInput');
  const [kh, kw] = w.shape;
  const { top, left } = info.padInfo;
  const { outHeight, outWidth, strideHeight: sh, strideWidth: sw, inHeight, inWidth, batchSize, outChannels } = info;
  return tf.tidy(() => {
    let spread: tf.Tensor4D = dy;
    if (sh > 1 || sw > 1) {
      // Put (stride − 1) zeros between neighbouring gradients: reshape, pad the new axes, crop.
      const holes = tf.pad(tf.reshape(dy, [batchSize, outHeight, 1, outWidth, 1, outChannels]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
      spread = tf.slice(tf.reshape(holes, [batchSize, outHeight * sh, outWidth * sw, outChannels]), [0, 0, 0, 0], [-1, (outHeight - 1) * sh + 1, (outWidth - 1) * sw + 1, -1]) as tf.Tensor4D;
    }
    const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const padTop = kh - 1 - top;
    const padLeft = kw - 1 - left;
    const padBottom = inHeight + kh - 1 - spread.shape[1] - padTop;
    const padRight = inWidth + kw - 1 - spread.shape[2] - padLeft;
    if (Math.min(padTop, padLeft, padBottom, padRight) < 0) throw new Error('Conv2DBackpropInput (wasm): padding larger than the kernel is not supported');
    return tf.conv2d(spread, flipped, 1, [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]]);
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
      kernelFunc: ({ inputs, attrs, backend }) => {
        const a = attrs as unknown as ConvGradAttrs & { filterShape: [number, number, number, number] };
        return (
          conv2dBackpropFilterIm2col(inputs.x as TensorInfo, inputs.dy as TensorInfo, a, backend as unknown as HeapBackend) ??
          conv2dBackpropFilterViaConv(inputs.x as tf.Tensor4D, inputs.dy as tf.Tensor4D, a)
        );
      },
    });
  }
  if (tf.getKernel('Conv2DBackpropInput', WASM) !== undefined) tf.unregisterKernel('Conv2DBackpropInput', WASM);
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: WASM,
    kernelFunc: ({ inputs, attrs }) =>
      conv2dBackpropInputViaConv(inputs.dy as tf.Tensor4D, inputs.filter as tf.Tensor4D, attrs as unknown as ConvGradAttrs & { inputShape: [number, number, number, number] }),
  });
  if (tf.getKernel('MaxPoolGrad', WASM) !== undefined) tf.unregisterKernel('MaxPoolGrad', WASM);
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: WASM, kernelFunc: maxPoolGradKernel });
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(name, WASM);
    if (original === undefined) continue;
    tf.unregisterKernel(name, WASM);
    tf.registerKernel({ ...original, kernelFunc: untransposedMatMul(original) });
  }
}
