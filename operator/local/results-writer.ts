/**
 * Writes a results directory (format in results-format.ts): claims it with a lock file, keeps
 * the study file beside the log, and appends events — fsync'd for state changes, so the log is
 * on disk before the runner acts (a trial is recorded as created before its process exists).
 *
 * Appends are synchronous on purpose: they are small, a runner writes a few per trial, and a
 * synchronous write means the order in the file is the order things happened.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS_FILE, LOCK_FILE, type ResultEvent, STUDY_FILE } from './results-format.js';

export class ResultsDirBusyError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`another kubetune run (pid ${pid}) is using ${dir}`);
    this.name = 'ResultsDirBusyError';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class ResultsWriter {
  private fd: number;
  private readonly lockPath: string;

  private constructor(readonly dir: string) {
    this.lockPath = join(dir, LOCK_FILE);
    this.fd = -1;
  }

  /**
   * Opens (creating if needed) `dir` for writing and takes its lock. A lock left by a runner
   * that died is taken over; one held by a live process is a `ResultsDirBusyError`.
   */
  static open(dir: string): ResultsWriter {
    mkdirSync(dir, { recursive: true });
    const writer = new ResultsWriter(dir);
    writer.lock();
    const logPath = join(dir, EVENTS_FILE);
    writer.fd = openSync(logPath, 'a');
    // A crash mid-write can leave a torn last line; start ours on a fresh line.
    const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
    if (text.length > 0 && !text.endsWith('\n')) writeSync(writer.fd, '\n');
    return writer;
  }

  private lock(): void {
    for (let tries = 0; tries < 2; tries++) {
      try {
        writeFileSync(this.lockPath, `${process.pid}\n`, { flag: 'wx' });
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = Number.parseInt(readFileSync(this.lockPath, 'utf8'), 10);
        if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) throw new ResultsDirBusyError(this.dir, holder);
        rmSync(this.lockPath, { force: true }); // stale: its runner is gone
      }
    }
    throw new Error(`could not lock ${this.dir}`);
  }

  /** Keeps a copy of the study file (first run only: the original is what the trials came from). */
  saveStudyFile(text: string): void {
    const path = join(this.dir, STUDY_FILE);
    if (!existsSync(path)) writeFileSync(path, text);
  }

  /** Appends one event; `durable` ones are fsync'd before returning. */
  append(event: ResultEvent, durable = true): void {
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    if (durable) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.lockPath, { force: true });
  }
}

/**
 * Moves an old results directory aside (for `--fresh`) rather than deleting it: a person who
 * asked for a fresh start by mistake can still get the old trials back. Returns the new name.
 */
export function moveAside(dir: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = `${dir}.replaced-${stamp}`;
  renameSync(dir, target);
  return target;
}
