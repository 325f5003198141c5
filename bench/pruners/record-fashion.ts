/**
 * Records the `fashion` family of the pruners benchmark: real learning curves of our own trainer
 * on Fashion-MNIST, once, into bench/pruners/fashion-curves.json (committed), which both sides of
 * the benchmark replay (bench/pruners/fashion.ts, fashion.py) as a tabular surrogate, as HPOBench
 * and LCBench do.
 *
 *     node --import tsx bench/pruners/record-fashion.ts [--configs 300] [--seed 0] [--fresh]
 *     node --import tsx bench/pruners/record-fashion.ts --check 2     # record 2 configs twice, compare
 *     node --import tsx bench/pruners/record-fashion.ts --only 0,2,5  # time these configs, write nothing
 *
 * Data: the first 8,000 images of Debian's Fashion-MNIST training file (never the test set),
 * read with the trainer's own IDX loader (trainer/data/source.ts): images 0–5,999 train, images
 * 6,000–7,999 validate. Configurations: `--configs` points of the search space of the synthetic
 * families (`CURVE_PARAMETERS` in curves.ts), Owen-scrambled Sobol points (seed `--seed`) decoded
 * by the operator's `UnitCube` — point i does not depend on how many are drawn, so a shorter
 * table is a prefix of a longer one. Each is trained in-process with the trainer's loop
 * (trainer/train/loop.ts `train`, the wasm backend the trainer picks by default here, one thread)
 * as an MLP with one hidden ReLU layer: `input_units` = width, `layers` 0, `dropout`,
 * `learning_rate` = lr, `optimizer`, batch size 128, 27 epochs, trainer seed = the config's index.
 * After every epoch the validation cross-entropy (the objective) and accuracy are recorded.
 * A run whose loss becomes NaN or infinite stops there (the trainer's rule); its remaining epochs
 * are recorded as `null` and `divergedAt` names the first of them — the replay turns them into a
 * large finite loss (see fashion.ts), never drops the configuration.
 *
 * Resumable: each finished configuration is appended as one JSON line to
 * bench/.cache/fashion-curves.partial.jsonl (with a header line holding the settings); a rerun
 * with the same settings skips what is there. The table is written when all `--configs` are
 * recorded. Deterministic: the same seed gives the same table (`--check` verifies it).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { sobolPoint } from '../../operator/samplers/sobol.js';
import { SearchSpace } from '../../operator/space/space.js';
import type { Params } from '../../operator/space/types.js';
import { UnitCube } from '../../operator/space/unit-cube.js';
import { selectBackend } from '../../trainer/backend/select.js';
import { resolveParams } from '../../trainer/config/params.js';
import type { Examples } from '../../trainer/data/examples.js';
import { loadSource } from '../../trainer/data/source.js';
import { buildModel, modelInputShape } from '../../trainer/model/build.js';
import { EarlyStopping } from '../../trainer/train/early-stopping.js';
import { train } from '../../trainer/train/loop.js';
import { ensureFashionMnist } from '../lib/fashion-mnist.js';
import { benchCacheDir } from '../lib/venv.js';
import { CURVE_PARAMETERS } from './curves.js';
import { FASHION_EPOCHS, type FashionConfig, type FashionTable } from './fashion.js';

const TRAIN_ROWS = 6000;
const VALIDATION_ROWS = 2000;
const BATCH_SIZE = 128;
const tablePath = fileURLToPath(new URL('./fashion-curves.json', import.meta.url));
const partialPath = join(benchCacheDir, 'fashion-curves.partial.jsonl');

const round5 = (x: number) => Number(x.toPrecision(5));

interface Data {
  train: Examples;
  validation: Examples;
}

function loadData(): Data {
  const dir = ensureFashionMnist();
  const source = loadSource(
    { kind: 'idx', trainImages: join(dir, 'train-images-idx3-ubyte.gz'), trainLabels: join(dir, 'train-labels-idx1-ubyte.gz') },
    { task: 'classification', featureSubset: null, limit: TRAIN_ROWS + VALIDATION_ROWS },
  );
  const range = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + i);
  const trainRows = range(0, TRAIN_ROWS);
  const [trainSet, validation] = source.build(trainRows, [trainRows, range(TRAIN_ROWS, VALIDATION_ROWS)]).sets as [Examples, Examples];
  return { train: trainSet, validation };
}

/** The `n` configurations of the table: Sobol point i (scrambled with `seed`) decoded in the curves' space. */
export function fashionConfigs(n: number, seed: number): Params[] {
  const space = SearchSpace.parse(CURVE_PARAMETERS);
  const cube = new UnitCube(space);
  return Array.from({ length: n }, (_, i) => cube.decode(sobolPoint(i, cube.dims, seed)));
}

