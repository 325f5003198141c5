/**
 * What the engine sees and what it decides (design.md §3). Both bodies — the operator on a
 * cluster and the local runtime — build `EngineTrial`s from what they observe, call `decide`, and
 * carry out the `Decision`. Everything here is plain data: no clocks, no handles, no I/O.
 */
import type { MetricReport } from '../api/trial-contract.js';
import type { TrialState } from '../samplers/types.js';
import type { Params } from '../space/types.js';

export type { TrialState };

/** One trial as the engine sees it. Times are milliseconds since the epoch. */
export interface EngineTrial {
  /** Unique within the study, dense from 0, in order of creation. */
  readonly index: number;
  readonly params: Params;
  /** pending: created, not started (e.g. an unscheduled pod); running; then one of the ends. */
  readonly state: TrialState;
  /** Live reports (metric lines) in arrival order; the engine reads the objective out of them. */
  readonly reports: readonly MetricReport[];
  /** Final metrics of a finished trial (from its result document). */
  readonly metrics?: Readonly<Record<string, number>>;
  /** The value that counts (see outcome.ts), set when the trial finished with one. */
  readonly value?: number;
  /** CamelCase reason of a failed or stopped trial, e.g. `Timeout`, `MetricNaN`, `ExitCode`. */
  readonly reason?: string;
  readonly message?: string;
  readonly createdAt: number;
  /**
   * When the trial last became pending, if later than its creation: a trial whose attempt was
   * interrupted (a restarted local runner) waits anew. `pendingTimeout` counts from here.
   */
  readonly queuedAt?: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
}

/** A trial to create: its index, its parameters and the seed handed to the workload. */
export interface TrialPlan {
  readonly index: number;
  readonly params: Params;
  /** `KUBETUNE_SEED` of the trial, derived from (study seed, index). */
  readonly seed: number;
}

/**
 * Why the engine wants a trial stopped.
 * - `Timeout`: ran past `budget.trialTimeout` (ends failed);
 * - `PendingTimeout`: waited to start past `budget.pendingTimeout` (ends failed);
 * - `Pruned`: the early-stopping policy gave up on it (ends pruned);
 * - `Cancelled`: the study finished while it ran (ends pruned, reason Cancelled).
 */
export type StopReason = 'Timeout' | 'PendingTimeout' | 'Pruned' | 'Cancelled';

export interface StopOrder {
  readonly index: number;
  readonly reason: StopReason;
  /** Detail for people, e.g. the pruner's explanation. */
  readonly message?: string;
}

/** Why a study ended. */
export type FinishReason = 'MaxTrials' | 'TargetReached' | 'SearchExhausted' | 'Timeout' | 'MaxFailedTrials';

export interface Finish {
  readonly reason: FinishReason;
  /** Completed, or Failed (too many failed trials, or a timeout before any trial succeeded). */
  readonly phase: 'Completed' | 'Failed';
  readonly message: string;
}

/**
 * The engine's answer. Level-triggered: the same observation gives the same decision, so a body
 * may call `decide` as often as it likes; stop orders repeat until the trial is seen to end, and
 * carrying one out twice must be harmless.
 */
export interface Decision {
  readonly launch: readonly TrialPlan[];
  readonly stop: readonly StopOrder[];
  readonly finish?: Finish;
}

/** What a body has observed of the study: its trials and when it started. */
export interface Observation {
  readonly trials: readonly EngineTrial[];
  /** When the study started (its first decision); the study `timeout` counts from here. */
  readonly startedAt?: number;
}
