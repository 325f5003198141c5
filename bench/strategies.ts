/**
 * `npm run bench -- strategies [--quick] [--seeds N] [--trials T] [--problems a,b] [--sides ours]
 * [--samplers gp,auto]`: our GP, CMA-ES,
 * evolution and `auto` against Optuna 5.0's `GPSampler`, `CmaEsSampler` and `NSGAIISampler` on the
 * problems of the samplers benchmark (bench/samplers/problems.json), with the same budget (200
 * trials) and seeds (0–19) on both sides, plus the time of one GP suggestion at 500 trials.
 *
 * Full run: builds the virtualenv (bench/strategies/venv.ts), runs Optuna's side in a child
 * process (bench/strategies/optuna_runner.py) while ours runs here, and writes
 * bench/results/strategies.json — the command, the machine, the versions, every seed's regrets —
 * and the `strategies` section of docs/benchmarks.md. `--seeds`/`--trials`/`--problems` shrink a
 * run (the machine is small and shared); such a run is still written, with exactly what ran, and
 * marked non-standard. Optuna's side keeps every (problem, sampler, seed) run in
 * bench/.cache/strategies-optuna-runs and reuses it (its samplers are deterministic per seed: a
 * rerun of the recorded 20-seed run reproduced every curve), so the standard run, hours of
 * GPSampler time here, can be built up over several sittings. `--quick`: our side only, seeds 0–4, against the frozen Optuna regrets of
 * the same seeds in strategies.json; writes nothing. `--sides ours`: our side only, any number of
 * seeds, every seed's final regret printed, no Optuna and nothing written — for trying a change
 * on many seeds at the cost of seconds (Optuna's GPSampler takes minutes per run).
 * `--samplers` restricts our side to some of `OUR_STRATEGIES` (with `--sides ours` or `--quick`).
 *
 * Ends with `strategies: auto worst ratio <x>`: the largest over problems of our `auto`'s median
 * final regret over the median of the best Optuna sampler on that problem (regrets floored at 1e-9).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AutoSampler, DEFAULT_AUTO_OPTIONS } from '../operator/samplers/auto.js';
import { SearchSpace } from '../operator/space/space.js';
import { checkpointsFor, parseProblemRun, type ProblemRun, STANDARD_SEEDS, STANDARD_TRIALS } from './lib/problem-run.js';
import { benchCommand, machineInfo, median, readResults, writeBenchmarkSection, writeResults } from './lib/results.js';
import { benchCacheDir } from './lib/venv.js';
import { problems } from './samplers/problems.js';
import { type Curves, type FinalRegrets, finalsOf, fmt, fmtRatio, SOLVED_REGRET } from './samplers/summary.js';
import { OUR_STRATEGIES, runStrategy, type SuggestTiming, timeGpSuggest } from './strategies/ours.js';
import { type StrategyRow, strategiesTable, strategiesText, summarizeStrategies, worstAutoRatio } from './strategies/summary.js';
import { strategiesVenv } from './strategies/venv.js';

const TIMING_HISTORY = 500;
const TIMING_CALLS = 10;
/** Problems for the GP timing: the 6-D and the 10-D continuous ones. */
const TIMING_PROBLEMS = ['hartmann6', 'styblinski-tang10'];
const runner = fileURLToPath(new URL('./strategies/optuna_runner.py', import.meta.url));

interface OptunaOutput {
  optuna: string;
  python: string;
  seeds: number[];
  trials: number;
  checkpoints: number[];
  samplers: Record<string, string>;
  results: Record<string, Record<string, { curves: number[][]; seconds: number }>>;
  /** Runs read back from the run cache; their time is not in `seconds`. */
  cachedRuns: number;
}

interface StrategiesResults {
  trials: number;
  seeds: number[];
  optuna: { final: FinalRegrets; optuna: string };
}

interface Options extends ProblemRun {
  oursOnly: boolean;
  samplers: readonly string[];
}

