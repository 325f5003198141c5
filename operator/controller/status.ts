/**
 * The study's status (pure): phase, kstatus-style conditions and the bounded summary.
 *
 * Conditions follow kstatus so Argo CD, Flux and `kubectl wait` can judge a study without
 * knowing it:
 *
 *   phase       Ready               Reconciling           Stalled
 *   Pending     False  Pending      True  Starting        —
 *   Running     False  Running      True  TrialsRunning   —
 *   Suspended   False  Suspended    False Suspended       —
 *   Completed   True   <finish>     False <finish>        —
 *   Failed      False  <finish>     False <finish>        True  <finish>
 *   (invalid)   False  InvalidSpec   False InvalidSpec     True  InvalidSpec
 *   (waiting)   False  WaitingForWarmStart  True WaitingForWarmStart  —
 *
 * Every condition carries the generation it describes; a condition keeps its
 * lastTransitionTime while its status does not change.
 */
import type { Issue } from '../api/issues.js';
import type { Condition, StudyPhase, TuningStudyStatus } from '../api/types.js';
import type { CompiledStudy } from '../engine/compile.js';
import { summarize } from '../engine/summary.js';
import type { Decision, EngineTrial } from '../engine/types.js';

/** Longest condition message; the full list of issues goes to an Event and the logs. */
export const CONDITION_MESSAGE_MAX = 1024;

interface ConditionSpec {
  type: 'Ready' | 'Reconciling' | 'Stalled';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

function conditions(previous: readonly Condition[] | undefined, wanted: ConditionSpec[], generation: number | undefined, now: string): Condition[] {
  return wanted.map((w) => {
    const before = previous?.find((c) => c.type === w.type);
    const lastTransitionTime = before !== undefined && before.status === w.status && before.lastTransitionTime ? before.lastTransitionTime : now;
    const c: Condition = { type: w.type, status: w.status, reason: w.reason, message: w.message.slice(0, CONDITION_MESSAGE_MAX), lastTransitionTime };
    if (generation !== undefined) c.observedGeneration = generation;
    return c;
  });
}

export interface StatusInput {
  study: CompiledStudy;
  trials: readonly EngineTrial[];
  decision: Decision;
  previous: TuningStudyStatus | undefined;
  generation: number | undefined;
  /** When the study started (first reconcile that launched or saw a trial). */
  startedAt: number;
  now: number;
}

export function renderStatus(input: StatusInput): TuningStudyStatus {
  const { study, trials, decision, previous, generation, now } = input;
  const nowIso = new Date(now).toISOString();
  const summary = summarize(study, trials);
  const active = trials.filter((t) => t.state === 'pending' || t.state === 'running').length + decision.launch.length;
  let phase: StudyPhase;
  let wanted: ConditionSpec[];
  const counts = `${summary.counts?.finished ?? 0}/${study.spec.budget.maxTrials} trials finished`;
  if (decision.finish !== undefined) {
    const { reason, message } = decision.finish;
    phase = decision.finish.phase;
    wanted = phase === 'Completed'
      ? [{ type: 'Ready', status: 'True', reason, message }, { type: 'Reconciling', status: 'False', reason, message }]
      : [
          { type: 'Ready', status: 'False', reason, message },
          { type: 'Reconciling', status: 'False', reason, message },
          { type: 'Stalled', status: 'True', reason, message },
        ];
  } else if (study.spec.suspend && active === 0) {
    phase = 'Suspended';
    wanted = [
      { type: 'Ready', status: 'False', reason: 'Suspended', message: `suspended; ${counts}` },
      { type: 'Reconciling', status: 'False', reason: 'Suspended', message: 'spec.suspend is true: no trial is launched' },
    ];
  } else if (trials.length === 0 && decision.launch.length === 0) {
    phase = 'Pending';
    wanted = [
      { type: 'Ready', status: 'False', reason: 'Pending', message: 'no trial yet' },
      { type: 'Reconciling', status: 'True', reason: 'Starting', message: 'planning the first trials' },
    ];
  } else {
    phase = 'Running';
    wanted = [
      { type: 'Ready', status: 'False', reason: 'Running', message: counts },
      { type: 'Reconciling', status: 'True', reason: 'TrialsRunning', message: `${active} trial(s) active; ${counts}` },
    ];
  }
  const status: TuningStudyStatus = {
    phase,
    conditions: conditions(previous?.conditions, wanted, generation, nowIso),
    startTime: previous?.startTime ?? new Date(input.startedAt).toISOString(),
    ...summary,
  };
  if (decision.finish !== undefined) {
    status.reason = decision.finish.reason;
    status.completionTime = previous?.phase === phase && previous.completionTime ? previous.completionTime : nowIso;
  }
  if (generation !== undefined) status.observedGeneration = generation;
  return status;
}

/** The status of a study whose spec cannot run: Stalled, naming the fields. */
export function renderInvalidStatus(issues: readonly Issue[], previous: TuningStudyStatus | undefined, generation: number | undefined, now: number): TuningStudyStatus {
  const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  const status: TuningStudyStatus = {
    ...(previous ?? {}),
    phase: previous?.phase === 'Completed' || previous?.phase === 'Failed' ? previous.phase : 'Pending',
    reason: 'InvalidSpec',
    conditions: conditions(previous?.conditions, [
      { type: 'Ready', status: 'False', reason: 'InvalidSpec', message },
      { type: 'Reconciling', status: 'False', reason: 'InvalidSpec', message: 'fix the spec; the study resumes when it changes' },
      { type: 'Stalled', status: 'True', reason: 'InvalidSpec', message },
    ], generation, new Date(now).toISOString()),
  };
  if (generation !== undefined) status.observedGeneration = generation;
  return status;
}

/**
 * The status of a study that waits for its warm-start source (controller/warm-start.ts): still
 * Pending and Reconciling, since it will start by itself once the source has finished.
 */
export function renderWaitingStatus(message: string, previous: TuningStudyStatus | undefined, generation: number | undefined, now: number): TuningStudyStatus {
  const reason = 'WaitingForWarmStart';
  const status: TuningStudyStatus = {
    ...(previous ?? {}),
    phase: 'Pending',
    reason,
    conditions: conditions(previous?.conditions, [
      { type: 'Ready', status: 'False', reason, message },
      { type: 'Reconciling', status: 'True', reason, message },
    ], generation, new Date(now).toISOString()),
  };
  if (generation !== undefined) status.observedGeneration = generation;
  return status;
}
