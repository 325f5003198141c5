/**
 * What a report is drawn from: a study's objective, its search space and its trials, whatever
 * runtime produced them (a local results directory, or a TuningStudy's history on a cluster).
 * Loaders turn their storage into a `ReportInput`; the report and the CSV/XLSX exports read
 * nothing else.
 */
import type { Goal, TrialState } from '../samplers/types.js';
import type { ParamSpec, Params } from '../space/types.js';

export interface ReportTrial {
  index: number;
  params: Params;
  state: TrialState;
  /** The objective value that counts for this trial (absent when it has none). */
  value?: number;
  /** Every final metric reported. */
  metrics: Record<string, number>;
  /** Intermediate objective values as `[step, value]`, in step order (the learning curve). */
  intermediate: [number, number][];
  /** Why a trial failed or was pruned/stopped, e.g. `OOMKilled`, `Timeout`, `Pruned`. */
  reason?: string;
  /** The longer explanation that goes with `reason`, for people (e.g. "the objective metric is NaN"). */
  message?: string;
  /** ISO-8601 times, when known. */
  startedAt?: string;
  finishedAt?: string;
  /** Which repeat of its configuration this trial is (0-based), when the study repeats trials. */
  repeat?: number;
}

export interface ReportInput {
  study: string;
  objective: { metric: string; goal: Goal };
  parameters: ParamSpec[];
  algorithm: string;
  trials: ReportTrial[];
  /** When the report was made (ISO-8601); passed in so the report itself stays pure. */
  generatedAt: string;
}
