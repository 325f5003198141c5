/**
 * `npm run bench -- samplers [--quick]`: sampler quality, ours against Optuna's, on the same
 * problems (bench/samplers/problems.json), the same budget (200 trials) and the same seeds (0–19).
 *
 * Full run: installs Optuna from PyPI into a throwaway virtualenv, runs its TPE, random and QMC
 * samplers (bench/samplers/optuna_runner.py) in a child process while our TPE, random and Sobol
 * run here (the machine has two cores), then writes bench/results/samplers.json — the command,
 * the machine, the Optuna version, every seed's regrets — and the `samplers` section of
 * docs/benchmarks.md. The Optuna figures in that file are the frozen reference for `--quick`.
 *
 * `--quick`: our side only, seeds 0–4, against the frozen Optuna regrets of the same five seeds
 * (medians over the same seeds on both sides, so the comparison stays like for like); writes
 * nothing. Both end with `samplers: worst ratio <x>`: the largest over problems of our TPE's
 * median final regret over Optuna TPE's (regrets floored at 1e-9, so two solved medians give 1).
 *
 * For development, `--seeds N`, `--trials T` and `--problems a,b` shrink a run; such a run is
 * printed but not written.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checkpointsFor, parseProblemRun, type ProblemRun } from './lib/problem-run.js';
import { benchCommand, machineInfo, median, readResults, writeBenchmarkSection, writeResults } from './lib/results.js';
import { benchCacheDir, ensureVenv } from './lib/venv.js';
import { isRegistered, OUR_SAMPLERS, runOurs } from './samplers/ours.js';
import { problems } from './samplers/problems.js';
import { checkpointTable, type Curves, type FinalRegrets, finalsOf, fmt, fmtRatio, markdownTable, type ProblemSummary, SOLVED_REGRET, summarize, textTable, worstRatio } from './samplers/summary.js';

export const OPTUNA_REQUIREMENTS = ['optuna==5.0.0', 'scipy'];
const runner = fileURLToPath(new URL('./samplers/optuna_runner.py', import.meta.url));

/** What optuna_runner.py writes. */
interface OptunaOutput {
  optuna: string;
  python: string;
  seeds: number[];
  trials: number;
  checkpoints: number[];
  samplers: Record<string, string>;
  tpeDefaults: Record<string, string>;
  results: Record<string, Record<string, { curves: number[][]; seconds: number }>>;
}

/** The shape of bench/results/samplers.json (what `--quick` reads back). */
interface SamplersResults {
  optuna: OptunaOutput & { versions: Record<string, string>; final: FinalRegrets };
}

type Options = ProblemRun;

/** Runs our samplers on every problem and seed; progress to stderr. */
function runOurSide(opts: Options, checkpoints: number[]) {
  const curves: Record<string, Record<string, number[][]>> = {};
  const seconds: Record<string, number> = {};
  const samplers = OUR_SAMPLERS.filter((s) => {
    if (isRegistered(s)) return true;
    console.error(`ours   ${s}: not registered in operator/samplers/registry.ts, skipped`);
    return false;
  });
  for (const problem of opts.problems) {
    curves[problem.name] = {};
    for (const sampler of samplers) {
      const started = performance.now();
      const runs = Array.from({ length: opts.seeds }, (_, seed) => runOurs(problem, sampler, seed, checkpoints));
      const took = (performance.now() - started) / 1000;
      seconds[sampler] = (seconds[sampler] ?? 0) + took;
      curves[problem.name]![sampler] = runs;
      const finals = runs.map((c) => c[c.length - 1] as number);
      console.error(`ours   ${sampler.padEnd(6)} ${problem.name.padEnd(18)} ${opts.seeds} seeds, median final regret ${fmt(median(finals))} (${took.toFixed(1)} s)`);
    }
  }
  return { samplers, curves, seconds };
}

