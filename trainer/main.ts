#!/usr/bin/env node
/**
 * `kubetune-trainer`: the default trial workload (design.md §1, §5).
 *
 *   kubetune-trainer --config trainer.yaml            # parameters from the trial contract
 *   kubetune-trainer --dataset iris --param learning_rate=0.01 --param layers=2
 *
 * Parameters come from `KUBETUNE_PARAMS_FILE` and `KUBETUNE_PARAM_*` (then `--param`, for local
 * runs); the trainer config (dataset, task, model family, fixed settings) from `--config` and
 * flags. Exit status: 0 succeeded, 1 training failed, 2 bad parameter or config, 3 bad dataset,
 * 143 stopped by SIGTERM (the partial result is written first).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_RESULT_FILE, ENV } from '../operator/api/trial-contract.js';
import { selectBackend } from './backend/select.js';
import { readTrialParams, resolveParams } from './config/params.js';
import { datasetOptions } from './config/dataset-flag.js';
import { parseTrainerConfig, readConfigFile } from './config/trainer-config.js';
import { EXIT_TERMINATED, TrainerError, invalidParameter } from './errors.js';
import { Reporter } from './report/reporter.js';
import { runTraining } from './run.js';
import { StopSignal } from './signals.js';

interface Flags {
  config?: string;
  dataset?: string;
  label?: string;
  task?: string;
  model?: string;
  folds?: string;
  limit?: string;
  seed?: string;
  backend?: string;
  objective?: string;
  param: string[];
  outputDir?: string;
  resultFile?: string;
}

function program(name: string): Command {
  return new Command(name)
    .description('Train an MLP or CNN from trial parameters and report through the kubetune trial contract.')
    .option('-c, --config <file>', 'trainer config (JSON or YAML)')
    .option('--dataset <name|file|dir>', 'a shipped dataset (iris, wine, digits, diabetes), a CSV file, or a directory of IDX files')
    .option('--label <column>', 'label column of a CSV dataset')
    .addOption(new Option('--task <task>').choices(['classification', 'regression']))
    .addOption(new Option('--model <family>').choices(['mlp', 'cnn']))
    .option('--folds <k>', 'k-fold cross-validation')
    .option('--limit <n>', 'read at most n examples per file')
    .option('--seed <n>', `trial seed (default ${ENV.seed}, then the config's seed)`)
    .addOption(new Option('--backend <name>').choices(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']))
    .option('--objective <metric>', 'metric the study optimises (early stopping and checkpoints follow it)')
    .option('-p, --param <name=value>', 'set a parameter (repeatable; overrides the environment)', (v: string, all: string[]) => [...all, v], [])
    .option('--output-dir <dir>', `output directory (default ${ENV.outputDir})`)
    .option('--result-file <path>', `final result document (default ${ENV.resultFile}, then ${DEFAULT_RESULT_FILE})`);
}

function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new TrainerError('InvalidConfig', `--${name} expects a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Config file first, flags over it. */
function configFromFlags(flags: Flags): Record<string, unknown> {
  const raw: Record<string, unknown> = flags.config !== undefined ? readConfigFile(flags.config) : {};
  if (flags.dataset !== undefined) raw.dataset = datasetOptions(flags.dataset, flags.label);
  else if (flags.label !== undefined && typeof raw.dataset === 'object' && raw.dataset !== null) (raw.dataset as Record<string, unknown>).label = flags.label;
  const set = (key: string, value: unknown) => value !== undefined && (raw[key] = value);
  set('task', flags.task);
  set('model', flags.model);
  set('folds', integerFlag('folds', flags.folds));
  set('limit', integerFlag('limit', flags.limit));
  set('backend', flags.backend);
  set('objective', flags.objective);
  return raw;
}

function paramFlags(values: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw invalidParameter(pair, 'expected --param name=value');
    const text = pair.slice(eq + 1);
    // JSON when it parses (numbers, booleans, arrays for `features`), the bare string otherwise.
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      /* a plain string such as relu */
    }
    out[pair.slice(0, eq)] = value;
  }
  return out;
}

function trialSeed(flags: Flags, env: NodeJS.ProcessEnv, fallback: number): number {
  const text = flags.seed ?? env[ENV.seed];
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2 ** 32 - 1) throw new TrainerError('InvalidConfig', `seed must be an integer in [0, 2^32), got ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * Runs the trainer with `argv` (without node and the script); resolves to the exit status.
 * `name` is the command its help and errors show (`kubetune train` runs it through the CLI).
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, name = 'kubetune-trainer'): Promise<number> {
  const cli = program(name).exitOverride();
  let flags: Flags;
  try {
    flags = cli.parse(argv, { from: 'user' }).opts<Flags>();
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.version')) return 0;
    const reporter = new Reporter({ resultFile: env[ENV.resultFile] || DEFAULT_RESULT_FILE });
    reporter.finish({ status: 'failed', reason: 'InvalidConfig', message: (err as Error).message, metrics: {} });
    return 2;
  }
  const outputDir = flags.outputDir ?? (env[ENV.outputDir] || undefined);
  const reporter = new Reporter({ resultFile: flags.resultFile ?? (env[ENV.resultFile] || DEFAULT_RESULT_FILE), ...(outputDir ? { outputDir } : {}) });
  const stop = new StopSignal().install();
  try {
    const config = parseTrainerConfig(configFromFlags(flags));
    const params = resolveParams(config.params, { ...readTrialParams(env), ...paramFlags(flags.param) });
    const seed = trialSeed(flags, env, config.seed);
    const backend = await selectBackend(config.backend);
    const result = await runTraining({ config, params, seed, backend, ...(outputDir ? { outputDir } : {}), reporter, stop });
    reporter.finish(result);
    return result.status === 'succeeded' ? 0 : result.status === 'pruned' ? EXIT_TERMINATED : 1;
  } catch (err) {
    if (err instanceof TrainerError) {
      reporter.log(`${err.reason}: ${err.message}`);
      reporter.finish({ status: 'failed', reason: err.reason, message: err.message, metrics: {} });
      return err.exitCode;
    }
    reporter.log(`internal error (a bug; please report it): ${(err as Error).stack ?? String(err)}`);
    reporter.finish({ status: 'failed', reason: 'InternalError', message: (err as Error).message ?? String(err), metrics: {} });
    return 1;
  } finally {
    stop.uninstall();
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2));
  process.exit(code);
}
