/**
 * Reads a results directory back: the event log parsed (a torn last line skipped) and folded
 * into the study's trials, exactly as the runner sees them when it resumes. This is the reader
 * for other tools too (`kubetune report`): `readResults(dir)` gives every trial with its
 * parameters, state, value, metrics, reason, live reports of its latest attempt and timestamps.
 *
 * Folding rules: a trial exists from `trial-created` (pending); each `trial-started` opens a new
 * attempt (running; reports of earlier attempts are dropped); `trial-finished` ends it;
 * `trial-interrupted` puts it back to pending, to be run again under the same index.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricReport } from '../api/trial-contract.js';
import type { EngineTrial } from '../engine/types.js';
import type { Params } from '../space/types.js';
import {
  decodeNumber, decodeNumbers, EVENTS_FILE, type ResultEvent, type StudyFingerprint, type StudyFinishedEvent,
} from './results-format.js';

export interface LocalTrial extends EngineTrial {
  /** KUBETUNE_SEED of the trial. */
  readonly seed: number;
  /** Attempts started so far (0 before the first start). */
  readonly attempt: number;
  /** pid of the latest attempt's process. */
  readonly pid?: number;
  readonly exitCode?: number | null;
  readonly signal?: string | null;
}

export interface Session {
  startedAt: number;
  /** Time of the session's last event: a lower bound of when it ended. */
  lastEventAt: number;
  pid: number;
}

export interface StudyRecord {
  study?: string;
  fingerprint?: StudyFingerprint;
  /** Every trial, in index order. */
  trials: LocalTrial[];
  sessions: Session[];
  /** The last `study-finished` of the latest session, if the study ended. */
  finished?: StudyFinishedEvent;
  /** Lines that could not be parsed (at most a torn last line after a crash). */
  skippedLines: number;
}

/** Parses the log text; a line that is not JSON (a torn write) is counted and skipped. */
export function parseEvents(text: string): { events: ResultEvent[]; skippedLines: number } {
  const events: ResultEvent[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as ResultEvent);
    } catch {
      skippedLines += 1;
    }
  }
  return { events, skippedLines };
}

type MutableTrial = { -readonly [K in keyof LocalTrial]: LocalTrial[K] };

/**
 * Applies events one at a time; the runner keeps one to know its study as it writes the log,
 * and `foldEvents` uses one to read a whole log.
 */
export class ResultsFold {
  private readonly trials = new Map<number, MutableTrial>();
  private readonly sessions: Session[] = [];
  /** `index/attempt` of interrupted attempts: a late event about one of them changes nothing. */
  private readonly closed = new Set<string>();
  private study?: string;
  private fingerprint?: StudyFingerprint;
  private finished?: StudyFinishedEvent;

  constructor(private readonly skippedLines = 0) {}

  apply(e: ResultEvent): void {
    const time = Date.parse(e.time);
    const session = this.sessions.at(-1);
    if (session !== undefined) session.lastEventAt = Math.max(session.lastEventAt, time);
    const t = 'index' in e ? this.trials.get(e.index) : undefined;
    switch (e.type) {
      case 'session-started':
        this.sessions.push({ startedAt: time, lastEventAt: time, pid: e.pid });
        this.study = e.study;
        this.fingerprint = e.fingerprint;
        this.finished = undefined;
        break;
      case 'trial-created':
        this.trials.set(e.index, { index: e.index, params: e.params as Params, seed: e.seed, state: 'pending', reports: [], createdAt: time, attempt: 0 });
        break;
      case 'trial-started':
        if (t !== undefined) Object.assign(t, { state: 'running', attempt: e.attempt, startedAt: time, pid: e.pid, reports: [] });
        break;
      case 'trial-report':
        // Appended in place: copying per report would make long training runs quadratic.
        if (t !== undefined && t.attempt === e.attempt) (t.reports as MetricReport[]).push({ step: e.step, values: decodeNumbers(e.values) });
        break;
      case 'trial-stopping':
        break;
      case 'trial-finished':
        if (t === undefined || t.attempt !== e.attempt || this.closed.has(`${e.index}/${e.attempt}`)) break;
        Object.assign(t, { state: e.state, metrics: decodeNumbers(e.metrics), finishedAt: time, exitCode: e.exitCode, signal: e.signal });
        if (e.value !== undefined) t.value = decodeNumber(e.value);
        if (e.reason !== undefined) t.reason = e.reason;
        if (e.message !== undefined) t.message = e.message;
        break;
      case 'trial-interrupted':
        if (t === undefined || t.attempt !== e.attempt) break;
        this.closed.add(`${e.index}/${e.attempt}`);
        t.state = 'pending';
        t.queuedAt = time;
        t.reports = [];
        delete t.startedAt;
        break;
      case 'study-finished':
        this.finished = e;
        break;
    }
  }

  trial(index: number): LocalTrial | undefined {
    return this.trials.get(index);
  }

  /**
   * The study as folded so far: trials copied, in index order. A running trial's `reports` array
   * is shared with the fold and may grow after the snapshot is taken; treat it as read-only.
   */
  get record(): StudyRecord {
    const record: StudyRecord = {
      trials: [...this.trials.values()].sort((a, b) => a.index - b.index).map((t) => ({ ...t })),
      sessions: this.sessions.map((s) => ({ ...s })),
      skippedLines: this.skippedLines,
    };
    if (this.study !== undefined) record.study = this.study;
    if (this.fingerprint !== undefined) record.fingerprint = this.fingerprint;
    if (this.finished !== undefined) record.finished = this.finished;
    return record;
  }
}

export function foldEvents(events: readonly ResultEvent[], skippedLines = 0): StudyRecord {
  const fold = new ResultsFold(skippedLines);
  for (const e of events) fold.apply(e);
  return fold.record;
}

/** The events of `<dir>/events.jsonl` (none when there is no log yet). */
export function readEvents(dir: string): { events: ResultEvent[]; skippedLines: number } {
  try {
    return parseEvents(readFileSync(join(dir, EVENTS_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], skippedLines: 0 };
    throw err;
  }
}

/** Reads and folds `<dir>/events.jsonl`; a missing log is an empty study. */
export function readResults(dir: string): StudyRecord {
  const { events, skippedLines } = readEvents(dir);
  return foldEvents(events, skippedLines);
}

/**
 * Time the study has spent running, summed over sessions: the study `timeout` counts this, so
 * a study stopped with Ctrl-C and resumed the next day still has the rest of its time.
 */
export function activeTimeMs(record: StudyRecord): number {
  return record.sessions.reduce((sum, s) => sum + (s.lastEventAt - s.startedAt), 0);
}
