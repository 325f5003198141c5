/**
 * `npm run bench -- pruners [--seeds N] [--trials T] [--families crossing,ranked,fashion] [--reuse-optuna] [--no-write]`:
 * early stopping on three families of learning curves — two synthetic ones (bench/pruners/curves.ts,
 * the same formulas in curves.py): `crossing` (a fast, worse configuration leads early) and
 * `ranked` (early ranks predict final ones up to noise), 100 steps each; and `fashion`, real
 * Fashion-MNIST learning curves of our trainer recorded once into bench/pruners/fashion-curves.json
 * (bench/pruners/record-fashion.ts) and replayed as the inverse-distance-weighted mean of the 4
 * nearest recorded curves (bench/pruners/fashion.ts, fashion.py), 27 epochs — 200 trials per study, seeds 0–19, TPE on
 * both sides: our `none`, `median`, `asha` and `hyperband` (bench/pruners/ours.ts, the engine's
 * pruner call per report) against Optuna 5.0's `NopPruner`, `MedianPruner`,
 * `SuccessiveHalvingPruner` and `HyperbandPruner` (bench/pruners/optuna_runner.py), one child
 * process per family. Each family carries its resources (bench/pruners/families.ts): ASHA from
 * step 2 with η 4 on the synthetic curves, from epoch 1 with η 3 on fashion. For each pruner:
 * training steps used relative to running every trial to the end (200 × the family's steps), the
 * median final regret (best completed trial's last loss minus the family's lower bound), and the
 * regret of the best configuration proposed (had it trained to the end), which splits the loss
 * between the pruner and the sampler. Diagnostic rows, ours only: ASHA with the sampler told each
 * pruned trial's final loss, and ASHA with its first rung moved (bench/pruners/ours.ts). Both sides
 * also run `none-random` and `asha-random`, the random sampler unpruned and with ASHA; and every
 * pruned row is set against the unpruned study with the same sampler at equal compute (its regret
 * after as many steps as the pruned study trained, from the runs' `progress`).
 *
 * `--reuse-optuna` takes Optuna's side from the previous run's files under bench/.cache/ when they
 * hold the same seeds, trials and family (and, for fashion, the same table and replay): Optuna's numbers do
 * not depend on our code, so a change on our side can be measured again without the slow half;
 * the report says which families it did that for. `--no-write` prints the results and writes nothing.
 *
 * Writes bench/results/pruners.json and the `pruners` section of docs/benchmarks.md (a run with
 * fewer seeds or trials or families is written too, marked non-standard). Ends with
 * `pruners: asha step fraction <x>` — our ASHA's median step fraction on the crossing curves (the
 * issue's family) with its median regret against the unpruned one, followed by the same on the
 * ranked curves — and then `pruners (fashion-mnist curves): asha step fraction <x> (median regret
 * <r>, unpruned <u>)`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchCommand, machineInfo, writeBenchmarkSection, writeResults } from './lib/results.js';
import { benchCacheDir, ensureVenv } from './lib/venv.js';
import { sampleUniform } from '../operator/samplers/random.js';
import { Rng } from '../operator/samplers/rng.js';
import { SearchSpace } from '../operator/space/space.js';
import { CURVE_PARAMETERS } from './pruners/curves.js';
import { FAMILIES, FAMILY_NAMES, type Family, familyRankCorrelation, isFamily } from './pruners/families.js';
import { FASHION_REPLAY, fashionCurves, readFashionTable } from './pruners/fashion.js';
import { diagnosticsFor, oursFor, type PrunedRun, rowNamesFor, runPruned } from './pruners/ours.js';
import { ashaVerdict, fashionLine, renderSection, type Row, rowOf, type Run, unprunedRowOf } from './pruners/report.js';
import { fmt } from './samplers/summary.js';

const TRIALS = 200;
const SEEDS = 20;
const REQUIREMENTS = ['optuna==5.0.0', 'scipy'];
const runner = fileURLToPath(new URL('./pruners/optuna_runner.py', import.meta.url));

interface OptunaOutput {
  optuna: string;
  python: string;
  family: Family;
  seeds: number[];
  trials: number;
  pruners: Record<string, string>;
  results: Record<string, { runs: Run[]; seconds: number }>;
  /** fashion only: the date of the table it replayed. */
  table?: string;
  /** fashion only: the replay it used (fashion.py's FASHION_REPLAY); absent before the weighted mean replaced the nearest curve. */
  replay?: string;
}

function startOptuna(python: string, family: Family, seeds: number, trials: number, out: string): Promise<OptunaOutput> {
  const args = [runner, '--family', family, '--trials', String(trials), '--seeds', `0-${seeds - 1}`, '--out', out];
  const child = spawn(python, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code !== 0 ? reject(new Error(`pruners optuna_runner.py --family ${family} exited with ${code}`)) : resolve(JSON.parse(readFileSync(out, 'utf8')) as OptunaOutput)));
  });
}

