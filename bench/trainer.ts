/**
 * `npm run bench -- trainer [--quick] [--epochs N] [--threads N]`: kubetune-trainer against
 * PyTorch on Fashion-MNIST, the same MLP (784-128-10) and the same small CNN, same optimizer
 * (Adam, lr 1e-3, eps 1e-8), batch 128, same thread count, side by side in one run.
 *
 * Our side runs the real trainer entry point (trainer/main.ts) as a child process on the IDX
 * files from Debian's dataset-fashion-mnist, and reads each epoch's training time from its
 * "epoch N trained in X s (cpu Y s)" log line; PyTorch's side (bench/trainer/torch_fashion.py)
 * runs in a throwaway virtualenv with torch from PyPI and times the same training pass.
 *
 * The headline ratio is of CPU seconds per epoch (median over epochs): both sides run one
 * thread, so on an idle machine CPU time and wall time agree, and on a shared machine (ours
 * often has a load average of 10+ on 2 cores) CPU time does not count the time a process waits
 * for a core. Wall-clock seconds are recorded too. The MLP runs `--rounds` times (default 3),
 * alternating sides, and each run's first epoch is left out as warm-up. The CNN trains on the first `cnnLimit`
 * training images (both sides) to keep the run short; its test accuracy is on the first as many
 * test images.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrialResult } from '../operator/api/trial-contract.js';
import { ensureFashionMnist, FASHION_MNIST_DIR } from './lib/fashion-mnist.js';
import { benchCommand, machineInfo, median, writeBenchmarkSection, writeResults } from './lib/results.js';
import { ensureVenv } from './lib/venv.js';

const DATA_DIR = FASHION_MNIST_DIR;
const TORCH_REQUIREMENTS = ['torch==2.15.0', 'numpy==2.4.6'];
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface SideResult {
  epochSeconds: number[];
  epochCpuSeconds: number[];
  secondsPerEpoch: number;
  cpuSecondsPerEpoch: number;
  testAccuracy: number;
  examples: number;
  /** Our side: the backend the trainer chose, as it logged it. */
  backend?: string;
  /** When several runs were pooled: each run's test accuracy. */
  testAccuracies?: number[];
}

/** Parameters of the two models, in the trainer's vocabulary. */
const OUR_PARAMS: Record<'mlp' | 'cnn', Record<string, unknown>> = {
  mlp: { input_units: 128, layers: 0 },
  cnn: { conv_blocks: 2, filters: 32, kernel_size: 3, padding: 'same', pooling: 'max', pool_size: 2, dense_units: 128 },
};

function threadEnv(threads: number): Record<string, string> {
  const n = String(threads);
  return { OMP_NUM_THREADS: n, MKL_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n };
}

async function runOurs(model: 'mlp' | 'cnn', epochs: number, limit: number, threads: number): Promise<SideResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kubetune-bench-trainer-'));
  const config = join(dir, 'trainer.json');
  writeFileSync(config, JSON.stringify({ validationSplit: 0, objective: 'loss', limit, backend: 'auto', params: { ...OUR_PARAMS[model], optimizer: 'adam', learning_rate: 1e-3, epsilon: 1e-8, batch_size: 128, epochs } }));
  const resultFile = join(dir, 'result.json');
  const args = ['--import', 'tsx', 'trainer/main.ts', '--config', config, '--dataset', DATA_DIR, '--model', model];
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...threadEnv(threads), KUBETUNE_RESULT_FILE: resultFile, KUBETUNE_SEED: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    process.stderr.write(c);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`kubetune-trainer exited with ${code}`);
  const lines = [...stderr.matchAll(/epoch \d+ trained in ([\d.]+) s \(cpu ([\d.]+) s\)/g)];
  const epochSeconds = lines.map((m) => Number(m[1]));
  const epochCpuSeconds = lines.map((m) => Number(m[2]));
  const result = parseTrialResult(readFileSync(resultFile, 'utf8'));
  const examples = Number(/split: (\d+) train/.exec(stderr)?.[1] ?? Number.NaN);
  const backend = /backend (\S+: [^\n]+)/.exec(stderr)?.[1] ?? 'unknown';
  return { epochSeconds, epochCpuSeconds, secondsPerEpoch: median(epochSeconds), cpuSecondsPerEpoch: median(epochCpuSeconds), testAccuracy: result.metrics.test_accuracy ?? Number.NaN, examples, backend };
}

