/**
 * From what the cluster shows to what the engine reads (pure): a trial's Job, its pod and the
 * metric lines of its log become an `EngineTrial`; an ended pod is judged by the same
 * `judgeOutcome` the local runtime uses, so an OOMKilled container, a missing metric or a NaN
 * reads the same on a cluster and on a laptop.
 */
import type { V1ContainerStateTerminated, V1Job, V1Pod } from '@kubernetes/client-node';
import { type MetricReport, parseTrialResult, TrialResultError } from '../api/trial-contract.js';
import type { ResolvedSpec } from '../api/types.js';
import { type EndObservation, judgeOutcome } from '../engine/outcome.js';
import type { EngineTrial } from '../engine/types.js';
import type { Params } from '../space/types.js';
import { ANNOTATIONS, trialIndexOf } from './names.js';

/** Milliseconds of a Kubernetes time, whether the client gave a Date or the wire's string. */
export function toMillis(t: Date | string | undefined | null): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Metric lines read from a trial's log so far. */
export interface LiveMetrics {
  reports: readonly MetricReport[];
  badLines: readonly string[];
}

export const NO_METRICS: LiveMetrics = { reports: [], badLines: [] };

export interface ObservedTrial {
  trial: EngineTrial;
  /** True when the trial ended on the cluster and its outcome is in `trial`, ready to record. */
  ended: boolean;
}

function paramsOf(job: V1Job): Params {
  try {
    return JSON.parse(job.metadata?.annotations?.[ANNOTATIONS.params] ?? '{}') as Params;
  } catch {
    return {};
  }
}

function jobFailedCondition(job: V1Job): { reason?: string; message?: string } | undefined {
  return job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
}

/** The pod's trial container's terminated state, if it has one. */
function terminatedState(pod: V1Pod | undefined): V1ContainerStateTerminated | undefined {
  return pod?.status?.containerStatuses?.find((c) => c.name === 'trial')?.state?.terminated;
}

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };

/** What a terminated trial container tells about how it ended. */
export function endObservation(term: V1ContainerStateTerminated, live: LiveMetrics): EndObservation {
  const seen: EndObservation = { exitCode: term.exitCode, signal: null, reports: live.reports, badMetricLines: live.badLines };
  if (term.signal !== undefined && term.signal !== 0) {
    seen.signal = SIGNALS[term.signal] ?? `signal ${term.signal}`;
  }
  if (term.reason === 'OOMKilled') {
    seen.runtimeReason = 'OOMKilled';
    seen.runtimeMessage = `the container ran out of memory (exit code ${term.exitCode})`;
  } else if (term.reason === 'DeadlineExceeded') {
    seen.runtimeReason = 'Timeout';
    seen.runtimeMessage = 'the Job passed its activeDeadlineSeconds';
  }
  const message = term.message?.trim();
  if (message) {
    try {
      seen.result = parseTrialResult(message);
    } catch (err) {
      seen.resultError = err instanceof TrialResultError ? err.message : String(err);
    }
  }
  return seen;
}

/** The trial of a Job (and its newest pod), judged when it has ended. */
export function observeTrial(spec: ResolvedSpec, job: V1Job, pods: readonly V1Pod[], live: LiveMetrics): ObservedTrial {
  const index = trialIndexOf(job.metadata?.labels) as number;
  const pod = [...pods].sort((a, b) => (toMillis(b.metadata?.creationTimestamp) ?? 0) - (toMillis(a.metadata?.creationTimestamp) ?? 0))[0];
  const createdAt = toMillis(job.metadata?.creationTimestamp) ?? 0;
  const startedAt = toMillis(pod?.status?.startTime);
  const base = { index, params: paramsOf(job), reports: live.reports, createdAt, ...(startedAt !== undefined && { startedAt }) };

  const term = terminatedState(pod);
  if (term !== undefined && (pod?.status?.phase === 'Succeeded' || pod?.status?.phase === 'Failed')) {
    const outcome = judgeOutcome(spec.objective, endObservation(term, live));
    const trial: EngineTrial = { ...base, state: outcome.state, metrics: outcome.metrics, finishedAt: toMillis(term.finishedAt) ?? createdAt };
    return { trial: withOutcomeDetail(trial, outcome), ended: true };
  }
  const failed = jobFailedCondition(job);
  if (failed !== undefined && (pod === undefined || pod.status?.phase !== 'Running')) {
    // The Job gave up without a terminated container to read (deadline passed while pending,
    // pod deleted by someone else): a failure with the Job's own reason.
    const reason = failed.reason === 'DeadlineExceeded' ? 'Timeout' : (failed.reason ?? 'JobFailed');
    const trial: EngineTrial = { ...base, state: 'failed', metrics: {}, reason, message: failed.message ?? 'the Job failed', finishedAt: createdAt };
    return { trial, ended: true };
  }
  const running = pod?.status?.phase === 'Running';
  return { trial: { ...base, state: running ? 'running' : 'pending' }, ended: false };
}

function withOutcomeDetail(trial: EngineTrial, outcome: ReturnType<typeof judgeOutcome>): EngineTrial {
  return {
    ...trial,
    ...(outcome.value !== undefined && { value: outcome.value }),
    ...(outcome.reason !== undefined && { reason: outcome.reason }),
    ...(outcome.message !== undefined && { message: outcome.message }),
  };
}

/** The engine's stop order carried out: the trial's final state, judged like any other end. */
export function stoppedTrial(spec: ResolvedSpec, trial: EngineTrial, reason: 'Timeout' | 'PendingTimeout' | 'Pruned' | 'Cancelled', message: string | undefined, now: number): EngineTrial {
  const outcome = judgeOutcome(spec.objective, {
    exitCode: null, signal: null, reports: trial.reports, stopReason: reason, ...(message !== undefined && { stopMessage: message }),
  });
  return withOutcomeDetail({ ...trial, state: outcome.state, metrics: outcome.metrics, finishedAt: now }, outcome);
}
