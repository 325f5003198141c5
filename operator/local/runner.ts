/**
 * The local runtime: the engine's second body (design.md §3). It observes the study through its
 * results directory and its child processes, asks `decide`, and carries the decision out —
 * recording each step in the event log before acting on it — until the study finishes, the user
 * stops it, or it is suspended.
 *
 * Event-driven, never polling: the loop sleeps until a trial process ends, a metric line arrives
 * (only when a pruner wants to see it), the next deadline passes (a trial timeout, the study
 * timeout) or a stop is requested.
 *
 * Resuming: on start, the log is folded back into trials. An attempt with no end in the log was
 * running when the previous runner died: its leftover process is killed (orphans.ts), the attempt
 * is marked `trial-interrupted` (RunnerDied), and the trial runs again under the SAME index and
 * parameters as attempt n+1. So a resumed study has exactly the trials an uninterrupted one would
 * have — no index skipped, none doubled — and the sampler, which derives its randomness from
 * (seed, index), plans the remaining trials as it would have. The study `timeout` counts the time
 * spent in runner sessions, not the time between them.
 *
 * Stopping (Ctrl-C): `requestStop()` sends SIGTERM to every running trial, waits for them (SIGKILL
 * after the grace period) and marks them interrupted (RunnerStopped), to be re-run on resume.
 * `forceStop()` (a second Ctrl-C) kills them at once and records the same.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { CompiledStudy } from '../engine/compile.js';
import { decide } from '../engine/decide.js';
import { judgeOutcome } from '../engine/outcome.js';
import type { Finish, StopOrder } from '../engine/types.js';
import { algorithmChange, changedSections, fingerprintOf } from './fingerprint.js';
import { type GpuPool, planGpus } from './gpus.js';
import { killLeftoverAttempt } from './orphans.js';
import { activeTimeMs, foldEvents, type LocalTrial, readEvents, ResultsFold, type StudyRecord } from './results-reader.js';
import { attemptPaths, encodeNumber, encodeNumbers, FORMAT_VERSION, type ResultEvent } from './results-format.js';
import { ResultsWriter } from './results-writer.js';
import { renderTrialEnv } from './trial-env.js';
import { DEFAULT_GRACE_MS, type ProcessEnd, TrialProcess } from './trial-process.js';
import { checkRunnableLocally, renderLocalCommand } from './workload.js';

export class StudyChangedError extends Error {
  /** `algorithm` says which sampler the recorded trials came from, when the name changed. */
  constructor(readonly dir: string, readonly sections: readonly string[], readonly algorithm?: string) {
    super(`the study's ${sections.join(', ')} changed since the trials in ${dir} were run${algorithm === undefined ? '' : ` (${algorithm})`}`);
    this.name = 'StudyChangedError';
  }
}

export interface RunnerOptions {
  study: CompiledStudy;
  /** The study file's text, kept in the results directory. */
  studyFileText: string;
  /** Folder of the study file: the default working directory of trials. */
  studyDir: string;
  resultsDir: string;
  /** Called for every event, after it is written to the log. */
  onEvent?: (event: ResultEvent, runner: LocalRunner) => void;
  /** Things the person running the study should know (e.g. how GPUs are shared out). */
  onNote?: (text: string) => void;
  /** Time between SIGTERM and SIGKILL when stopping a trial. */
  graceMs?: number;
  /** The environment trials inherit (default: this process's). */
  baseEnv?: NodeJS.ProcessEnv;
  now?: () => number;
}

export type RunEnd =
  | { kind: 'finished'; finish: Finish }
  | { kind: 'stopped' }
  | { kind: 'suspended' };

export interface RunResult {
  end: RunEnd;
  record: StudyRecord;
  /** Trials of earlier sessions found when this one started, and those re-run after an interruption. */
  resumed: { trials: number; interrupted: number[] };
}