/** The trainer's parameters for one configuration (everything else at the trainer's defaults). */
function trainerParams(p: Params): Record<string, unknown> {
  return {
    input_units: p.width, layers: 0, input_activation: 'relu', dropout: p.dropout,
    learning_rate: p.lr, optimizer: p.optimizer, batch_size: BATCH_SIZE, epochs: FASHION_EPOCHS,
  };
}

async function recordOne(data: Data, p: Params, index: number): Promise<FashionConfig> {
  const params = resolveParams({}, trainerParams(p));
  const inputShape = modelInputShape('mlp', data.train.featureShape);
  const model = buildModel('mlp', inputShape, 10, params, index);
  const valLoss: Array<number | null> = [];
  const valAccuracy: Array<number | null> = [];
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  await train({
    model, params, task: 'classification', inputShape, outputs: 10, train: data.train, validation: data.validation, seed: index,
    tracker: new EarlyStopping({ monitor: 'val_loss', mode: 'min' }), stopEarly: false, cancelled: () => false,
    onEpoch: (_epoch, m) => {
      const loss = m.val_loss;
      const ok = loss !== undefined && Number.isFinite(loss) && Number.isFinite(m.loss);
      // Once diverged, always diverged (the trainer stops on a non-finite training loss anyway).
      const diverged = !ok || valLoss.includes(null);
      valLoss.push(diverged ? null : round5(loss));
      valAccuracy.push(diverged || m.val_accuracy === undefined ? null : Number(m.val_accuracy.toFixed(4)));
    },
  });
  const cpu = process.cpuUsage(cpu0);
  model.dispose();
  while (valLoss.length < FASHION_EPOCHS) {
    valLoss.push(null);
    valAccuracy.push(null);
  }
  const first = valLoss.indexOf(null);
  return {
    index, params: p, seed: index, valLoss, valAccuracy, divergedAt: first < 0 ? null : first + 1,
    seconds: Number(((performance.now() - wall0) / 1000).toFixed(2)), cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
  };
}

