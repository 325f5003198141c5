/**
 * How a trial that has ended is classified: succeeded with a value, failed with a reason, or
 * pruned. Both bodies describe what they saw — an exit code or a signal, the result document,
 * the metric lines — and this one function turns it into the trial's final state, so a crash, a
 * missing metric or a NaN reads the same on a cluster and on a laptop.
 *
 * Reasons (CamelCase, stable; reports and status show them):
 *   Timeout, PendingTimeout       stopped by the engine for running / waiting too long
 *   Pruned, Cancelled             stopped early by the policy / because the study finished (pruned)
 *   Signal                        killed by a signal nobody here sent (e.g. SIGSEGV, OOM killer)
 *   ExitCode                      exited non-zero (the trial's own `reason`, if it wrote one, wins)
 *   SpawnFailed (local)           the command could not be started
 *   <trial's reason>              the result document says failed, with its reason
 *   BadResult, BadMetricLine      the trial broke the contract (unreadable result, garbled line)
 *   MetricMissing, MetricNaN, MetricInfinite   no usable objective value
 */
import type { MetricReport, TrialResult } from '../api/trial-contract.js';
import { countedValue, type ObjectiveSpec } from './objective.js';
import type { StopReason, TrialState } from './types.js';

/** What a body saw of a trial that ended. */
export interface EndObservation {
  /** Exit code of the process or container; null when killed by a signal. */
  exitCode: number | null;
  /** Name of the signal that killed it, e.g. `SIGKILL`; null when it exited. */
  signal: string | null;
  /** The result document, when one was written and parsed. */
  result?: TrialResult;
  /** Why the result document could not be read, when one was written but is broken. */
  resultError?: string;
  /** Metric lines read from its output. */
  reports: readonly MetricReport[];
  /** Lines that claimed to be metric lines but broke the grammar. */
  badMetricLines?: readonly string[];
  /** Set when the engine had asked the trial to stop; that decides the outcome. */
  stopReason?: StopReason;
  /** The stop order's detail (e.g. the pruner's explanation). */
  stopMessage?: string;
  /** A body-specific reason that explains the end better than an exit code (e.g. OOMKilled). */
  runtimeReason?: string;
  /** Detail that goes with `runtimeReason` (e.g. "spawn python ENOENT"). */
  runtimeMessage?: string;
}

export interface Outcome {
  state: Extract<TrialState, 'succeeded' | 'failed' | 'pruned'>;
  value?: number;
  metrics: Record<string, number>;
  reason?: string;
  message?: string;
}

const withValue = (outcome: Outcome, value: number | undefined): Outcome => (value === undefined ? outcome : { ...outcome, value });

export function judgeOutcome(objective: ObjectiveSpec, seen: EndObservation): Outcome {
  const metrics = { ...(seen.result?.metrics ?? {}) };
  const value = countedValue(objective, seen.reports, metrics);
  const detail = seen.result?.message;
  const msg = (text: string) => (detail ? `${text}: ${detail}` : text);

  switch (seen.stopReason) {
    case 'Timeout':
      return withValue({ state: 'failed', metrics, reason: 'Timeout', message: 'stopped after running past budget.trialTimeout' }, value);
    case 'PendingTimeout':
      return { state: 'failed', metrics, reason: 'PendingTimeout', message: 'did not start within budget.pendingTimeout' };
    case 'Pruned':
      return withValue({ state: 'pruned', metrics, reason: 'Pruned', message: seen.stopMessage ?? 'stopped early by the early-stopping policy' }, value);
    case 'Cancelled':
      return withValue({ state: 'pruned', metrics, reason: 'Cancelled', message: 'stopped because the study finished' }, value);
    case undefined:
      break;
  }
  if (seen.signal !== null) {
    return { state: 'failed', metrics, reason: seen.runtimeReason ?? 'Signal', message: seen.runtimeMessage ?? `killed by ${seen.signal}` };
  }
  if (seen.exitCode !== 0) {
    return {
      state: 'failed', metrics, reason: seen.runtimeReason ?? seen.result?.reason ?? 'ExitCode',
      message: seen.runtimeMessage ?? msg(`exited with code ${String(seen.exitCode)}`),
    };
  }
  if (seen.resultError !== undefined) return { state: 'failed', metrics, reason: 'BadResult', message: seen.resultError };
  if (seen.result?.status === 'failed') {
    return { state: 'failed', metrics, reason: seen.result.reason ?? 'TrialFailed', message: msg('the trial reported failure') };
  }
  if (seen.badMetricLines !== undefined && seen.badMetricLines.length > 0) {
    return { state: 'failed', metrics, reason: 'BadMetricLine', message: `malformed metric line: ${seen.badMetricLines[0]}` };
  }
  if (value === undefined) {
    return { state: 'failed', metrics, reason: 'MetricMissing', message: `the objective metric "${objective.metric}" was never reported` };
  }
  if (Number.isNaN(value)) return { state: 'failed', metrics, value, reason: 'MetricNaN', message: `the objective metric "${objective.metric}" is NaN` };
  if (!Number.isFinite(value)) {
    return { state: 'failed', metrics, value, reason: 'MetricInfinite', message: `the objective metric "${objective.metric}" is ${value}` };
  }
  if (seen.result?.status === 'pruned') return { state: 'pruned', metrics, value, reason: 'Pruned', message: msg('the trial stopped itself early') };
  return { state: 'succeeded', metrics, value };
}