interface RunningAttempt {
  proc: TrialProcess;
  attempt: number;
  stop?: StopOrder;
  interrupting: boolean;
}

export class LocalRunner {
  private readonly study: CompiledStudy;
  private readonly fold = new ResultsFold();
  private readonly running = new Map<number, RunningAttempt>();
  private writer: ResultsWriter | undefined;
  private readonly now: () => number;
  private readonly graceMs: number;
  private stopRequested = false;
  private gpus: GpuPool | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(private readonly options: RunnerOptions) {
    this.study = options.study;
    this.now = options.now ?? Date.now;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  }

  /** Trials as the runner knows them now, in index order. */
  get trials(): LocalTrial[] {
    return this.fold.record.trials;
  }

  /** Indices of trials whose process is running. */
  get runningIndices(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b);
  }

  get spec(): CompiledStudy['spec'] {
    return this.study.spec;
  }

  async run(): Promise<RunResult> {
    checkRunnableLocally(this.study.spec);
    const gpuPlan = planGpus(this.study.spec, this.options.baseEnv ?? process.env);
    this.gpus = gpuPlan.pool;
    if (gpuPlan.note !== undefined) this.options.onNote?.(gpuPlan.note);
    this.writer = ResultsWriter.open(this.options.resultsDir); // takes the lock before reading
    try {
      const { events } = readEvents(this.options.resultsDir);
      const previous = foldEvents(events);
      const fingerprint = fingerprintOf(this.study.spec);
      if (previous.fingerprint !== undefined) {
        const changed = changedSections(previous.fingerprint, fingerprint);
        if (previous.study !== undefined && previous.study !== this.study.spec.name) changed.unshift('name');
        if (changed.length > 0) throw new StudyChangedError(this.options.resultsDir, changed, algorithmChange(previous.fingerprint, fingerprint));
      }
      this.writer.saveStudyFile(this.options.studyFileText);
      for (const e of events) this.fold.apply(e); // replay, without writing again
      const interrupted = this.recoverOpenAttempts();
      const startedAt = this.now() - activeTimeMs(previous);
      this.record({
        type: 'session-started', time: this.iso(), formatVersion: FORMAT_VERSION, study: this.study.spec.name, fingerprint,
        budget: { maxTrials: this.study.spec.budget.maxTrials, parallelism: this.study.spec.budget.parallelism }, pid: process.pid,
      });
      let end: RunEnd;
      try {
        end = await this.loop(startedAt);
      } catch (err) {
        // A failure of our own (a sampler bug, a full disk) must not leave trials running
        // unrecorded: kill them and mark them interrupted, so a later run resumes cleanly.
        this.forceStop();
        throw err;
      }
      return { end, record: this.fold.record, resumed: { trials: previous.trials.length, interrupted } };
    } finally {
      this.writer.close();
      this.writer = undefined;
    }
  }

  /** First Ctrl-C: stop running trials gracefully and end the run; they resume later. */
  requestStop(): void {
    this.stopRequested = true;
    this.wake();
  }

  /** Second Ctrl-C: kill every trial now and record them as interrupted. Synchronous. */
  forceStop(): void {
    this.stopRequested = true;
    for (const [index, run] of this.running) {
      run.interrupting = true;
      run.proc.kill();
      this.record({ type: 'trial-interrupted', time: this.iso(), index, attempt: run.attempt, reason: 'RunnerStopped' });
    }
    this.running.clear();
    this.wake();
  }

  /** Attempts open in the log belong to a runner that died: kill leftovers, mark interrupted. */
  private recoverOpenAttempts(): number[] {
    const interrupted: number[] = [];
    for (const t of this.fold.record.trials) {
      if (t.state !== 'running') continue;
      if (t.pid !== undefined && t.pid > 0) killLeftoverAttempt(t.pid, attemptPaths(this.options.resultsDir, t.index, t.attempt).resultFile);
      this.record({ type: 'trial-interrupted', time: this.iso(), index: t.index, attempt: t.attempt, reason: 'RunnerDied' });
      interrupted.push(t.index);
    }
    return interrupted;
  }

  private async loop(startedAt: number): Promise<RunEnd> {
    const spec = this.study.spec;
    for (;;) {
      if (this.stopRequested) {
        await this.interruptAll();
        return { kind: 'stopped' };
      }
      const now = this.now();
      const trials = this.fold.record.trials;
      const decision = decide(this.study, { trials, startedAt }, now);
      for (const order of decision.stop) this.carryOutStop(order);
      for (const plan of decision.launch) {
        this.record({ type: 'trial-created', time: this.iso(), index: plan.index, params: plan.params, seed: plan.seed });
      }
      if (decision.finish === undefined || decision.launch.length > 0) this.startPendingTrials();
      if (decision.finish !== undefined && this.running.size === 0) {
        const f = decision.finish;
        this.record({ type: 'study-finished', time: this.iso(), reason: f.reason, phase: f.phase, message: f.message });
        return { kind: 'finished', finish: f };
      }
      if (spec.suspend && this.running.size === 0) return { kind: 'suspended' };
      await this.sleep(this.nextDeadline(now, startedAt));
    }
  }

  /** Starts pending trials (just created, or interrupted before) while there is room. */
  private startPendingTrials(): void {
    for (const t of this.fold.record.trials) {
      if (this.running.size >= this.study.spec.budget.parallelism) return;
      if (t.state !== 'pending' || this.running.has(t.index)) continue;
      const gpus = this.gpus?.acquire(t.index);
      if (this.gpus !== undefined && gpus === undefined) return; // waits for a GPU, like an unschedulable pod
      this.startAttempt(t, gpus);
    }
  }

  private startAttempt(t: LocalTrial, gpus: string[] | undefined): void {
    // A runner that died between spawning an attempt and logging it left a folder but no
    // event: skip such folders so a stray process never shares files with the new attempt.
    let attempt = t.attempt + 1;
    while (existsSync(attemptPaths(this.options.resultsDir, t.index, attempt).dir)) attempt += 1;
    const paths = attemptPaths(this.options.resultsDir, t.index, attempt);
    mkdirSync(paths.outputDir, { recursive: true });
    writeFileSync(paths.paramsFile, `${JSON.stringify(t.params, null, 2)}\n`);
    const cmd = renderLocalCommand(this.study.spec, this.options.studyDir, paths.dir);
    const env = renderTrialEnv(this.options.baseEnv ?? process.env, cmd.env, { study: this.study.spec.name, index: t.index, seed: t.seed, params: t.params }, paths);
    if (gpus !== undefined) env.CUDA_VISIBLE_DEVICES = gpus.join(',');
    const proc = new TrialProcess({
      file: cmd.file, args: cmd.args, cwd: cmd.cwd, env,
      stdoutLog: paths.stdoutLog, stderrLog: paths.stderrLog, resultFile: paths.resultFile,
      onReport: (r) => {
        if (!this.running.has(t.index)) return;
        this.record({ type: 'trial-report', time: this.iso(), index: t.index, attempt, step: r.step, values: encodeNumbers(r.values) }, false);
        if (this.study.pruner !== undefined) this.wake();
      },
    });
    const run: RunningAttempt = { proc, attempt, interrupting: false };
    this.running.set(t.index, run);
    this.record({ type: 'trial-started', time: this.iso(), index: t.index, attempt, pid: proc.pid ?? -1, command: [cmd.file, ...cmd.args] });
    void proc.ended.then((end) => this.attemptEnded(t.index, run, end));
  }

  private attemptEnded(index: number, run: RunningAttempt, end: ProcessEnd): void {
    if (this.running.get(index) !== run) return; // already recorded (forceStop)
    this.running.delete(index);
    this.gpus?.release(index);
    if (run.interrupting) {
      this.record({ type: 'trial-interrupted', time: this.iso(), index, attempt: run.attempt, reason: 'RunnerStopped' });
    } else {
      const outcome = judgeOutcome(this.study.spec.objective, {
        ...end,
        ...(run.stop !== undefined ? { stopReason: run.stop.reason } : {}),
        ...(run.stop?.message !== undefined ? { stopMessage: run.stop.message } : {}),
        ...(end.spawnError !== undefined ? { runtimeReason: 'SpawnFailed', runtimeMessage: `could not start the trial command: ${end.spawnError}` } : {}),
      });
      const event: ResultEvent = {
        type: 'trial-finished', time: this.iso(), index, attempt: run.attempt, state: outcome.state,
        metrics: encodeNumbers(outcome.metrics), exitCode: end.exitCode, signal: end.signal,
      };
      if (outcome.value !== undefined) event.value = encodeNumber(outcome.value);
      if (outcome.reason !== undefined) event.reason = outcome.reason;
      if (outcome.message !== undefined) event.message = outcome.message;
      this.record(event);
    }
    this.wake();
  }

  private carryOutStop(order: StopOrder): void {
    const run = this.running.get(order.index);
    if (run !== undefined) {
      if (run.stop !== undefined || run.interrupting) return; // already stopping: orders repeat until it ends
      run.stop = order;
      const event: ResultEvent = { type: 'trial-stopping', time: this.iso(), index: order.index, attempt: run.attempt, reason: order.reason };
      if (order.message !== undefined) event.message = order.message;
      this.record(event);
      run.proc.terminate(this.graceMs);
      return;
    }
    const t = this.fold.trial(order.index);
    if (t?.state !== 'pending') return;
    // A trial that never started (no room after a resume): it ends without a process.
    const outcome = judgeOutcome(this.study.spec.objective, { exitCode: null, signal: null, reports: [], stopReason: order.reason });
    const event: ResultEvent = {
      type: 'trial-finished', time: this.iso(), index: t.index, attempt: t.attempt, state: outcome.state,
      metrics: {}, exitCode: null, signal: null,
    };
    if (outcome.reason !== undefined) event.reason = outcome.reason;
    if (outcome.message !== undefined) event.message = outcome.message;
    this.record(event);
  }

  private async interruptAll(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const run of this.running.values()) {
      run.interrupting = true;
      run.proc.terminate(this.graceMs);
      waits.push(run.proc.ended);
    }
    await Promise.all(waits);
    // attemptEnded runs from the same promises; let those callbacks land before returning.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The earliest future moment a rule depends on time: a trial timeout or the study timeout. */
  private nextDeadline(now: number, startedAt: number): number | undefined {
    const { budget } = this.study.spec;
    const deadlines: number[] = [];
    if (budget.timeoutMs !== undefined) deadlines.push(startedAt + budget.timeoutMs);
    for (const t of this.fold.record.trials) {
      if (t.state === 'running' && budget.trialTimeoutMs !== undefined && t.startedAt !== undefined) deadlines.push(t.startedAt + budget.trialTimeoutMs);
      if (t.state === 'pending' && budget.pendingTimeoutMs !== undefined) deadlines.push((t.queuedAt ?? t.createdAt) + budget.pendingTimeoutMs);
    }
    const future = deadlines.filter((d) => d > now);
    return future.length === 0 ? undefined : Math.min(...future);
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async sleep(deadline: number | undefined): Promise<void> {
    if (!this.woken) {
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        if (deadline !== undefined) {
          const timer = setTimeout(resolve, Math.max(0, deadline - this.now()) + 5);
          const done = resolve;
          this.wakeUp = () => {
            clearTimeout(timer);
            done();
          };
        }
      });
    }
    this.woken = false;
    this.wakeUp = undefined;
  }

  private record(event: ResultEvent, durable = true): void {
    this.writer?.append(event, durable);
    this.fold.apply(event);
    this.options.onEvent?.(event, this);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

