/**
 * `npm run bench -- latency [--quick]`: how long our TPE takes to suggest one trial with 100,
 * 1,000, 2,000 and 5,000 finished trials (5 float parameters), against Optuna's TPE on the same
 * histories.
 *
 * Histories are random points of [-5, 5]^5 with the values of a shifted sphere, seeded, three per
 * size (the first n trials of three 5,000-trial lists), visited in three rounds that each go
 * through all four sizes (so bursts of other work spread over the sizes). Per history: 2 untimed warm-up asks, then
 * 10 timed ones, so 30 samples per size and side, reported as p50 and p95 in milliseconds.
 * Before any timing, our sampler makes 30 untimed suggestions so V8 has compiled it, as it would
 * have in a running operator.
 *
 * - Ours: `suggest(space, history, ctx)` of the registered `tpe` sampler with its defaults — the
 *   whole of the work `Study.ask()` does (the study only adds an array push). The history is not
 *   grown by the timed asks, so the model always sees exactly n finished trials.
 * - Optuna (full run only, after ours so the two never share the CPU): bench/latency/optuna_latency.py,
 *   `TPESampler(seed)` with Optuna 5.0's defaults (multivariate), history via `study.add_trials`,
 *   timing `study.ask()` plus the five `suggest_float` calls, each timed trial then told FAIL.
 *
 * Writes bench/results/latency.json and the `latency` section of docs/benchmarks.md (full run
 * only) and ends with `latency: p50 ms at 2000 trials <x>` (ours). Growth = p50 at 5,000 / p50 at
 * 1,000: 5 means linear in the history, less is better.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createSampler } from '../operator/samplers/registry.js';
import { sampleUniform } from '../operator/samplers/random.js';
import { Rng } from '../operator/samplers/rng.js';
import type { TrialRecord } from '../operator/samplers/types.js';
import { SearchSpace } from '../operator/space/space.js';
import { benchCommand, machineInfo, quantile, writeBenchmarkSection, writeResults } from './lib/results.js';
import { benchCacheDir, ensureVenv } from './lib/venv.js';
import { OPTUNA_REQUIREMENTS } from './samplers.js';
import { fmt } from './samplers/summary.js';

const SIZES = [100, 1000, 2000, 5000];
const HISTORIES = 3;
const WARMUP = 2;
const ASKS = 20;
const PARAMETERS = Array.from({ length: 5 }, (_, i) => ({ name: `x${i + 1}`, type: 'float' as const, min: -5, max: 5 }));
const script = fileURLToPath(new URL('./latency/optuna_latency.py', import.meta.url));

interface Stats {
  /** Wall-clock milliseconds per ask: fastest (the least disturbed by other work), median, 95th percentile. */
  min: number;
  p50: number;
  p95: number;
  /** Median CPU milliseconds the process spent per ask: the work itself, whatever else runs. */
  cpuP50: number;
  samples: number[];
  cpuSamples: number[];
}

function stats(samples: number[], cpuSamples: number[]): Stats {
  return { min: Math.min(...samples), p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), cpuP50: quantile(cpuSamples, 0.5), samples, cpuSamples };
}

/** Finished trials with seeded random parameters and the value of a shifted sphere. */
function makeHistory(space: SearchSpace, rep: number, n: number): TrialRecord[] {
  return Array.from({ length: n }, (_, index) => {
    const params = sampleUniform(space, new Rng(rep, index, 'latency-history'));
    const value = Object.values(params).reduce<number>((s, x) => s + ((x as number) - 1) ** 2, 0);
    return { index, params, state: 'succeeded', value };
  });
}

function timeOurs(space: SearchSpace, histories: TrialRecord[][]): Record<number, Stats> {
  const sampler = createSampler('tpe');
  // A running operator or script is warm: let V8 compile the sampler's hot paths before timing,
  // so the first size does not pay for the JIT (Python has no JIT to warm).
  const warm = histories[0]?.slice(0, 1000) ?? [];
  for (let i = 0; i < 30; i++) sampler.suggest(space, warm, { index: warm.length + i, seed: 99, goal: 'minimize', rng: new Rng(99, i, 'warm-up') });
  // Rounds over histories on the outside, sizes inside: a burst of other work on the shared
  // machine then lands on every size alike instead of skewing one of them (and the growth).
  const samples: Record<number, number[]> = Object.fromEntries(SIZES.map((n) => [n, []]));
  const cpuSamples: Record<number, number[]> = Object.fromEntries(SIZES.map((n) => [n, []]));
  histories.forEach((full, rep) => {
    for (const size of SIZES) {
      const history = full.slice(0, size);
      for (let i = 0; i < WARMUP + ASKS; i++) {
        const index = size + i;
        const cpu = process.cpuUsage();
        const started = performance.now();
        const s = sampler.suggest(space, history, { index, seed: rep, goal: 'minimize', rng: new Rng(rep, index, sampler.name) });
        const took = performance.now() - started;
        const used = process.cpuUsage(cpu);
        if (!('params' in s)) throw new Error('tpe returned no parameters');
        if (i >= WARMUP) {
          samples[size]!.push(took);
          cpuSamples[size]!.push((used.user + used.system) / 1000);
        }
      }
    }
  });
  const out: Record<number, Stats> = {};
  for (const size of SIZES) {
    out[size] = stats(samples[size]!, cpuSamples[size]!);
    console.error(`ours   tpe ${String(size).padStart(5)} finished trials: p50 ${out[size].p50.toFixed(2)} ms`);
  }
  return out;
}