function parseOptions(args: string[]): Options {
  const run = parseProblemRun(args, { sides: { type: 'string' }, samplers: { type: 'string' } });
  const sides = run.values.sides ?? 'both';
  if (sides !== 'both' && sides !== 'ours') throw new Error(`--sides must be ours or both, got ${String(sides)}`);
  const samplers = typeof run.values.samplers === 'string' ? run.values.samplers.split(',') : [...OUR_STRATEGIES];
  const unknown = samplers.filter((s) => !(OUR_STRATEGIES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown sampler ${unknown.join(',')}; known: ${OUR_STRATEGIES.join(', ')}`);
  const oursOnly = sides === 'ours';
  if (samplers.length < OUR_STRATEGIES.length && !oursOnly && !run.quick) throw new Error('--samplers needs --sides ours or --quick (a written run has every sampler)');
  return { ...run, oursOnly, samplers };
}

/** Which sampler `auto` runs on each problem at this budget. */
function autoChoices(opts: Options): Record<string, string> {
  const auto = new AutoSampler({ ...DEFAULT_AUTO_OPTIONS, budget: opts.trials });
  return Object.fromEntries(opts.problems.map((p) => [p.name, auto.choice(SearchSpace.parse(p.parameters))]));
}

/**
 * Our side: every (problem, sampler, seed). `auto` delegates exactly — the same trials as the
 * sampler it chose, with the same seed (operator/samplers/auto.ts; test/unit/samplers/auto.test.ts)
 * — so where it chose a sampler this run already ran on the problem, its studies are that
 * sampler's: only seed 0 is run again through `auto`, and a difference stops the benchmark. This
 * halves the time of a standard run (auto chooses gp on five of the six problems).
 */
function runOurSide(opts: Options, checkpoints: number[], choices: Record<string, string>) {
  const curves: Curves = {};
  const seconds: Record<string, number> = {};
  const shared: string[] = [];
  for (const problem of opts.problems) {
    curves[problem.name] = {};
    for (const sampler of opts.samplers) {
      const started = performance.now();
      const chosen = sampler === 'auto' ? curves[problem.name]![choices[problem.name] ?? ''] : undefined;
      if (chosen !== undefined && opts.seeds > 0) {
        const check = runStrategy(problem, 'auto', 0, checkpoints);
        if (check.some((v, i) => v !== chosen[0]![i])) {
          throw new Error(`auto on ${problem.name}, seed 0, differs from ${choices[problem.name]} with the same seed: ${check.join(' ')} vs ${chosen[0]!.join(' ')}`);
        }
        shared.push(problem.name);
      }
      const runs = chosen ?? Array.from({ length: opts.seeds }, (_, seed) => runStrategy(problem, sampler, seed, checkpoints));
      const took = (performance.now() - started) / 1000;
      seconds[sampler] = (seconds[sampler] ?? 0) + took;
      curves[problem.name]![sampler] = runs;
      const how = chosen === undefined ? '' : `, ${choices[problem.name]}'s studies (seed 0 run again through auto: the same)`;
      console.error(`ours   ${sampler.padEnd(9)} ${problem.name.padEnd(18)} ${opts.seeds} seeds, median final regret ${fmt(median(runs.map((c) => c[c.length - 1] as number)))} (${took.toFixed(1)} s${how})`);
    }
  }
  return { curves, seconds, shared };
}

function startOptuna(python: string, opts: Options, out: string): Promise<OptunaOutput> {
  // Each (problem, sampler, seed) run is kept in a cache folder and reused: Optuna's samplers are
  // deterministic per seed, and its GPSampler takes minutes per run here.
  const args = [
    runner, '--trials', String(opts.trials), '--seeds', `0-${opts.seeds - 1}`, '--problems', opts.problems.map((p) => p.name).join(','),
    '--out', out, '--seed-cache', join(benchCacheDir, 'strategies-optuna-runs'),
  ];
  const child = spawn(python, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code !== 0 ? reject(new Error(`strategies optuna_runner.py exited with ${code}`)) : resolve(JSON.parse(readFileSync(out, 'utf8')) as OptunaOutput)));
  });
}

function timings(): SuggestTiming[] {
  return problems.filter((p) => TIMING_PROBLEMS.includes(p.name)).map((p) => {
    const t = timeGpSuggest(p, TIMING_HISTORY, TIMING_CALLS);
    console.error(`ours   gp suggest at ${t.history} trials on ${t.problem}: median ${t.wallMs.median.toFixed(1)} ms wall, ${t.cpuMs.median.toFixed(1)} ms CPU (max ${t.wallMs.max.toFixed(1)} ms wall over ${t.calls} calls)`);
    return t;
  });
}

const finalLine = (rows: readonly StrategyRow[]) => {
  const worst = worstAutoRatio(rows);
  return worst === undefined ? 'strategies: auto worst ratio n/a' : `strategies: auto worst ratio ${fmtRatio(worst.ratio)}`;
};

