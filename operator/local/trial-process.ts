/**
 * One attempt of a trial as a child process: started without a shell in a process group of its
 * own (so Ctrl-C in the terminal reaches the runner only, which then stops trials in order, and
 * so a trial's own children are stopped with it), its stdout read line by line for metric lines
 * while both streams are copied to the attempt's log files, and, at exit, its result document
 * read. What this module returns is a plain observation; outcome.ts in the engine judges it.
 *
 * Stopping: `terminate()` sends SIGTERM to the group ("pruned or cancelled: write what you have
 * and exit", design §5) and SIGKILL after a grace period; `kill()` sends SIGKILL at once.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type MetricReport, MetricLineError, parseMetricLine, parseTrialResult, type TrialResult } from '../api/trial-contract.js';

export interface ProcessEnd {
  exitCode: number | null;
  signal: string | null;
  result?: TrialResult;
  resultError?: string;
  reports: MetricReport[];
  badMetricLines: string[];
  /** Set when the process could not be started at all (e.g. the command does not exist). */
  spawnError?: string;
}

export interface TrialProcessOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  stdoutLog: string;
  stderrLog: string;
  resultFile: string;
  /** Called for every metric line, as it arrives. */
  onReport?: (report: MetricReport) => void;
}

/** Default time between SIGTERM and SIGKILL. */
export const DEFAULT_GRACE_MS = 10_000;

export class TrialProcess {
  readonly pid: number | undefined;
  /** Resolves when the process has exited and its output is fully read. */
  readonly ended: Promise<ProcessEnd>;
  private exited = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(options: TrialProcessOptions) {
    const child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = child.pid;
    const reports: MetricReport[] = [];
    const badMetricLines: string[] = [];
    const stdoutLog = createWriteStream(options.stdoutLog);
    const stderrLog = createWriteStream(options.stderrLog);
    child.stdout.pipe(stdoutLog);
    child.stderr.pipe(stderrLog);
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      try {
        const report = parseMetricLine(line);
        if (report === undefined) return;
        reports.push(report);
        options.onReport?.(report);
      } catch (err) {
        if (!(err instanceof MetricLineError)) throw err;
        if (badMetricLines.length < 10) badMetricLines.push(line.slice(0, 200));
      }
    });
    const linesDone = new Promise<void>((resolve) => lines.once('close', resolve));
    const logsDone = Promise.all([stdoutLog, stderrLog].map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))));

    this.ended = new Promise<ProcessEnd>((resolve) => {
      let spawnError: string | undefined;
      child.once('error', (err) => {
        spawnError = err.message;
        // 'close' still follows an 'error' from spawn, so resolution happens there.
      });
      child.once('close', (code, signal) => {
        this.exited = true;
        if (this.killTimer !== undefined) clearTimeout(this.killTimer);
        void Promise.all([linesDone, logsDone]).then(() => {
          const end: ProcessEnd = { exitCode: code, signal, reports, badMetricLines };
          if (spawnError !== undefined) end.spawnError = spawnError;
          Object.assign(end, readResult(options.resultFile));
          resolve(end);
        });
      });
    });
  }

  /** SIGTERM to the trial's process group, SIGKILL after `graceMs` if it is still there. */
  terminate(graceMs = DEFAULT_GRACE_MS): void {
    if (this.exited) return;
    this.signal('SIGTERM');
    if (this.killTimer === undefined) {
      this.killTimer = setTimeout(() => this.signal('SIGKILL'), graceMs);
      this.killTimer.unref();
    }
  }

  kill(): void {
    if (!this.exited) this.signal('SIGKILL');
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, sig); // the whole group: the trial and whatever it started
    } catch {
      // already gone
    }
  }
}

function readResult(path: string): Pick<ProcessEnd, 'result' | 'resultError'> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {}; // no result file: fine, the metric lines may carry the objective
  }
  if (text.trim() === '') return {};
  try {
    return { result: parseTrialResult(text) };
  } catch (err) {
    return { resultError: (err as Error).message };
  }
}