function timeOptuna(histories: TrialRecord[][]): { versions: Record<string, string>; python: string; stats: Record<number, Stats> } {
  const venv = ensureVenv('optuna', OPTUNA_REQUIREMENTS);
  mkdirSync(benchCacheDir, { recursive: true });
  const input = join(benchCacheDir, 'latency-histories.json');
  const output = join(benchCacheDir, 'latency-optuna.json');
  const bySize = Object.fromEntries(SIZES.map((n) => [n, histories.map((h) => h.slice(0, n).map(({ params, value }) => ({ params, value })))]));
  writeFileSync(input, JSON.stringify({ parameters: PARAMETERS, warmup: WARMUP, asks: ASKS, histories: bySize }));
  const run = spawnSync(venv.python, [script, '--histories', input, '--out', output], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`optuna_latency.py exited with ${run.status}`);
  const result = JSON.parse(readFileSync(output, 'utf8')) as { python: string; ms: Record<string, number[]>; cpuMs: Record<string, number[]> };
  return {
    versions: venv.versions,
    python: result.python,
    stats: Object.fromEntries(SIZES.map((n) => [n, stats(result.ms[String(n)] ?? [], result.cpuMs[String(n)] ?? [])])),
  };
}

const growth = (s: Record<number, Stats>, key: 'p50' | 'min' | 'cpuP50' = 'p50') => (s[5000]?.[key] ?? NaN) / (s[1000]?.[key] ?? NaN);

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const load = loadavg().map((x) => x.toFixed(1)).join(', ');
  const space = SearchSpace.parse(PARAMETERS);
  const histories = Array.from({ length: HISTORIES }, (_, rep) => makeHistory(space, rep, Math.max(...SIZES)));
  const ours = timeOurs(space, histories);
  const line = `latency: p50 ms at 2000 trials ${fmt(ours[2000]?.p50 ?? NaN)}`;
  if (quick) {
    console.log(`ours: growth 5000/1000 = ${fmt(growth(ours))} (p50), ${fmt(growth(ours, 'min'))} (fastest ask), ${fmt(growth(ours, 'cpuP50'))} (CPU p50); load average ${load}`);
    console.log(line);
    return;
  }
  const optuna = timeOptuna(histories);
  const rows = SIZES.map((n) => {
    const a = ours[n] as Stats;
    const b = optuna.stats[n] as Stats;
    return `| ${n} | ${fmt(a.p50)} | ${fmt(a.p95)} | ${fmt(a.min)} | ${fmt(a.cpuP50)} | ${fmt(b.p50)} | ${fmt(b.p95)} | ${fmt(b.min)} | ${fmt(b.cpuP50)} | ${fmt(b.p50 / a.p50)}× |`;
  });
  const m = machineInfo();
  writeResults('latency', {
    command: benchCommand('latency', args),
    date: new Date().toISOString(),
    machine: m,
    loadAverage: load,
    parameters: PARAMETERS,
    sizes: SIZES,
    histories: HISTORIES,
    warmup: WARMUP,
    asks: ASKS,
    ours: { sampler: 'tpe (defaults)', growth: growth(ours), growthOfMin: growth(ours, 'min'), ms: ours },
    optuna: { version: optuna.versions.optuna, versions: optuna.versions, python: optuna.python, sampler: 'TPESampler(seed) defaults', growth: growth(optuna.stats), growthOfMin: growth(optuna.stats, 'min'), ms: optuna.stats },
  });
  writeBenchmarkSection(
    'latency',
    `## Latency: time to suggest one trial

\`${benchCommand('latency', args)}\` — 5 float parameters, histories of 100 to 5,000 finished trials (random
points, values of a shifted sphere; the same histories on both sides), ${HISTORIES} histories × ${ASKS} timed asks
per size after ${WARMUP} warm-ups (and, for ours, 30 untimed suggestions before the first size so V8 has compiled the sampler), on ${m.cpus} × ${m.cpuModel} (${new Date().toISOString().slice(0, 10)}), one side at a time.
Ours: the \`tpe\` sampler's \`suggest\` with default settings (all of \`Study.ask()\`'s work). Optuna
${optuna.versions.optuna}: \`TPESampler(seed)\` with its defaults (multivariate), trials added with \`study.add_trials\`,
timing \`study.ask()\` plus the five \`suggest_float\` calls.

**How to read it.** Milliseconds per suggestion, median (p50) and 95th percentile over the ${HISTORIES * ASKS}
timed asks; *speed-up* = Optuna's p50 / ours. *Growth* = p50 at 5,000 trials / p50 at 1,000: 5 would
be linear in the history. The machine is shared with other work, which lands on the wall-clock p50
and p95 of either side at random and hits long asks harder than short ones (they are more often
preempted); the fastest ask (*min*) and the CPU time per ask (*CPU p50*, the process's own CPU
milliseconds) are the least disturbed, so their growth is shown too.

| finished trials | ours p50 | ours p95 | ours min | ours CPU p50 | Optuna p50 | Optuna p95 | Optuna min | Optuna CPU p50 | speed-up (p50) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Growth 5,000/1,000 of p50: ours ${fmt(growth(ours))}, Optuna ${fmt(growth(optuna.stats))}; of the fastest ask: ours ${fmt(growth(ours, 'min'))}, Optuna ${fmt(growth(optuna.stats, 'min'))}; of CPU p50: ours ${fmt(growth(ours, 'cpuP50'))}, Optuna ${fmt(growth(optuna.stats, 'cpuP50'))}. Load average when the run started: ${load}.

${line}`,
  );
  console.error('bench: wrote bench/results/latency.json and the latency section of docs/benchmarks.md');
  console.log(`growth 5000/1000 (p50): ours ${fmt(growth(ours))}, Optuna ${fmt(growth(optuna.stats))}`);
  console.log(line);
}