/**
 * Spearman correlation of the loss at each of ASHA's rungs with the final loss: over 1,000 uniform
 * configurations (seeded) for the synthetic families, over the recorded configurations for fashion
 * — all of them, and the best quarter by final loss (where a converging sampler's proposals are, and
 * where a rung has to tell good from best).
 */
function rankCorrelations(family: Family): { all: Record<number, number>; bestQuarter: Record<number, number> } {
  const space = SearchSpace.parse(CURVE_PARAMETERS);
  const configs = family === 'fashion'
    ? fashionCurves().configs.map((c) => c.params)
    : Array.from({ length: 1000 }, (_, i) => sampleUniform(space, new Rng(0, i, 'pruners-bench-ranks')));
  const { lossAt, maxSteps, rungs } = FAMILIES[family];
  const best = configs
    .map((p) => ({ p, final: lossAt(p, maxSteps) }))
    .sort((a, b) => a.final - b.final)
    .slice(0, Math.ceil(configs.length / 4))
    .map((c) => c.p);
  const at = (set: typeof configs) => Object.fromEntries(rungs.map((step) => [step, familyRankCorrelation(family, set, step)]));
  return { all: at(configs), bestQuarter: at(best) };
}

/**
 * A run as written to the results file: without its progress, which only the equal-compute
 * comparison reads (each row keeps its per-seed outcome in `equalCompute.unprunedPerSeed`) and
 * which would make the file several times larger.
 */
function withoutProgress<R extends { progress?: unknown }>({ progress: _, ...run }: R): Omit<R, 'progress'> {
  return run;
}