/** Starts Optuna's side in a child process; resolves with its output once it exits. */
function startOptuna(python: string, opts: Options, out: string): Promise<OptunaOutput> {
  const args = [runner, '--trials', String(opts.trials), '--seeds', `0-${opts.seeds - 1}`, '--problems', opts.problems.map((p) => p.name).join(','), '--out', out];
  const child = spawn(python, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`optuna_runner.py exited with ${code}`));
      else resolve(JSON.parse(readFileSync(out, 'utf8')) as OptunaOutput);
    });
  });
}

function finalLine(summaries: readonly ProblemSummary[]): string {
  const worst = worstRatio(summaries);
  return worst === undefined ? 'samplers: worst ratio n/a (our tpe did not run)' : `samplers: worst ratio ${fmtRatio(worst.ratio)}`;
}

export async function run(args: string[]): Promise<void> {
  const opts = parseProblemRun(args);
  const checkpoints = checkpointsFor(opts.trials);
  const started = performance.now();

  if (opts.quick) {
    const frozen = readResults<SamplersResults>('samplers');
    if (frozen === undefined) throw new Error('bench/results/samplers.json is missing: run `npm run bench -- samplers` once first');
    const optunaFinals: FinalRegrets = {};
    for (const [problem, bySampler] of Object.entries(frozen.optuna.final)) {
      optunaFinals[problem] = Object.fromEntries(Object.entries(bySampler).map(([s, regrets]) => [s, regrets.slice(0, opts.seeds)]));
    }
    const ours = runOurSide(opts, checkpoints);
    const summaries = summarize(opts.problems.map((p) => p.name), finalsOf(ours.curves), optunaFinals);
    console.log(`quick: our side, seeds 0-${opts.seeds - 1}, against frozen Optuna ${frozen.optuna.optuna} regrets of the same seeds (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    console.log(textTable(summaries));
    console.log(finalLine(summaries));
    return;
  }

  const venv = ensureVenv('optuna', OPTUNA_REQUIREMENTS);
  console.error(`bench: Optuna ${venv.versions.optuna} (scipy ${venv.versions.scipy}); ${opts.problems.length} problems x ${opts.trials} trials x ${opts.seeds} seeds, both sides in parallel`);
  mkdirSync(benchCacheDir, { recursive: true });
  const optunaPromise = startOptuna(venv.python, opts, join(benchCacheDir, 'samplers-optuna.json'));
  // Let the child start before our synchronous loop takes this thread.
  await new Promise((r) => setTimeout(r, 200));
  const ours = runOurSide(opts, checkpoints);
  const optuna = await optunaPromise;
  const optunaCurves: Curves = Object.fromEntries(Object.entries(optuna.results).map(([p, r]) => [p, Object.fromEntries(Object.entries(r).map(([s, v]) => [s, v.curves]))]));
  const optunaFinals = finalsOf(optunaCurves);
  const oursFinals = finalsOf(ours.curves);
  const summaries = summarize(opts.problems.map((p) => p.name), oursFinals, optunaFinals);
  const line = finalLine(summaries);
  console.log(textTable(summaries));

  if (!opts.standard) {
    console.error('bench: non-standard run (--seeds/--trials/--problems): results not written');
  } else {
    const optunaSeconds: Record<string, number> = {};
    for (const r of Object.values(optuna.results)) for (const [s, v] of Object.entries(r)) optunaSeconds[s] = (optunaSeconds[s] ?? 0) + v.seconds;
    writeResults('samplers', {
      command: benchCommand('samplers', args),
      date: new Date().toISOString(),
      machine: machineInfo(),
      trials: opts.trials,
      seeds: Array.from({ length: opts.seeds }, (_, s) => s),
      checkpoints,
      solvedRegret: SOLVED_REGRET,
      problems: opts.problems.map(({ name, fStar, note }) => ({ name, fStar, note })),
      worstRatio: worstRatio(summaries) ?? null,
      summary: summaries,
      ours: { samplers: ours.samplers, seconds: ours.seconds, final: oursFinals, curves: ours.curves },
      optuna: { ...optuna, versions: venv.versions, seconds: optunaSeconds, final: optunaFinals },
    });
    const progress = checkpointTable(opts.problems.map((p) => p.name), checkpoints, ours.curves, optunaCurves);
    writeBenchmarkSection('samplers', renderSection(summaries, optuna, venv.versions, args, line, ours.seconds, optunaSeconds, progress));
    console.error('bench: wrote bench/results/samplers.json and the samplers section of docs/benchmarks.md');
  }
  console.error(`bench: ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  console.log(line);
}

function renderSection(
  summaries: readonly ProblemSummary[],
  optuna: OptunaOutput,
  versions: Record<string, string>,
  args: string[],
  line: string,
  oursSeconds: Record<string, number>,
  optunaSeconds: Record<string, number>,
  progress: string,
): string {
  const losses = summaries.flatMap((s) => s.pairs.filter((p) => p.label === 'TPE' && p.ratio !== undefined && p.ratio > 1).map((p) => `${s.problem} (×${fmtRatio(p.ratio as number)})`));
  const noise = summaries.map((s) => s.pairs.find((p) => p.label === 'random')?.ratio).filter((r): r is number => r !== undefined);
  const band = noise.length > 0 ? `Random against random, which differ only in their random streams, gives ratios from ${fmtRatio(Math.min(...noise))} to ${fmtRatio(Math.max(...noise))} here: ratios inside that band are within seed noise.` : '';
  const secs = (r: Record<string, number>) => Object.entries(r).map(([s, t]) => `${s} ${t.toFixed(0)} s`).join(', ');
  const m = machineInfo();
  return `## Samplers: quality against Optuna

\`${benchCommand('samplers', args)}\` — ${problems.length} problems × ${optuna.trials} trials × ${optuna.seeds.length} seeds, sequential
ask/tell, on ${m.cpus} × ${m.cpuModel} (${new Date().toISOString().slice(0, 10)}). Optuna ${versions.optuna} (scipy
${versions.scipy}, Python ${optuna.python}) from PyPI: \`TPESampler(seed=s)\` with that version's defaults
(multivariate for a single objective, constant liar, 10 start-up trials, 24 candidates),
\`RandomSampler(seed=s)\`, \`QMCSampler(qmc_type='sobol', scramble=True, seed=s)\`. Ours: \`tpe\`, \`random\`,
\`sobol\` through \`Study\` with default settings and \`seed: s\`. The problems and their known minima are in
\`bench/samplers/problems.json\`; every seed's regrets are in \`bench/results/samplers.json\`.

**How to read it.** Each cell is the median over seeds of the *final regret* — the best value found
in ${optuna.trials} trials minus the problem's known global minimum (0 = found it; lower is better) — with the
quartiles in brackets. *ratio* = our median / Optuna's median for the pair (below 1: we do better;
bold: we do worse); regrets at or below ${SOLVED_REGRET} count as solved, so two solved medians give 1.
The final line is the largest TPE ratio over problems. \`npm run bench -- samplers --quick\` re-runs only
our side on seeds 0–4 (under a minute) against the Optuna regrets frozen here for the same five seeds. Random search is there to calibrate: its two
columns should agree up to seed noise (different random streams), which shows how large a ratio
noise alone produces. Our Sobol is Owen-scrambled, Optuna's QMC uses SciPy's LMS + shift; Optuna
samples the first trial and any conditional parameter at random.

${markdownTable(summaries)}

${line}${losses.length > 0 ? ` — TPE ratios above 1: ${losses.join(', ')}.` : ' — our TPE is at least as good as Optuna\'s on every problem.'}
${band}
Time spent: ours ${secs(oursSeconds)}; Optuna ${secs(optunaSeconds)} (both sides shared the machine's cores).

TPE's median best-so-far regret as the trials go by, ours / Optuna's (the first 10 trials of both
are random start-up trials), to see when a gap opens:

${progress}`;
}