function describe(seed: number, configs: number, backend: string) {
  const version = (pkg: string) => (JSON.parse(readFileSync(fileURLToPath(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url)), 'utf8')) as { version: string }).version;
  return {
    seed, configs, epochs: FASHION_EPOCHS,
    data: `Fashion-MNIST (Debian dataset-fashion-mnist) train-images-idx3-ubyte.gz: images 0-${TRAIN_ROWS - 1} train, ${TRAIN_ROWS}-${TRAIN_ROWS + VALIDATION_ROWS - 1} validate (pixels / 255; test set unused)`,
    model: 'trainer MLP: Dense(width, relu) [dropout] -> Dense(10); params input_units=width, layers=0, dropout, learning_rate=lr, optimizer, batch_size=128, epochs=27, other trainer defaults; trainer seed = config index',
    sampling: `Owen-scrambled Sobol points (operator/samplers/sobol.ts sobolPoint, seed ${seed}) decoded by operator/space/unit-cube.ts over CURVE_PARAMETERS`,
    trainer: { backend, tfjs: version('@tensorflow/tfjs'), tfjsBackendWasm: version('@tensorflow/tfjs-backend-wasm'), node: process.version },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { configs: { type: 'string', default: '300' }, seed: { type: 'string', default: '0' }, fresh: { type: 'boolean', default: false }, check: { type: 'string' }, only: { type: 'string' } },
  });
  const seed = Number(values.seed);
  const n = Number(values.configs);
  const backend = await selectBackend('wasm');
  const data = loadData();
  const configs = fashionConfigs(Math.max(n, Number(values.check ?? 0)), seed);
  console.error(`record-fashion: ${backend.detail}; ${data.train.n} train, ${data.validation.n} validation images`);

  if (values.only !== undefined) {
    // Timing probe: record the listed configurations once, print, write nothing.
    for (const i of values.only.split(',').map(Number)) {
      const c = await recordOne(data, configs[i]!, i);
      console.log(JSON.stringify({ index: i, width: c.params.width, optimizer: c.params.optimizer, seconds: c.seconds, cpuSeconds: c.cpuSeconds, final: c.valLoss.at(-1), acc: c.valAccuracy.at(-1) }));
    }
    return;
  }
  if (values.check !== undefined) {
    const k = Number(values.check);
    let same = true;
    for (let i = 0; i < k; i++) {
      const a = await recordOne(data, configs[i]!, i);
      const b = await recordOne(data, configs[i]!, i);
      const eq = JSON.stringify([a.valLoss, a.valAccuracy]) === JSON.stringify([b.valLoss, b.valAccuracy]);
      same &&= eq;
      console.log(`config ${i} (${JSON.stringify(a.params)}): ${eq ? 'identical' : 'DIFFERENT'} curves twice; final val loss ${a.valLoss.at(-1)} / ${b.valLoss.at(-1)}`);
    }
    console.log(same ? `deterministic: ${k} configs recorded twice, identical` : 'NOT deterministic');
    if (!same) process.exitCode = 1;
    return;
  }

  const header = { header: describe(seed, 0, backend.detail) };
  const key = (h: { header: ReturnType<typeof describe> }) => JSON.stringify({ ...h.header, configs: 0, trainer: { ...h.header.trainer, node: '' } });
  const done = new Map<number, FashionConfig>();
  mkdirSync(benchCacheDir, { recursive: true });
  if (existsSync(partialPath) && !values.fresh) {
    const lines = readFileSync(partialPath, 'utf8').split('\n').filter((l) => l.trim() !== '');
    if (lines.length > 0 && key(JSON.parse(lines[0]!)) !== key(header)) throw new Error(`${partialPath} was recorded with other settings; pass --fresh to start over`);
    for (const l of lines.slice(1)) {
      const c = JSON.parse(l) as FashionConfig;
      done.set(c.index, c);
    }
    console.error(`record-fashion: resuming, ${done.size} configs already in ${partialPath}`);
  } else {
    writeFileSync(partialPath, JSON.stringify(header) + '\n');
  }
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    if (done.has(i)) continue;
    const c = await recordOne(data, configs[i]!, i);
    appendFileSync(partialPath, JSON.stringify(c) + '\n');
    done.set(i, c);
    const p = c.params;
    console.error(`[${new Date().toISOString()}] config ${i + 1}/${n} lr=${(p.lr as number).toExponential(2)} width=${p.width} dropout=${(p.dropout as number).toFixed(2)} ${p.optimizer}: final val loss ${c.valLoss.at(-1)} acc ${c.valAccuracy.at(-1)}${c.divergedAt === null ? '' : ` (diverged at epoch ${c.divergedAt})`}, ${c.seconds} s (cpu ${c.cpuSeconds} s); ${((performance.now() - started) / 60000).toFixed(1)} min this sitting`);
  }
  const list = Array.from({ length: n }, (_, i) => done.get(i)!);
  const table: FashionTable = {
    description: 'Learning curves of the kubetune trainer on Fashion-MNIST, replayed by the `fashion` family of `npm run bench -- pruners` (bench/pruners/fashion.ts).',
    command: `node --import tsx bench/pruners/record-fashion.ts --configs ${n} --seed ${seed}`,
    date: new Date().toISOString(),
    ...describe(seed, n, backend.detail),
    diverged: 'valLoss/valAccuracy null from divergedAt on (the loss became NaN or infinite; the trainer stops there)',
    totalSeconds: Number(list.reduce((a, c) => a + c.seconds, 0).toFixed(1)),
    totalCpuSeconds: Number(list.reduce((a, c) => a + c.cpuSeconds, 0).toFixed(1)),
    curves: list,
  };
  writeFileSync(tablePath, JSON.stringify(table, null, 0).replace(/\{"index"/g, '\n{"index"') + '\n');
  console.error(`record-fashion: wrote ${tablePath} (${n} configs)`);
  tf.disposeVariables();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
