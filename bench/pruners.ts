/**
 * `npm run bench -- pruners [--seeds N] [--trials T]`: early stopping on synthetic learning curves
 * (bench/pruners/curves.ts, the same formulas in curves.py), 200 trials per study, seeds 0–19,
 * TPE on both sides: our `none`, `median`, `asha` and `hyperband` (bench/pruners/ours.ts, the
 * engine's pruner call per report) against Optuna 5.0's `NopPruner`, `MedianPruner`,
 * `SuccessiveHalvingPruner` and `HyperbandPruner` (bench/pruners/optuna_runner.py) in a child
 * process. For each pruner: training steps used relative to running every trial to the end
 * (200 × 100 steps), and the median final regret (best completed trial's last loss minus the
 * curves' lower bound).
 *
 * Writes bench/results/pruners.json and the `pruners` section of docs/benchmarks.md (a run with
 * fewer seeds or trials is written too, marked non-standard). Ends with
 * `pruners: asha step fraction <x>` — our ASHA's median step fraction — followed by its median
 * regret against the unpruned one.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchCommand, machineInfo, median, quantile, writeBenchmarkSection, writeResults } from './lib/results.js';
import { benchCacheDir, ensureVenv } from './lib/venv.js';
import { MAX_STEPS } from './pruners/curves.js';
import { OUR_PRUNERS, type PrunedRun, runPruned } from './pruners/ours.js';
import { fmt } from './samplers/summary.js';

const TRIALS = 200;
const SEEDS = 20;
const REQUIREMENTS = ['optuna==5.0.0', 'scipy'];
const runner = fileURLToPath(new URL('./pruners/optuna_runner.py', import.meta.url));

interface OptunaOutput {
  optuna: string;
  python: string;
  seeds: number[];
  trials: number;
  pruners: Record<string, string>;
  results: Record<string, { runs: { steps: number; regret: number }[]; seconds: number }>;
}

interface Row {
  pruner: string;
  side: 'ours' | 'optuna';
  stepFraction: { median: number; q1: number; q3: number };
  regret: { median: number; q1: number; q3: number };
}

const spread = (xs: number[]) => ({ median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75) });

function rowOf(pruner: string, side: Row['side'], runs: readonly { steps: number; regret: number }[], trials: number): Row {
  return {
    pruner,
    side,
    stepFraction: spread(runs.map((r) => r.steps / (trials * MAX_STEPS))),
    regret: spread(runs.map((r) => Math.max(0, r.regret))),
  };
}

function startOptuna(python: string, seeds: number, trials: number, out: string): Promise<OptunaOutput> {
  const child = spawn(python, [runner, '--trials', String(trials), '--seeds', `0-${seeds - 1}`, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code !== 0 ? reject(new Error(`pruners optuna_runner.py exited with ${code}`)) : resolve(JSON.parse(readFileSync(out, 'utf8')) as OptunaOutput)));
  });
}

export async function run(args: string[]): Promise<void> {
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seeds = Number(value('--seeds') ?? SEEDS);
  const trials = Number(value('--trials') ?? TRIALS);
  const standard = seeds === SEEDS && trials === TRIALS;
  const started = performance.now();
  const venv = ensureVenv('optuna', REQUIREMENTS);
  console.error(`bench: Optuna ${venv.versions.optuna}; ${trials} trials x ${MAX_STEPS} steps x ${seeds} seeds, both sides in parallel`);
  mkdirSync(benchCacheDir, { recursive: true });
  const optunaPromise = startOptuna(venv.python, seeds, trials, join(benchCacheDir, 'pruners-optuna.json'));
  await new Promise((r) => setTimeout(r, 200));

  const ours: Record<string, PrunedRun[]> = {};
  const oursSeconds: Record<string, number> = {};
  for (const pruner of Object.keys(OUR_PRUNERS)) {
    const t0 = performance.now();
    ours[pruner] = Array.from({ length: seeds }, (_, seed) => runPruned(pruner, seed, trials));
    oursSeconds[pruner] = (performance.now() - t0) / 1000;
    console.error(`ours   ${pruner.padEnd(9)} ${seeds} seeds (${oursSeconds[pruner]!.toFixed(1)} s)`);
  }
  const optuna = await optunaPromise;
  const rows: Row[] = [
    ...Object.entries(ours).map(([p, runs]) => rowOf(p, 'ours', runs, trials)),
    ...Object.entries(optuna.results).map(([p, r]) => rowOf(p, 'optuna', r.runs, trials)),
  ];
  const find = (pruner: string, side: Row['side']) => rows.find((r) => r.pruner === pruner && r.side === side);
  const asha = find('asha', 'ours');
  const none = find('none', 'ours');
  const verdict = asha !== undefined && none !== undefined && asha.regret.median <= none.regret.median ? 'no worse than' : 'worse than';
  const line = asha === undefined || none === undefined
    ? 'pruners: asha step fraction n/a'
    : `pruners: asha step fraction ${asha.stepFraction.median.toFixed(3)} (median regret ${fmt(asha.regret.median)}, ${verdict} unpruned ${fmt(none.regret.median)})`;
  const text = rows.map((r) => `${r.side.padEnd(6)} ${r.pruner.padEnd(9)} steps ${r.stepFraction.median.toFixed(3)}  regret ${fmt(r.regret.median)} [${fmt(r.regret.q1)}, ${fmt(r.regret.q3)}]`);
  console.log(['median step fraction and final regret:', ...text].join('\n'));

  writeResults('pruners', {
    command: benchCommand('pruners', args),
    standard,
    date: new Date().toISOString(),
    machine: machineInfo(),
    trials,
    maxSteps: MAX_STEPS,
    seeds: Array.from({ length: seeds }, (_, s) => s),
    path: 'Study ask/report/tell; after every report the pruner from the registry is asked about the trial with the whole history (the call trialsToPrune makes inside decide)',
    summary: rows,
    ours: { sampler: 'tpe', pruners: OUR_PRUNERS, seconds: oursSeconds, runs: ours },
    optuna: { ...optuna, versions: venv.versions },
  });
  writeBenchmarkSection('pruners', renderSection(rows, optuna, args, line, seeds, trials, standard));
  console.error(`bench: wrote bench/results/pruners.json and the pruners section of docs/benchmarks.md (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  console.log(line);
}

function renderSection(rows: readonly Row[], optuna: OptunaOutput, args: string[], line: string, seeds: number, trials: number, standard: boolean): string {
  const m = machineInfo();
  const cell = (s: Row['regret']) => `${fmt(s.median)} <sub>[${fmt(s.q1)}, ${fmt(s.q3)}]</sub>`;
  const table = [
    '| pruner | ours: step fraction | ours: regret | Optuna: step fraction | Optuna: regret |',
    '| --- | --- | --- | --- | --- |',
    ...Object.keys(OUR_PRUNERS).map((p) => {
      const a = rows.find((r) => r.pruner === p && r.side === 'ours');
      const b = rows.find((r) => r.pruner === p && r.side === 'optuna');
      return `| ${p} (${JSON.stringify(OUR_PRUNERS[p])}; Optuna \`${optuna.pruners[p] ?? '—'}\`) | ${a ? a.stepFraction.median.toFixed(3) : '—'} | ${a ? cell(a.regret) : '—'} | ${b ? b.stepFraction.median.toFixed(3) : '—'} | ${b ? cell(b.regret) : '—'} |`;
    }),
  ].join('\n');
  const shrunk = standard ? '' : ` **Reduced run**: ${seeds} seeds instead of ${SEEDS} (the shared 2-core machine could not fit the full run in the time available).`;
  return `## Pruners: early stopping on synthetic learning curves

\`${benchCommand('pruners', args)}\` — ${trials} trials × up to ${MAX_STEPS} steps × ${seeds} seeds, TPE (default settings, \`seed: s\`)
on both sides, sequential, on ${m.cpus} × ${m.cpuModel} (${new Date().toISOString().slice(0, 10)}); Optuna ${optuna.optuna} (Python ${optuna.python}).${shrunk}
The curves (\`bench/pruners/curves.ts\`, the same formulas in \`curves.py\`, checked to agree) have a floor
and a convergence rate that both depend on the configuration; a larger learning rate converges
faster to a worse floor, so curves cross. Every trial reports its loss at each step; ours asks the
pruner after each report as \`decide\` does (\`trialsToPrune\`, operator/engine/pruning.ts), Optuna's
calls \`trial.should_prune()\`.

**How to read it.** *Step fraction*: training steps run over ${trials} × ${MAX_STEPS} (no pruning = 1), median over
seeds. *Regret*: best final loss of the completed trials minus the family's lower bound (0.05),
median [quartiles]. Pruning pays when the step fraction drops and the regret does not rise.

${table}

${line}`;
}
