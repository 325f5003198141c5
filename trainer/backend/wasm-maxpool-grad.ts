/**
 * MaxPoolGrad for the wasm backend as one JavaScript loop over the wasm heap.
 *
 * Why: after the convolution gradients were moved onto XNNPACK (wasm-kernels.ts), wasm's own
 * MaxPoolGrad was the largest single cost of a CNN step (about a quarter of the CPU time of the
 * bench CNN). Each pooling window is scanned once, channels innermost (contiguous in NHWC), and
 * its gradient goes to the window's first maximum — the same rule as tfjs's cpu backend, so the
 * results match it exactly (test/unit/trainer/wasm-kernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';

interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export const maxPoolGradKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const heap = backend as unknown as HeapBackend;
  const { dy, input } = inputs as Record<'dy' | 'input', TensorInfo>;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  // Allocate before taking views: growing the wasm memory detaches earlier views.
  const out = heap.makeOutput([...input.shape], 'float32');
  const x = heap.typedArrayFromHeap(input);
  const g = heap.typedArrayFromHeap(dy);
  const dx = heap.typedArrayFromHeap(out);
  dx.fill(0);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let fh = 0; fh < filterHeight; fh++) {
          const h = h0 + fh;
          if (h < 0 || h >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const w = w0 + fw;
            if (w < 0 || w >= inWidth) continue;
            const base = ((b * inHeight + h) * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[base + c] as number;
              if (v > (best[c] as number)) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const gBase = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          const at = where[c] as number;
          if (at >= 0) dx[at] = (dx[at] as number) + (g[gBase + c] as number);
        }
      }
    }
  }
  return out;
};
