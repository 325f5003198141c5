/**
 * Our GP against Optuna 5.0's on identical histories — a check of the model and the search, not a
 * race: `node --import tsx bench/strategies/gp-parity.ts <problem> [seed] [trials] [settings-json]`.
 *
 * Runs our `gp` for `trials` (default 80) on a float-only problem of the samplers benchmark, then
 * at every 10th trial count n ≥ the start-up trials: fits our kernel parameters on the first n
 * trials and asks our sampler for trial n + 1; gp_parity.py (in the strategies virtualenv) fits
 * Optuna's GP on the same points, maximises Optuna's LogEI, and scores our proposal with that same
 * LogEI. Per n it prints both MAP losses (equal: same hyperparameters) and the LogEI gap (Optuna's
 * argmax minus our proposal; ≈ 0 or negative: our search finds what Optuna's finds).
 *
 * Settings default to Optuna's configuration — no output warp, the fit on every trial, one fit
 * start, the search over the whole cube (no trust region) — so that any gap is a difference in the implementation rather than in the choices.
 * Measured 2026-11-25 on Hartmann-6 and Rosenbrock-4 (seed 0, 80 trials): MAP losses equal to
 * 3 decimals, LogEI gap 0 at most trial counts and within ±0.5 elsewhere (both signs).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { GpEncoding } from '../../operator/samplers/gp/encode.js';
import { fitKernelParams } from '../../operator/samplers/gp/fit.js';
import { buildTrainingSet } from '../../operator/samplers/gp/history.js';
import { parseGpOptions } from '../../operator/samplers/gp/options.js';
import { GpSampler } from '../../operator/samplers/gp/sampler.js';
import { Rng } from '../../operator/samplers/rng.js';
import type { TrialRecord } from '../../operator/samplers/types.js';
import { SearchSpace } from '../../operator/space/space.js';
import { benchCacheDir } from '../lib/venv.js';
import { problems } from '../samplers/problems.js';
import { strategiesVenv } from './venv.js';

const PARITY_SETTINGS = { outputWarp: 'none', maxFitTrials: 5000, maxTrials: 5000, fitStarts: 1, trustRegion: false };

function main(): void {
  const [name = 'hartmann6', seedArg = '0', trialsArg = '80', settingsArg] = process.argv.slice(2);
  const problem = problems.find((p) => p.name === name);
  if (problem === undefined) throw new Error(`unknown problem ${name}`);
  const seed = Number(seedArg);
  const trials = Number(trialsArg);
  const options = parseGpOptions({ ...PARITY_SETTINGS, ...(settingsArg === undefined ? {} : (JSON.parse(settingsArg) as Record<string, unknown>)) });
  const space = SearchSpace.parse(problem.parameters);
  if (space.params.some((p) => p.type !== 'float' || p.log === true || p.step !== undefined)) throw new Error(`${name}: only plain float spaces are supported`);
  const enc = new GpEncoding(space);
  const sampler = new GpSampler(options);
  const ctx = (index: number) => ({ index, seed, goal: 'minimize' as const, rng: new Rng(seed, index, 'gp') });

  const records: TrialRecord[] = [];
  const checks: unknown[] = [];
  for (let t = 0; t < trials; t++) {
    const s = sampler.suggest(space, records, ctx(t));
    if (!('params' in s)) throw new Error('exhausted');
    if (t >= options.startupTrials && t % 10 === 0) {
      const train = buildTrainingSet(records, enc, 'minimize', options.maxTrials, 0, options.outputWarp);
      const params = fitKernelParams(train.x, train.y, train.n, enc.d, enc.categorical, { starts: options.fitStarts, deterministic: options.deterministic });
      checks.push({ n: t, params: { invSqLengthscales: Array.from(params.invSqLengthscales), scale: params.scale, noise: params.noise }, proposal: Array.from(enc.encode(s.params) as Float64Array) });
    }
    records.push({ index: t, params: s.params, state: 'succeeded', value: problem.evaluate(s.params) });
  }

  const venv = strategiesVenv();
  mkdirSync(benchCacheDir, { recursive: true });
  const file = join(benchCacheDir, `gp-parity-${name}-${seed}.json`);
  writeFileSync(file, JSON.stringify({ X: records.map((r) => Array.from(enc.encode(r.params) as Float64Array)), losses: records.map((r) => r.value), checks }));
  const script = fileURLToPath(new URL('./gp_parity.py', import.meta.url));
  const py = spawnSync(venv.python, [script, file], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (py.status !== 0) throw new Error(`gp_parity.py failed: ${py.stderr}`);
  const rows = JSON.parse(py.stdout) as { n: number; mapLossOptuna: number; mapLossAtOurs: number; logEiOptunaArgmax: number; logEiAtOurProposal: number }[];
  console.log(`${name}, seed ${seed}, settings ${JSON.stringify(options)}`);
  console.log('   n  MAP loss Optuna  at ours   LogEI Optuna argmax  at our proposal   gap');
  for (const r of rows) {
    const gap = r.logEiOptunaArgmax - r.logEiAtOurProposal;
    console.log(`${String(r.n).padStart(4)}  ${r.mapLossOptuna.toFixed(3).padStart(14)}  ${r.mapLossAtOurs.toFixed(3).padStart(8)}   ${r.logEiOptunaArgmax.toFixed(3).padStart(18)}  ${r.logEiAtOurProposal.toFixed(3).padStart(15)}  ${gap.toFixed(3).padStart(6)}`);
  }
}

main();
