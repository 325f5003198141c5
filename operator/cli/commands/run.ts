/**
 * `kubetune run <study>`: validates the study, then runs it on this machine with the local
 * runtime until it finishes, is stopped (Ctrl-C) or is suspended. Reads, plans, writes: the
 * choices about trials are the engine's, the processes and the results directory the runtime's;
 * this module wires them to the terminal.
 *
 * Exit codes: 0 study completed (or suspended), 1 invalid study or study Failed, 2 usage,
 * 130 stopped by Ctrl-C (resumable).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ResolvedSpec } from '../../api/types.js';
import { compileStudy } from '../../engine/compile.js';
import { countTrials } from '../../engine/summary.js';
import { bestTrial } from '../../engine/objective.js';
import type { ResultEvent } from '../../local/results-format.js';
import { readResults } from '../../local/results-reader.js';
import { loadLocalWarmStart } from '../../local/warm-start.js';
import { moveAside, ResultsDirBusyError } from '../../local/results-writer.js';
import { LocalRunner, type RunResult, StudyChangedError } from '../../local/runner.js';
import { ExitError, UsageError } from '../errors.js';
import { loadStudyFile } from '../load-study.js';
import { endMessage, interruptedMessage, startMessage, stopNotice } from '../messages.js';
import { JsonLines } from '../views/json.js';
import { PlainView } from '../views/plain.js';
import { TtyView } from '../views/tty.js';
import type { ProgressView } from '../views/types.js';

export const EXIT_STOPPED = 130;

function positiveInt(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** Applies --max-trials / --parallelism. Lowering maxTrials alone also lowers parallelism to fit. */
export function applyOverrides(spec: ResolvedSpec, options: Record<string, unknown>): ResolvedSpec {
  const maxTrials = positiveInt('--max-trials', options.maxTrials) ?? spec.budget.maxTrials;
  const explicit = positiveInt('--parallelism', options.parallelism);
  if (explicit !== undefined && explicit > maxTrials) {
    throw new UsageError(`--parallelism ${explicit} is more than the study's ${maxTrials} trials`);
  }
  const parallelism = explicit ?? Math.min(spec.budget.parallelism, maxTrials);
  return { ...spec, budget: { ...spec.budget, maxTrials, parallelism } };
}

export default async function run(args: string[], options: Record<string, unknown>): Promise<number> {
  const file = args[0] as string;
  // Flags first: a usage error should not wait for (or hide behind) the study's own problems.
  positiveInt('--max-trials', options.maxTrials);
  positiveInt('--parallelism', options.parallelism);
  const grace = Number(options.grace ?? 10);
  if (!Number.isFinite(grace) || grace < 0) throw new UsageError(`--grace must be a number of seconds, got ${JSON.stringify(options.grace)}`);
  const loaded = loadStudyFile(file);
  const spec = applyOverrides(loaded.resolved, options);
  const study = compileStudy(spec, { warmStart: loadLocalWarmStart(spec, dirname(resolve(file))) });
  const resultsDir = resolve(typeof options.resultsDir === 'string' ? options.resultsDir : join('kubetune-results', spec.name));

  const view: ProgressView = process.stderr.isTTY ? new TtyView() : new PlainView();
  const json = options.json === true ? new JsonLines() : undefined;
  if (options.fresh === true && existsSync(resultsDir)) view.note(`--fresh: previous results moved to ${moveAside(resultsDir, new Date())}`);
  const before = readResults(resultsDir);
  view.note(startMessage(spec, resultsDir, before.trials.length, before.finished?.reason));

  const died: number[] = [];
  const runner = new LocalRunner({
    study, studyFileText: loaded.text, studyDir: dirname(resolve(file)), resultsDir, graceMs: grace * 1000,
    onNote: (text) => view.note(text),
    onEvent: (e: ResultEvent, r) => {
      json?.event(e);
      if (e.type === 'trial-interrupted' && e.reason === 'RunnerDied') died.push(e.index);
      if (e.type === 'session-started' && died.length > 0) view.note(interruptedMessage(died));
      view.event(e, r);
    },
  });

  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts === 1) {
      view.note(stopNotice(runner.runningIndices.length));
      runner.requestStop();
    } else {
      runner.forceStop();
      view.close();
      process.stderr.write('killed running trials; run the same command again to resume\n');
      process.exit(EXIT_STOPPED);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  let result: RunResult;
  try {
    result = await runner.run();
  } catch (err) {
    if (err instanceof StudyChangedError) {
      const pin = err.algorithm === undefined ? '' : '; to go on with the recorded trials, name their algorithm in the study (algorithm.name)';
      throw new ExitError(err.message, 1, `run with --fresh to start over (the old results are moved aside), or choose another --results-dir${pin}`);
    }
    if (err instanceof ResultsDirBusyError) throw new ExitError(err.message, 1, 'wait for it to finish, or stop it first');
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    view.close();
  }

  process.stderr.write(`${endMessage(result, spec, resultsDir, Date.now() - started)}\n`);
  if (json !== undefined) {
    const best = bestTrial(result.record.trials, spec.objective.goal);
    json.event({
      type: 'run-ended', end: result.end.kind, ...(result.end.kind === 'finished' ? { finish: result.end.finish } : {}),
      counts: countTrials(result.record.trials), resultsDir,
      ...(best === undefined ? {} : { best: { index: best.index, value: best.value, params: best.params } }),
    });
  }
  if (result.end.kind === 'stopped') return EXIT_STOPPED;
  if (result.end.kind === 'finished' && result.end.finish.phase === 'Failed') return 1;
  return 0;
}
