/**
 * Softmax cross-entropy of a batch, its gradient and the number of correct predictions, in one
 * kernel on the wasm backend.
 *
 * Why: `tf.losses.softmaxCrossEntropy`, its gradient and the accuracy count (argMax, equal, cast,
 * sum) are about 40 small kernels per batch; for the benchmark MLP on the wasm backend they and
 * their dispatch were a tenth of an epoch. `KubetuneSoftmaxXent` does one pass over the logits
 * [batch × classes] (a few thousand values) and returns the mean loss, the loss summed over the
 * batch, the count of rows whose first largest logit is the first largest label (tfjs's argMax
 * rule) and the gradient of the mean loss, (softmax − labels) / batch — the gradient tfjs's own
 * softmaxCrossEntropy uses, which assumes each label row sums to 1.
 *
 * On other backends the same quantities come from the ordinary tf ops. Compared with those on the
 * cpu backend in test/unit/trainer/softmax-xent.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';

const KERNEL = 'KubetuneSoftmaxXent';

interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

type CustomGradFunc = Parameters<typeof tf.customGrad>[0];

let registered = false;

export function registerSoftmaxXentKernel(): void {
  if (registered || tf.getKernel(KERNEL, 'wasm') !== undefined) return;
  registered = true;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const heap = backend as unknown as HeapBackend;
      const { logits, labels } = inputs as Record<'logits' | 'labels', TensorInfo>;
      const [rows, classes] = logits.shape as [number, number];
      // Allocate every output before taking views: an allocation can grow (and detach) the heap.
      const outs = [heap.makeOutput([], 'float32'), heap.makeOutput([], 'float32'), heap.makeOutput([], 'float32'), heap.makeOutput([rows, classes], 'float32')] as const;
      const z = heap.typedArrayFromHeap(logits);
      const y = heap.typedArrayFromHeap(labels);
      const grad = heap.typedArrayFromHeap(outs[3]);
      let lossSum = 0;
      let correct = 0;
      for (let r = 0; r < rows; r++) {
        const base = r * classes;
        let max = z[base] as number;
        let best = 0;
        let label = 0;
        for (let c = 1; c < classes; c++) {
          const v = z[base + c] as number;
          if (v > max) {
            max = v;
            best = c;
          }
          if ((y[base + c] as number) > (y[base + label] as number)) label = c;
        }
        if (best === label) correct++;
        let sum = 0;
        for (let c = 0; c < classes; c++) {
          const e = Math.exp((z[base + c] as number) - max);
          grad[base + c] = e;
          sum += e;
        }
        const logSum = Math.log(sum);
        for (let c = 0; c < classes; c++) {
          const yc = y[base + c] as number;
          lossSum -= yc * ((z[base + c] as number) - max - logSum);
          grad[base + c] = ((grad[base + c] as number) / sum - yc) / rows;
        }
      }
      heap.typedArrayFromHeap(outs[0])[0] = lossSum / rows;
      heap.typedArrayFromHeap(outs[1])[0] = lossSum;
      heap.typedArrayFromHeap(outs[2])[0] = correct;
      return [...outs];
    },
  });
}

export interface SoftmaxXent {
  /** Mean softmax cross-entropy over the batch: differentiable in the logits. */
  loss: tf.Scalar;
  /** The same summed over the batch (not differentiable). */
  lossSum: tf.Scalar;
  /** Rows whose largest logit is at the largest label (float32 scalar, not differentiable). */
  correct: tf.Scalar;
}

/**
 * Loss, summed loss and correct count for one-hot (or probability) `labels` and `logits`
 * [batch × classes]. Call it inside the function given to `optimizer.minimize`; `lossSum` and
 * `correct` are kept (tf.keep) so they outlive that function's scope: dispose them.
 */
export function softmaxCrossEntropy(labels: tf.Tensor2D, logits: tf.Tensor2D): SoftmaxXent {
  if (tf.getBackend() === 'wasm' && logits.dtype === 'float32' && labels.dtype === 'float32') {
    registerSoftmaxXentKernel();
    let extra: [tf.Scalar, tf.Scalar] | undefined;
    const op = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
      const [loss, lossSum, correct, grad] = tf.engine().runKernel(KERNEL, { logits: z, labels }, {}) as unknown as [tf.Scalar, tf.Scalar, tf.Scalar, tf.Tensor];
      extra = [tf.keep(lossSum), tf.keep(correct)];
      save([grad]);
      return { value: loss, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0] as tf.Tensor, dy) };
    }) as unknown as CustomGradFunc);
    const loss = op(logits) as tf.Scalar;
    const [lossSum, correct] = extra as [tf.Scalar, tf.Scalar];
    return { loss, lossSum, correct };
  }
  const loss = tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  const lossSum = tf.keep(tf.mul(loss, logits.shape[0])) as tf.Scalar;
  const correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(labels, 1)), 'float32'))) as tf.Scalar;
  return { loss, lossSum, correct };
}