export async function run(args: string[]): Promise<void> {
  const opts = parseOptions(args);
  const checkpoints = checkpointsFor(opts.trials);
  const started = performance.now();
  const choices = autoChoices(opts);

  if (opts.oursOnly) {
    const ours = runOurSide(opts, checkpoints, choices);
    for (const [problem, bySampler] of Object.entries(finalsOf(ours.curves))) {
      for (const [sampler, finals] of Object.entries(bySampler)) {
        console.log(`${problem.padEnd(18)} ${sampler.padEnd(9)} median ${fmt(median(finals))}  per seed ${finals.map((v) => v.toPrecision(3)).join(' ')}`);
      }
    }
    console.log(`ours only: seeds 0-${opts.seeds - 1}, ${opts.trials} trials, auto chose ${JSON.stringify(choices)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return;
  }

  if (opts.quick) {
    const frozen = readResults<StrategiesResults>('strategies');
    if (frozen === undefined) throw new Error('bench/results/strategies.json is missing: run `npm run bench -- strategies` once first');
    // Like for like: the frozen figures are final regrets after `frozen.trials` trials over its seeds.
    if (frozen.trials !== opts.trials) throw new Error(`the frozen Optuna figures are for ${frozen.trials} trials: run --quick --trials ${frozen.trials}`);
    if (opts.seeds > frozen.seeds.length) throw new Error(`the frozen Optuna figures cover ${frozen.seeds.length} seeds: run --quick --seeds ${frozen.seeds.length} or fewer`);
    const optunaFinals: FinalRegrets = {};
    for (const [problem, bySampler] of Object.entries(frozen.optuna.final)) {
      optunaFinals[problem] = Object.fromEntries(Object.entries(bySampler).map(([s, r]) => [s, r.slice(0, opts.seeds)]));
    }
    const ours = runOurSide(opts, checkpoints, choices);
    const rows = summarizeStrategies(opts.problems.map((p) => p.name), finalsOf(ours.curves), optunaFinals, choices);
    timings();
    console.log(`quick: our side, seeds 0-${opts.seeds - 1}, against frozen Optuna ${frozen.optuna.optuna} regrets of the same seeds (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    console.log(strategiesText(rows));
    console.log(finalLine(rows));
    return;
  }

  const venv = strategiesVenv();
  console.error(`bench: Optuna ${venv.versions.optuna}, cmaes ${venv.versions.cmaes}, torch ${venv.versions.torch} (from ${venv.torchFrom}); ${opts.problems.length} problems x ${opts.trials} trials x ${opts.seeds} seeds, both sides in parallel`);
  mkdirSync(benchCacheDir, { recursive: true });
  const optunaPromise = startOptuna(venv.python, opts, join(benchCacheDir, 'strategies-optuna.json'));
  await new Promise((r) => setTimeout(r, 200));
  const ours = runOurSide(opts, checkpoints, choices);
  const gpTiming = timings();
  const optuna = await optunaPromise;
  const optunaCurves: Curves = Object.fromEntries(Object.entries(optuna.results).map(([p, r]) => [p, Object.fromEntries(Object.entries(r).map(([s, v]) => [s, v.curves]))]));
  const optunaFinals = finalsOf(optunaCurves);
  const oursFinals = finalsOf(ours.curves);
  const rows = summarizeStrategies(opts.problems.map((p) => p.name), oursFinals, optunaFinals, choices);
  const line = finalLine(rows);
  console.log(strategiesText(rows));

  const optunaSeconds: Record<string, number> = {};
  for (const r of Object.values(optuna.results)) for (const [s, v] of Object.entries(r)) optunaSeconds[s] = (optunaSeconds[s] ?? 0) + v.seconds;
  writeResults('strategies', {
    command: benchCommand('strategies', args),
    standard: opts.standard,
    date: new Date().toISOString(),
    machine: machineInfo(),
    trials: opts.trials,
    seeds: Array.from({ length: opts.seeds }, (_, s) => s),
    checkpoints,
    solvedRegret: SOLVED_REGRET,
    problems: opts.problems.map(({ name, fStar, note }) => ({ name, fStar, note })),
    autoChoices: choices,
    worstAutoRatio: worstAutoRatio(rows) ?? null,
    summary: rows,
    gpSuggest: gpTiming,
    ours: { samplers: OUR_STRATEGIES, seconds: ours.seconds, autoSharedWithChoice: ours.shared, final: oursFinals, curves: ours.curves },
    optuna: { ...optuna, versions: venv.versions, torchFrom: venv.torchFrom, seconds: optunaSeconds, final: optunaFinals },
  });
  writeBenchmarkSection('strategies', renderSection(rows, optuna, venv.versions, args, line, opts, gpTiming, ours.seconds, optunaSeconds, ours.shared));
  console.error('bench: wrote bench/results/strategies.json and the strategies section of docs/benchmarks.md');
  console.error(`bench: ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  console.log(line);
}

function renderSection(
  rows: readonly StrategyRow[],
  optuna: OptunaOutput,
  versions: Record<string, string>,
  args: string[],
  line: string,
  opts: Options,
  gp: readonly SuggestTiming[],
  oursSeconds: Record<string, number>,
  optunaSeconds: Record<string, number>,
  autoShared: readonly string[],
): string {
  const m = machineInfo();
  const secs = (r: Record<string, number>) => Object.entries(r).map(([s, t]) => `${s} ${t.toFixed(0)} s`).join(', ');
  const timing = gp.map((t) => `${t.problem}: median ${t.wallMs.median.toFixed(1)} ms wall / ${t.cpuMs.median.toFixed(1)} ms CPU, max ${t.wallMs.max.toFixed(1)} ms wall`).join('; ');
  const runs = optuna.seeds.length * Object.keys(optuna.samplers).length * Object.keys(optuna.results).length;
  const cached = optuna.cachedRuns > 0 ? ` — ${optuna.cachedRuns} of Optuna's ${runs} runs were read back from its run cache (made in earlier sittings; their time is not counted)` : '';
  const shrunk = opts.standard ? '' : `\n\n**Reduced run**: ${opts.seeds} seeds × ${opts.trials} trials instead of the standard ${STANDARD_SEEDS} × ${STANDARD_TRIALS} (the shared 2-core machine could not fit the full run in the time available); the medians below are over those seeds only.`;
  return `## Strategies: GP, CMA-ES, evolution and auto against Optuna

\`${benchCommand('strategies', args)}\` — ${opts.problems.length} problems × ${optuna.trials} trials × ${optuna.seeds.length} seeds
(${optuna.seeds[0]}–${optuna.seeds[optuna.seeds.length - 1]}), sequential ask/tell, on ${m.cpus} × ${m.cpuModel} (${new Date().toISOString().slice(0, 10)}).${shrunk}
Optuna ${versions.optuna} (cmaes ${versions.cmaes}, torch ${versions.torch}, Python ${optuna.python}) from PyPI:
\`GPSampler(seed=s)\`, \`CmaEsSampler(seed=s)\`, \`NSGAIISampler(seed=s)\` with that version's defaults. Ours: \`gp\`,
\`cmaes\`, \`evolution\` and \`auto\` through \`Study\` with default settings and \`seed: s\` (\`auto\` told the budget).
Same problems as the samplers benchmark (\`bench/samplers/problems.json\`); every seed's regrets are in
\`bench/results/strategies.json\`.

**How to read it.** Cells are the median over seeds of the final regret (best value found minus the
known minimum; lower is better), quartiles in brackets; *ratio* = ours / Optuna's (bold: we do worse),
regrets at or below ${SOLVED_REGRET} count as solved. Evolution is paired with NSGA-II, Optuna's
genetic algorithm. *auto (chose)* names the sampler \`auto\` ran on that problem (see
docs/samplers.md); *auto ratio* is its median over the best of Optuna's three on that problem, and
the final line is the worst auto ratio over problems. \`--quick\` re-runs our side on seeds 0–4 against
the Optuna regrets frozen here.

${strategiesTable(rows)}

${line}

GP suggestion time at ${TIMING_HISTORY} trials (${TIMING_CALLS} calls after a random-search history; goal < 100 ms): ${timing}.
Time spent: ours ${secs(oursSeconds)}; Optuna ${secs(optunaSeconds)}${cached} (both sides shared the machine's cores).${autoShared.length === 0 ? '' : `
On ${autoShared.join(', ')} \`auto\`'s studies are those of the sampler it chose, run once: \`auto\` proposes exactly that sampler's trials with the same seed (tested), and seed 0 was run again through \`auto\` to check it.`}`;
}