function runTorch(python: string, model: 'mlp' | 'cnn', epochs: number, limit: number, threads: number): SideResult {
  const script = join(repoRoot, 'bench', 'trainer', 'torch_fashion.py');
  const out = execFileSync(python, [script, '--data-dir', DATA_DIR, '--model', model, '--epochs', String(epochs), '--threads', String(threads), '--limit', String(limit)], {
    env: { ...process.env, ...threadEnv(threads) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const doc = JSON.parse(out.trim().split('\n').at(-1) as string) as { epochSeconds: number[]; epochCpuSeconds: number[]; testAccuracy: number; examples: number };
  return { ...doc, secondsPerEpoch: median(doc.epochSeconds), cpuSecondsPerEpoch: median(doc.epochCpuSeconds) };
}

/**
 * Pools several runs of one side: every epoch but each run's first (warm-up: JIT, first
 * allocations) counts, unless a run had a single epoch. Test accuracy is the first run's (runs are
 * seeded alike, so they agree).
 */
function pool(runs: SideResult[]): SideResult {
  const steady = (values: number[]) => (values.length > 1 ? values.slice(1) : values);
  const wall = runs.flatMap((r) => steady(r.epochSeconds));
  const cpu = runs.flatMap((r) => steady(r.epochCpuSeconds));
  const first = runs[0] as SideResult;
  return {
    ...first,
    epochSeconds: runs.flatMap((r) => r.epochSeconds),
    epochCpuSeconds: runs.flatMap((r) => r.epochCpuSeconds),
    secondsPerEpoch: median(wall),
    cpuSecondsPerEpoch: median(cpu),
    testAccuracies: runs.map((r) => r.testAccuracy),
  };
}

function flag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const epochs = flag(args, '--epochs', 3);
  const threads = flag(args, '--threads', 1);
  const mlpLimit = quick ? 10000 : 0;
  const cnnLimit = flag(args, '--cnn-limit', quick ? 2000 : 10000);
  const mlpRounds = flag(args, '--rounds', quick ? 1 : 3);
  ensureFashionMnist();
  const venv = ensureVenv('trainer', TORCH_REQUIREMENTS);
  const loadBefore = loadavg();
  const rows: Array<{ model: 'mlp' | 'cnn'; rounds: number; ours: SideResult; torch: SideResult; ratio: number; wallRatio: number }> = [];
  for (const [model, limit, rounds] of [['mlp', mlpLimit, mlpRounds], ['cnn', cnnLimit, 1]] as const) {
    // Alternate the two sides `rounds` times so a burst of load on the shared machine hits both.
    const torchRuns: SideResult[] = [];
    const ourRuns: SideResult[] = [];
    for (let round = 1; round <= rounds; round++) {
      console.error(`bench: ${model} round ${round}/${rounds}: PyTorch ${venv.versions.torch}, ${threads} thread(s)`);
      torchRuns.push(runTorch(venv.python, model, epochs, limit, threads));
      console.error(`bench: ${model} round ${round}/${rounds}: kubetune-trainer`);
      ourRuns.push(await runOurs(model, epochs, limit, threads));
    }
    const torch = pool(torchRuns);
    const ours = pool(ourRuns);
    rows.push({ model, rounds, ours, torch, wallRatio: ours.secondsPerEpoch / torch.secondsPerEpoch, ratio: ours.cpuSecondsPerEpoch / torch.cpuSecondsPerEpoch });
  }
  const command = benchCommand('trainer', args);
  writeResults('trainer', {
    command,
    machine: machineInfo(),
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg(),
    threads,
    epochs,
    torch: venv.versions,
    dataset: DATA_DIR,
    results: rows,
  });
  const mlp = rows.find((r) => r.model === 'mlp');
  const cnn = rows.find((r) => r.model === 'cnn');
  const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
  writeBenchmarkSection(
    'trainer',
    [
      '## Trainer: kubetune-trainer vs PyTorch on Fashion-MNIST',
      '',
      `\`${command}\` — ours on ${mlp?.ours.backend ?? 'unknown'}; ${threads} thread(s) each, ${epochs} epochs, Adam (lr 1e-3), batch 128; PyTorch ${venv.versions.torch} (CPU, from PyPI). Seconds per epoch: median over epochs (each run's first epoch left out as warm-up; the MLP runs ${mlpRounds} rounds, alternating sides) of the training pass alone, in process CPU seconds (the ratio) and wall-clock seconds.`,
      '',
      '| model | examples | ours cpu s/epoch (wall) | PyTorch cpu s/epoch (wall) | ratio (wall ratio) | ours test acc. | PyTorch test acc. |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.model} | ${r.ours.examples} | ${fmt(r.ours.cpuSecondsPerEpoch)} (${fmt(r.ours.secondsPerEpoch)}) | ${fmt(r.torch.cpuSecondsPerEpoch)} (${fmt(r.torch.secondsPerEpoch)}) | ${fmt(r.ratio)} (${fmt(r.wallRatio)}) | ${fmt(r.ours.testAccuracy, 4)} | ${fmt(r.torch.testAccuracy, 4)} |`,
      ),
      '',
      `Load average during the run: ${loadBefore.map((v) => v.toFixed(1)).join(' / ')} before, ${loadavg().map((v) => v.toFixed(1)).join(' / ')} after (the machine is shared with other work: wall-clock seconds stretch with the load, which is why the ratio is taken on CPU seconds; heavy contention still inflates CPU time somewhat, through shared caches and cores). Raw per-epoch times: \`bench/results/trainer.json\`.`,
    ].join('\n'),
  );
  console.log(`trainer: cnn epoch ratio vs pytorch ${fmt(cnn?.ratio ?? Number.NaN)} (wall-clock ${fmt(cnn?.wallRatio ?? Number.NaN)}, on ${cnn?.ours.examples} images)`);
  console.log(`trainer: mlp wall-clock ratio vs pytorch ${fmt(mlp?.wallRatio ?? Number.NaN)}`);
  console.log(`trainer: mlp epoch ratio vs pytorch ${fmt(mlp?.ratio ?? Number.NaN)}`);
}
