/**
 * The results directory of a local study: its layout and its event records. This module is the
 * format's definition (docs/local-mode.md describes it for people); results-writer.ts appends to
 * it and results-reader.ts folds it back into trials — for `kubetune run` resuming, and for any
 * tool that reads results (the report).
 *
 *   <dir>/                               default ./kubetune-results/<study name>/
 *     study.yaml                         the study file as it was first run
 *     events.jsonl                       append-only log, one JSON event per line (below)
 *     runner.lock                        pid of the runner using the directory, while it runs
 *     trials/<index>/attempt-<n>/        one folder per attempt of a trial (n from 1)
 *       params.json                      the trial's parameters (KUBETUNE_PARAMS_FILE)
 *       result.json                      the result document, if the trial wrote one (KUBETUNE_RESULT_FILE)
 *       stdout.log, stderr.log           everything the trial printed (metric lines included)
 *       output/                          KUBETUNE_OUTPUT_DIR: the trial's artifacts
 *
 * The log is the truth; the trial folders are detail. Every event carries `type` and `time` (ISO
 * 8601). A state change is fsync'd before the runner acts on it, so after a crash the log never
 * claims less than happened; metric reports are appended without fsync (losing the last few is
 * harmless: an interrupted attempt is run again). A torn last line (a crash mid-write) is ignored.
 * Numbers that JSON cannot hold are written as the strings "NaN", "Infinity", "-Infinity".
 */
import { join } from 'node:path';
import type { Params } from '../space/types.js';

export const FORMAT_VERSION = 1;
export const STUDY_FILE = 'study.yaml';
export const EVENTS_FILE = 'events.jsonl';
export const LOCK_FILE = 'runner.lock';

export interface AttemptPaths {
  dir: string;
  paramsFile: string;
  resultFile: string;
  stdoutLog: string;
  stderrLog: string;
  outputDir: string;
}

export function attemptPaths(resultsDir: string, index: number, attempt: number): AttemptPaths {
  const dir = join(resultsDir, 'trials', String(index), `attempt-${attempt}`);
  return {
    dir,
    paramsFile: join(dir, 'params.json'),
    resultFile: join(dir, 'result.json'),
    stdoutLog: join(dir, 'stdout.log'),
    stderrLog: join(dir, 'stderr.log'),
    outputDir: join(dir, 'output'),
  };
}

/** What identifies a study's trials: changing any of it makes the recorded trials meaningless. */
export interface StudyFingerprint {
  /** sha256 of the canonical JSON of parameters, algorithm (name, seed, settings) and objective (metric, goal). */
  searchHash: string;
  /** The hashed sections themselves, so a refusal can say which one changed. */
  sections: Record<string, string>;
  /**
   * The resolved sampler name, readable (not hashed: `sections.algorithm` covers it), so a refusal
   * can say "run with tpe, now auto" — e.g. a study that left `algorithm.name` out and met a new
   * default. Absent in results written before 2026-11.
   */
  algorithm?: string;
}

/** A run of `kubetune run` began (the first one starts the study; later ones resume it). */
export interface SessionStartedEvent {
  type: 'session-started';
  time: string;
  formatVersion: number;
  study: string;
  fingerprint: StudyFingerprint;
  /** Budget in force for this session (after command-line overrides). */
  budget: { maxTrials: number; parallelism: number };
  pid: number;
}

/** The engine planned a trial; written (and fsync'd) before its process starts. */
export interface TrialCreatedEvent {
  type: 'trial-created';
  time: string;
  index: number;
  params: Params;
  /** KUBETUNE_SEED of the trial. */
  seed: number;
}

export interface TrialStartedEvent {
  type: 'trial-started';
  time: string;
  index: number;
  attempt: number;
  pid: number;
  command: string[];
}

/** One metric line of the trial's stdout. */
export interface TrialReportEvent {
  type: 'trial-report';
  time: string;
  index: number;
  attempt: number;
  step: number;
  values: Record<string, number | string>;
}

/** The engine asked the trial to stop (SIGTERM sent). */
export interface TrialStoppingEvent {
  type: 'trial-stopping';
  time: string;
  index: number;
  attempt: number;
  reason: string;
  message?: string;
}

export interface TrialFinishedEvent {
  type: 'trial-finished';
  time: string;
  index: number;
  attempt: number;
  state: 'succeeded' | 'failed' | 'pruned';
  value?: number | string;
  metrics: Record<string, number | string>;
  reason?: string;
  message?: string;
  exitCode: number | null;
  signal: string | null;
}

/**
 * The attempt ended without an outcome because the runner stopped (Ctrl-C: `RunnerStopped`) or
 * died (found on resume: `RunnerDied`). The trial is run again under the same index and
 * parameters, as attempt n+1.
 */
export interface TrialInterruptedEvent {
  type: 'trial-interrupted';
  time: string;
  index: number;
  attempt: number;
  reason: 'RunnerStopped' | 'RunnerDied';
}

export interface StudyFinishedEvent {
  type: 'study-finished';
  time: string;
  reason: string;
  phase: 'Completed' | 'Failed';
  message: string;
}

export type ResultEvent =
  | SessionStartedEvent | TrialCreatedEvent | TrialStartedEvent | TrialReportEvent | TrialStoppingEvent
  | TrialFinishedEvent | TrialInterruptedEvent | StudyFinishedEvent;

/** A number as the log stores it. */
export function encodeNumber(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

export function decodeNumber(value: number | string): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number.NaN;
}

export function encodeNumbers(values: Readonly<Record<string, number>>): Record<string, number | string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeNumber(v)]));
}

export function decodeNumbers(values: Readonly<Record<string, number | string>>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, decodeNumber(v)]));
}