export async function run(args: string[]): Promise<void> {
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seeds = Number(value('--seeds') ?? SEEDS);
  const trials = Number(value('--trials') ?? TRIALS);
  const names = (value('--families') ?? FAMILY_NAMES.join(',')).split(',');
  for (const f of names) if (!isFamily(f)) throw new Error(`unknown curve family "${f}" (${FAMILY_NAMES.join(', ')})`);
  const families = names as Family[];
  const write = !args.includes('--no-write');
  const standard = seeds === SEEDS && trials === TRIALS && FAMILY_NAMES.every((f) => families.includes(f));
  const fashionTable = families.includes('fashion') ? readFashionTable() : undefined;
  const started = performance.now();
  const loadAtStart = loadavg();
  const venv = ensureVenv('optuna', REQUIREMENTS);
  console.error(`bench: Optuna ${venv.versions.optuna}; ${trials} trials x ${seeds} seeds x ${families.map((f) => `${f} (${FAMILIES[f].maxSteps} steps)`).join(', ')}, both sides in parallel`);
  mkdirSync(benchCacheDir, { recursive: true });
  const reuse = args.includes('--reuse-optuna');
  const reusedOptuna: Family[] = [];
  const optunaPromises = families.map((f) => {
    const out = join(benchCacheDir, `pruners-optuna-${f}.json`);
    const cached = reuse && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as OptunaOutput) : undefined;
    // A fashion run is only reused when it replayed the same table the same way.
    const sameTable = f !== 'fashion' || (cached?.table === fashionTable?.date && cached?.replay === FASHION_REPLAY);
    if (cached !== undefined && cached.family === f && cached.trials === trials && cached.seeds.length === seeds && cached.seeds.every((x, i) => x === i) && sameTable) {
      console.error(`bench: Optuna's ${f} results reused from ${out}`);
      reusedOptuna.push(f);
      return Promise.resolve(cached);
    }
    return startOptuna(venv.python, f, seeds, trials, out);
  });
  await new Promise((r) => setTimeout(r, 200));

  const ours: Record<string, Record<string, PrunedRun[]>> = {};
  const oursSeconds: Record<string, Record<string, number>> = {};
  for (const family of families) {
    ours[family] = {};
    oursSeconds[family] = {};
    for (const pruner of rowNamesFor(family)) {
      const t0 = performance.now();
      ours[family][pruner] = Array.from({ length: seeds }, (_, seed) => runPruned(pruner, seed, trials, family));
      oursSeconds[family][pruner] = (performance.now() - t0) / 1000;
      console.error(`ours   ${family.padEnd(8)} ${pruner.padEnd(15)} ${seeds} seeds (${oursSeconds[family][pruner]!.toFixed(1)} s)`);
    }
  }
  const optuna = await Promise.all(optunaPromises);
  const loadAtEnd = loadavg();
  const rows: Row[] = families.flatMap((family, i) => {
    const theirs = optuna[i]!.results;
    return [
      ...Object.entries(ours[family]!).map(([p, runs]) => rowOf(family, p, 'ours', runs, trials, ours[family]![unprunedRowOf(p)])),
      ...Object.entries(theirs).map(([p, r]) => rowOf(family, p, 'optuna', r.runs, trials, theirs[unprunedRowOf(p)]?.runs)),
    ];
  });
  // The headline line stays about the synthetic families (crossing first); fashion has its own line after it.
  const synthetic = families.filter((f) => f !== 'fashion');
  const headline = synthetic.includes('crossing') ? 'crossing' : synthetic[0];
  const others = synthetic.filter((f) => f !== headline).map((f) => `; ${f} curves: ${ashaVerdict(rows, f)}`).join('');
  const line = headline === undefined ? fashionLine(rows) : `pruners: asha step fraction ${ashaVerdict(rows, headline)} on the ${headline} curves${others}`;
  const lines = headline !== undefined && families.includes('fashion') ? [line, fashionLine(rows)] : [line];
  const text = rows.map((r) => `${r.family.padEnd(8)} ${r.side.padEnd(6)} ${r.pruner.padEnd(15)} steps ${r.stepFraction.median.toFixed(3)}  regret ${fmt(r.regret.median)} [${fmt(r.regret.q1)}, ${fmt(r.regret.q3)}]  sampled ${fmt(r.sampledRegret.median)}`);
  console.log(['median step fraction, final regret and sampled regret:', ...text].join('\n'));
  const load = `${loadAtStart.map((x) => x.toFixed(1)).join(' ')} at the start, ${loadAtEnd.map((x) => x.toFixed(1)).join(' ')} at the end`;
  const ranks = Object.fromEntries(families.map((f) => [f, rankCorrelations(f)]));
  const correlations = Object.fromEntries(families.map((f) => [f, ranks[f]!.all]));
  const bestQuarterCorrelations = Object.fromEntries(families.map((f) => [f, ranks[f]!.bestQuarter]));

  const fashion = fashionTable === undefined ? undefined : {
    configs: fashionTable.configs, epochs: fashionTable.epochs, command: fashionTable.command, date: fashionTable.date, data: fashionTable.data,
    totalCpuSeconds: fashionTable.totalCpuSeconds, diverged: fashionTable.curves.filter((c) => c.divergedAt !== null).length,
    divergedLoss: fashionCurves().divergedLoss, lowerBound: fashionCurves().lowerBound, replay: FASHION_REPLAY,
  };
  if (!write) {
    console.error('bench: --no-write: bench/results/pruners.json and docs/benchmarks.md left as they were');
    for (const l of lines) console.log(l);
    return;
  }
  writeResults('pruners', {
    command: benchCommand('pruners', args),
    standard,
    date: new Date().toISOString(),
    machine: { ...machineInfo(), loadAverage: { start: loadAtStart, end: loadAtEnd } },
    trials,
    maxSteps: Object.fromEntries(families.map((f) => [f, FAMILIES[f].maxSteps])),
    seeds: Array.from({ length: seeds }, (_, s) => s),
    families,
    rankCorrelations: correlations,
    bestQuarterRankCorrelations: bestQuarterCorrelations,
    ...(fashion === undefined ? {} : { fashionTable: fashion }),
    path: 'Study ask/report/tell; after every report the pruner from the registry is asked about the trial with the whole history (the call trialsToPrune makes inside decide)',
    summary: rows,
    ours: {
      sampler: 'tpe (random on the -random rows)',
      pruners: Object.fromEntries(families.map((f) => [f, oursFor(f)])),
      diagnostics: Object.fromEntries(families.map((f) => [f, diagnosticsFor(f)])),
      seconds: oursSeconds,
      runs: Object.fromEntries(Object.entries(ours).map(([family, byRow]) => [family, Object.fromEntries(Object.entries(byRow).map(([p, runs]) => [p, runs.map(withoutProgress)]))])),
    },
    optuna: Object.fromEntries(families.map((f, i) => [f, {
      ...optuna[i],
      results: Object.fromEntries(Object.entries(optuna[i]!.results).map(([p, r]) => [p, { ...r, runs: r.runs.map(withoutProgress) }])),
      versions: venv.versions,
    }])),
  });
  const first = optuna[0]!;
  writeBenchmarkSection('pruners', renderSection({
    rows, families, rankCorrelations: correlations, bestQuarterCorrelations,
    optuna: { version: first.optuna, python: first.python, pruners: Object.fromEntries(families.map((f, i) => [f, optuna[i]!.pruners])) },
    args, line, seeds, trials, standard, defaultSeeds: SEEDS, load, reusedOptuna, ...(fashion === undefined ? {} : { fashion }),
  }));
  console.error(`bench: wrote bench/results/pruners.json and the pruners section of docs/benchmarks.md (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  for (const l of lines) console.log(l);
}
