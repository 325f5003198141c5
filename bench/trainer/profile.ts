/**
 * Where an MLP epoch's time goes on the wasm backend (a tool, not part of `npm run bench`):
 *
 *   node --import tsx bench/trainer/profile.ts [--epochs 2] [--limit 0] [--model mlp]
 *
 * Trains the benchmark's MLP (784-128-10, Adam, batch 128) on Fashion-MNIST with the trainer's
 * own loop, with every wasm kernel wrapped in a timer. Prints, for the last epoch, each kernel's
 * calls and CPU milliseconds (inclusive: a kernel that runs other kernels, such as our repairs,
 * includes them) and what is left of the epoch outside kernels (tfjs dispatch, tape, tensor
 * bookkeeping, our batching, GC). Run with `node --cpu-prof` for the JavaScript side.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/select.js';
import { resolveParams } from '../../trainer/config/params.js';
import { readIdxFile } from '../../trainer/data/idx.js';
import { buildModel } from '../../trainer/model/build.js';
import { EarlyStopping } from '../../trainer/train/early-stopping.js';
import { train } from '../../trainer/train/loop.js';

const DATA_DIR = '/usr/share/datasets/fashion-mnist';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] as string) : fallback;
}

const epochs = Number(flag('--epochs', '2'));
const limit = Number(flag('--limit', '0'));
const family = flag('--model', 'mlp') as 'mlp' | 'cnn';
const backend = await selectBackend(flag('--backend', 'wasm') as 'wasm');
console.error(`backend ${backend.detail}`);

const images = readIdxFile(join(DATA_DIR, 'train-images-idx3-ubyte.gz'));
const labels = readIdxFile(join(DATA_DIR, 'train-labels-idx1-ubyte.gz'));
const n = limit > 0 ? Math.min(limit, images.shape[0] as number) : (images.shape[0] as number);
const x = new Float32Array(n * 784);
for (let i = 0; i < x.length; i++) x[i] = (images.data[i] as number) / 255;
const y = Float32Array.from(labels.data.subarray(0, n));

// Wrap every kernel of the active backend: calls and inclusive milliseconds per kernel name.
const byShape = process.argv.includes('--by-shape');
// FusedAdam registers its kernel when first constructed: do it now so the wrapper sees it.
await import('../../trainer/train/fused-adam.js').then((m) => new m.FusedAdam(1e-3).dispose());
(await import('../../trainer/backend/wasm-dense.js')).registerWasmDenseKernels();
(await import('../../trainer/train/softmax-xent.js')).registerSoftmaxXentKernel();
// Process CPU time, not wall-clock: on a shared machine a kernel's wall time counts the time it
// waited for a core.
const clock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const stats = new Map<string, { calls: number; ms: number }>();
let depth = 0;
let outermostMs = 0;
for (const config of tf.getKernelsForBackend(tf.getBackend())) {
  const inner = config.kernelFunc;
  (config as { kernelFunc: typeof inner }).kernelFunc = (args) => {
    const start = clock();
    depth++;
    try {
      return inner(args);
    } finally {
      depth--;
      const ms = clock() - start;
      if (depth === 0) outermostMs += ms;
      const key = byShape ? `${config.kernelName} ${Object.values(args.inputs).filter((t) => t != null).map((t) => `[${(t as tf.TensorInfo).shape.join('x')}]`).join(' ')}${args.attrs?.transposeA ? ' tA' : ''}${args.attrs?.transposeB ? ' tB' : ''}` : config.kernelName;
      const s = stats.get(key) ?? { calls: 0, ms: 0 };
      s.calls++;
      s.ms += ms;
      stats.set(key, s);
    }
  };
}

const params = resolveParams(
  family === 'mlp' ? { input_units: 128, layers: 0 } : { conv_blocks: 2, filters: 32, kernel_size: 3, padding: 'same', pooling: 'max', pool_size: 2, dense_units: 128 },
  { optimizer: 'adam', learning_rate: 1e-3, epsilon: 1e-8, batch_size: 128, epochs },
);
const inputShape = family === 'mlp' ? [784] : [28, 28, 1];
const model = buildModel(family, inputShape, 10, params, 0);
let epochStart = { wall: 0, kernels: 0 };
const outcome = await train({
  model,
  params,
  task: 'classification',
  inputShape,
  outputs: 10,
  train: { x, y, n, featureShape: inputShape },
  seed: 0,
  tracker: new EarlyStopping({ monitor: 'loss', mode: 'min' }),
  stopEarly: false,
  cancelled: () => false,
  onEpoch(epoch, metrics, time) {
    const kernelMs = outermostMs - epochStart.kernels;
    console.error(`epoch ${epoch}: ${time.wallSeconds.toFixed(3)} s wall, ${time.cpuSeconds.toFixed(3)} s cpu, kernels ${(kernelMs / 1000).toFixed(3)} s, loss ${metrics.loss?.toFixed(4)} acc ${metrics.accuracy?.toFixed(4)}`);
    if (epoch < epochs) {
      stats.clear();
      epochStart = { wall: 0, kernels: outermostMs };
      return;
    }
    const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const batches = Math.ceil(n / params.batch_size);
    console.log(`last epoch: ${batches} batches, ${(time.cpuSeconds * 1000).toFixed(0)} ms cpu (${(time.wallSeconds * 1000).toFixed(0)} wall), ${kernelMs.toFixed(0)} ms cpu in kernels (outermost), ${(time.cpuSeconds * 1000 - kernelMs).toFixed(0)} ms outside kernels; load ${loadavg()[0]?.toFixed(1)}`);
    console.log('kernel'.padEnd(48) + 'calls'.padStart(8) + 'ms'.padStart(10) + 'us/call'.padStart(10));
    for (const [name, s] of rows) console.log(name.padEnd(48) + String(s.calls).padStart(8) + s.ms.toFixed(1).padStart(10) + ((s.ms * 1000) / s.calls).toFixed(1).padStart(10));
  },
});
console.error(`epochs run ${outcome.epochsRun}; tensors alive ${tf.memory().numTensors}`);
