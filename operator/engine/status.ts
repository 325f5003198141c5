/**
 * The study's `status` as a pure function of what the engine knows: phase, kstatus-style
 * conditions, counts, best/top/recent trials, start and completion times. The operator writes it
 * to the TuningStudy; the CLI could print it. Conditions follow kstatus so Argo CD and Flux judge
 * health without custom code:
 *
 *   running           Ready=False (Running),       Reconciling=True (Running)
 *   suspended         Ready=False (Suspended),     Reconciling=False (Suspended)
 *   Completed         Ready=True  (<finish reason>), no Reconciling, no Stalled
 *   Failed            Ready=False (<finish reason>), Stalled=True (<finish reason>)
 *   invalid spec      Ready=False (InvalidSpec),   Stalled=True (InvalidSpec) with the issues
 *
 * `lastTransitionTime` is kept from the previous status when a condition's status did not change,
 * so repeated reconciles do not churn it.
 */
import { formatIssues, type Issue } from '../api/issues.js';
import type { Condition, StudyPhase, TuningStudyStatus } from '../api/types.js';
import type { CompiledStudy } from './compile.js';
import { summarize } from './summary.js';
import type { EngineTrial, Finish } from './types.js';

export interface StatusInput {
  study: CompiledStudy;
  trials: readonly EngineTrial[];
  /** The generation of the spec this status describes. */
  generation: number;
  now: number;
  startedAt?: number;
  finish?: Finish & { at: number };
  previous?: TuningStudyStatus;
}

const MAX_MESSAGE = 1024;
const iso = (ms: number) => new Date(ms).toISOString();

function condition(type: string, status: Condition['status'], reason: string, message: string, input: { generation: number; now: number; previous?: TuningStudyStatus }): Condition {
  const before = input.previous?.conditions?.find((c) => c.type === type);
  const since = before !== undefined && before.status === status && before.lastTransitionTime !== undefined ? before.lastTransitionTime : iso(input.now);
  return { type, status, reason, message: message.slice(0, MAX_MESSAGE), lastTransitionTime: since, observedGeneration: input.generation };
}

export function renderStatus(input: StatusInput): TuningStudyStatus {
  const { study, trials, finish } = input;
  const summary = summarize(study, trials);
  const counts = summary.counts;
  let phase: StudyPhase;
  const conditions: Condition[] = [];
  if (finish !== undefined) {
    phase = finish.phase;
    if (finish.phase === 'Completed') {
      conditions.push(condition('Ready', 'True', finish.reason, finish.message, input));
    } else {
      conditions.push(condition('Ready', 'False', finish.reason, finish.message, input));
      conditions.push(condition('Stalled', 'True', finish.reason, finish.message, input));
    }
  } else if (study.spec.suspend) {
    phase = 'Suspended';
    conditions.push(condition('Ready', 'False', 'Suspended', 'spec.suspend is set: no new trials start', input));
    conditions.push(condition('Reconciling', 'False', 'Suspended', 'suspended', input));
  } else {
    phase = (counts?.total ?? 0) === 0 ? 'Pending' : 'Running';
    const progress = `${counts?.finished ?? 0}/${study.spec.budget.maxTrials} trials finished, ${counts?.running ?? 0} running`;
    conditions.push(condition('Ready', 'False', 'Running', progress, input));
    conditions.push(condition('Reconciling', 'True', 'Running', progress, input));
  }
  const status: TuningStudyStatus = { phase, observedGeneration: input.generation, conditions, ...summary };
  if (finish !== undefined) status.reason = finish.reason;
  if (input.startedAt !== undefined) status.startTime = iso(input.startedAt);
  if (finish !== undefined) status.completionTime = input.previous?.completionTime ?? iso(finish.at);
  return status;
}

/** The status of a study whose spec is invalid: Stalled, naming the fields (shortened to fit). */
export function renderInvalidStatus(issues: readonly Issue[], generation: number, now: number, previous?: TuningStudyStatus): TuningStudyStatus {
  const message = formatIssues(issues);
  const input = { generation, now, ...(previous === undefined ? {} : { previous }) };
  return {
    ...(previous ?? {}),
    phase: 'Failed',
    reason: 'InvalidSpec',
    observedGeneration: generation,
    conditions: [condition('Ready', 'False', 'InvalidSpec', message, input), condition('Stalled', 'True', 'InvalidSpec', message, input)],
  };
}
