/**
 * The TuningStudy reconciler: one study key in, the cluster brought one step closer to what the
 * engine decides. Level-triggered: it reads everything from the caches each time, so it does not
 * matter which event woke it, how many were merged, or whether the operator restarted between.
 *
 * The steps, in order (sample-controller's syncHandler shape):
 *   1. read the study; gone or being deleted → forget it (its Jobs and history are
 *      garbage-collected through ownerReferences);
 *   2. validate and compile the spec; invalid → Stalled condition + Warning Event, no retry
 *      until the spec changes;
 *   3. observe: finished trials from history, active ones from their Jobs and pods; a trial that
 *      ended is judged, recorded in history, and only then its Job deleted — so a crash at any
 *      point loses nothing and repeats nothing;
 *   4. decide (the pure engine) and carry out: stop orders are recorded then their Jobs deleted,
 *      launches create Jobs with deterministic names (409 AlreadyExists means done);
 *   5. write the bounded status if it changed, and ask to be woken for the next deadline.
 *
 * Contract (as controller-runtime's Reconciler): a thrown error requeues the key with per-key
 * backoff; a `TerminalError` is logged and counted but not retried; `requeueAfterMs` asks for
 * another look at a known time even if nothing changes.
 */
import type { KubernetesObject, V1ConfigMap, V1Job, V1Pod } from '@kubernetes/client-node';
import { SpecError } from '../api/issues.js';
import { API_GROUP, API_VERSION, KIND } from '../api/schema.js';
import type { ResolvedSpec, TuningStudy, TuningStudyStatus } from '../api/types.js';
import { resolveStudy } from '../api/validate.js';
import { type CompiledStudy, compileStudy } from '../engine/compile.js';
import { decide } from '../engine/decide.js';
import type { Decision, EngineTrial } from '../engine/types.js';
import type { WarmTrial } from '../engine/warm-start.js';
import type { ClusterApi } from './cluster-api.js';
import type { LocalWrites } from './cluster-state.js';
import { fromRecord, type HistoryRecord, readShards, toRecord } from './history.js';
import { renderTrialJob } from './jobs.js';
import { type LogFollowers, readTrialMetrics } from './logs.js';
import { trialIndexOf, trialJobName } from './names.js';
import { NO_METRICS, observeTrial, stoppedTrial, toMillis } from './observe.js';
import { renderInvalidStatus, renderStatus, renderWaitingStatus } from './status.js';
import { WARM_START_RECHECK_MS, warmStartFor } from './warm-start.js';

export type ReconcileResult = { requeueAfterMs?: number };

/** An error that retrying cannot fix; logged and counted, never requeued. */
export class TerminalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerminalError';
  }
}

export type StudyObject = TuningStudy & KubernetesObject & { metadata: { uid?: string; generation?: number; deletionTimestamp?: Date | string } };

/** Read-only views of the informer caches the reconciler needs. */
export interface Caches {
  study(key: string): StudyObject | undefined;
  jobsOf(namespace: string, study: string): V1Job[];
  podsOf(namespace: string, study: string): V1Pod[];
  historyOf(namespace: string, study: string): V1ConfigMap[];
}

export interface ReconcilerDeps {
  caches: Caches;
  api: ClusterApi;
  writes: LocalWrites;
  followers: LogFollowers | undefined;
  now(): number;
  /** Things a person would want in `kubectl describe`. */
  event(study: StudyObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Counts finished trials by outcome for the metrics endpoint. */
  trialFinished(state: string, reason: string | undefined): void;
  /** Times the engine's decide (sampler suggestions, pruning) for the metrics endpoint. */
  decided?(seconds: number): void;
  log: { info(msg: string, meta?: object): void; warn(msg: string, meta?: object): void };
}

/** Compiling a spec parses its space (and enumerates a grid): once per study generation. */
const compiled = new Map<string, { uid: string; generation: number; study: CompiledStudy }>();

function compile(key: string, obj: StudyObject, spec: ResolvedSpec, warmStart: readonly WarmTrial[] | undefined): CompiledStudy {
  const uid = obj.metadata.uid ?? '';
  const generation = obj.metadata.generation ?? 0;
  const hit = compiled.get(key);
  // Warm trials come from a finished source or the study's own snapshot: fixed per generation.
  if (hit !== undefined && hit.uid === uid && hit.generation === generation) return hit.study;
  const study = compileStudy(spec, warmStart === undefined ? {} : { warmStart });
  compiled.set(key, { uid, generation, study });
  return study;
}

/** Whether `obj`'s current generation is compiled already (so one-off Events are not repeated). */
function compiledFor(key: string, obj: StudyObject): boolean {
  const hit = compiled.get(key);
  return hit !== undefined && hit.uid === (obj.metadata.uid ?? '') && hit.generation === (obj.metadata.generation ?? 0);
}

export class StudyReconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  async reconcile(key: string): Promise<ReconcileResult> {
    const { caches, writes } = this.deps;
    const obj = caches.study(key);
    if (obj === undefined || obj.metadata.deletionTimestamp) {
      writes.forget(key);
      compiled.delete(key);
      return {};
    }
    let study: CompiledStudy;
    try {
      const spec = resolveStudy(obj);
      const warm = warmStartFor(spec, obj, caches);
      if (warm.kind === 'waiting') {
        if (obj.status?.reason !== 'WaitingForWarmStart') this.deps.event(obj, 'Normal', 'WaitingForWarmStart', warm.message);
        await this.writeStatus(obj, renderWaitingStatus(warm.message, obj.status, obj.metadata.generation, this.deps.now()));
        return { requeueAfterMs: WARM_START_RECHECK_MS };
      }
      if (warm.kind === 'ready' && warm.create !== undefined && (await this.deps.api.createConfigMap(warm.create))) {
        this.deps.event(obj, 'Normal', 'WarmStarted', `${warm.trials.length} finished trial(s) of TuningStudy ${warm.source} given to the sampler`);
      }
      if (warm.kind === 'ready' && warm.lost !== undefined && !compiledFor(key, obj)) this.deps.event(obj, 'Warning', 'WarmStartLost', warm.lost);
      study = compile(key, obj, spec, warm.kind === 'ready' ? warm.trials : undefined);
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      await this.writeStatus(obj, renderInvalidStatus(err.issues, obj.status, obj.metadata.generation, this.deps.now()));
      this.deps.event(obj, 'Warning', 'InvalidSpec', err.issues.map((i) => `${i.path}: ${i.message}`).join('; ').slice(0, 1024));
      return {};
    }

    const trials = await this.observe(key, obj, study);
    const now = this.deps.now();
    const startedAt = toMillis(obj.status?.startTime) ?? Math.min(now, ...[...trials.values()].map((t) => t.createdAt));
    const t0 = performance.now();
    const decision = decide(study, { trials: [...trials.values()], startedAt }, now);
    this.deps.decided?.((performance.now() - t0) / 1000);
    await this.carryOut(key, obj, study, trials, decision);

    const status = renderStatus({ study, trials: [...trials.values()], decision, previous: obj.status, generation: obj.metadata.generation, startedAt, now });
    if (decision.finish !== undefined && obj.status?.phase !== status.phase) {
      this.deps.event(obj, decision.finish.phase === 'Completed' ? 'Normal' : 'Warning', decision.finish.reason, decision.finish.message);
    }
    await this.writeStatus(obj, status);
    this.followLogs(study, obj, trials);
    const wake = nextDeadline(study.spec, [...trials.values()], startedAt, now);
    return wake === undefined ? {} : { requeueAfterMs: wake };
  }

  /** Every trial of the study, index → trial, with ended ones judged and recorded. */
  private async observe(key: string, obj: StudyObject, study: CompiledStudy): Promise<Map<number, EngineTrial>> {
    const { caches, writes } = this.deps;
    const namespace = obj.metadata.namespace as string;
    const name = obj.metadata.name;
    const metric = study.spec.objective.metric;

    const records = readShards(caches.historyOf(namespace, name));
    for (const r of writes.pendingRecords(key, records)) records.set(r.index, r);
    const trials = new Map<number, EngineTrial>();
    for (const r of records.values()) trials.set(r.index, fromRecord(r, metric));

    const jobs = caches.jobsOf(namespace, name).filter((j) => ownedBy(j, obj));
    const cachedIdx = new Set(jobs.map((j) => trialIndexOf(j.metadata?.labels)).filter((i): i is number => i !== undefined));
    jobs.push(...writes.pendingJobs(key, cachedIdx, new Set(records.keys())));
    const pods = caches.podsOf(namespace, name);

    for (const job of jobs) {
      const index = trialIndexOf(job.metadata?.labels);
      if (index === undefined) continue;
      if (records.has(index)) {
        // Recorded already (we crashed before deleting it, or the delete is in flight).
        await this.deps.api.deleteJob(namespace, job.metadata!.name!);
        continue;
      }
      const jobPods = pods.filter((p) => trialIndexOf(p.metadata?.labels) === index);
      const running = jobPods.find((p) => p.status?.phase === 'Running');
      const live = (running && this.deps.followers?.metrics(running.metadata!.uid!)) || NO_METRICS;
      let seen = observeTrial(study.spec, job, jobPods, live);
      if (seen.ended) {
        const pod = jobPods.find((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed');
        if (pod !== undefined) {
          const full = await readTrialMetrics(this.deps.api.kc, namespace, pod.metadata!.name!).catch(() => undefined);
          if (full !== undefined) seen = observeTrial(study.spec, job, jobPods, full);
        }
        await this.record(key, obj, study, seen.trial);
        await this.deps.api.deleteJob(namespace, job.metadata!.name!);
      }
      trials.set(index, seen.trial);
    }
    await this.fillGaps(key, obj, study, trials);
    return trials;
  }

  /**
   * Trial indices are dense. An index with neither a record nor a Job means its Job was deleted
   * by someone before its result was recorded: the trial is recorded as failed with that reason,
   * so the study neither hangs nor plans the index again.
   */
  private async fillGaps(key: string, obj: StudyObject, study: CompiledStudy, trials: Map<number, EngineTrial>): Promise<void> {
    const highest = Math.max(-1, ...trials.keys());
    const now = this.deps.now();
    for (let index = 0; index < highest; index++) {
      if (trials.has(index)) continue;
      const lost: EngineTrial = {
        index, params: {}, state: 'failed', reports: [], createdAt: now, finishedAt: now,
        reason: 'JobDeleted', message: 'the trial\'s Job was deleted before its result was recorded',
      };
      trials.set(index, lost);
      await this.record(key, obj, study, lost);
    }
  }

  private async record(key: string, obj: StudyObject, study: CompiledStudy, trial: EngineTrial): Promise<void> {
    const record: HistoryRecord = toRecord(trial, study.spec.objective.metric);
    await this.deps.api.writeHistory(studyOwner(obj), record);
    this.deps.writes.wroteRecord(key, record);
    this.deps.trialFinished(trial.state, trial.reason);
    if (trial.state === 'failed') {
      this.deps.event(obj, 'Warning', 'TrialFailed', `trial ${trial.index}: ${trial.reason ?? 'failed'}${trial.message ? `: ${trial.message}` : ''}`.slice(0, 1024));
    }
  }

  private async carryOut(key: string, obj: StudyObject, study: CompiledStudy, trials: Map<number, EngineTrial>, decision: Decision): Promise<void> {
    const namespace = obj.metadata.namespace as string;
    const now = this.deps.now();
    for (const order of decision.stop) {
      const trial = trials.get(order.index);
      if (trial === undefined || (trial.state !== 'pending' && trial.state !== 'running')) continue;
      const stopped = stoppedTrial(study.spec, trial, order.reason, order.message, now);
      await this.record(key, obj, study, stopped);
      trials.set(order.index, stopped);
      await this.deps.api.deleteJob(namespace, trialJobName(obj.metadata.name, order.index));
    }
    const ref = { name: obj.metadata.name, namespace, uid: obj.metadata.uid ?? '' };
    for (const plan of decision.launch) {
      const job = renderTrialJob(study.spec, plan, ref);
      await this.deps.api.createJob(job);
      this.deps.writes.createdJob(key, plan.index, job);
      trials.set(plan.index, { index: plan.index, params: plan.params, state: 'pending', reports: [], createdAt: now });
    }
  }

  private followLogs(study: CompiledStudy, obj: StudyObject, trials: Map<number, EngineTrial>): void {
    const followers = this.deps.followers;
    if (followers === undefined || study.pruner === undefined) return;
    const namespace = obj.metadata.namespace as string;
    for (const pod of this.deps.caches.podsOf(namespace, obj.metadata.name)) {
      const index = trialIndexOf(pod.metadata?.labels);
      if (index === undefined || pod.status?.phase !== 'Running' || trials.get(index)?.state !== 'running') continue;
      followers.ensure(pod.metadata!.uid!, namespace, pod.metadata!.name!, obj.metadata.name);
    }
  }

  private async writeStatus(obj: StudyObject, status: TuningStudyStatus): Promise<void> {
    if (JSON.stringify(withoutTimes(obj.status)) === JSON.stringify(withoutTimes(status))) return;
    await this.deps.api.patchStudyStatus(obj.metadata.namespace as string, obj.metadata.name, status);
  }
}

/** A status compared without its condition timestamps, which alone are no reason to write. */
function withoutTimes(status: TuningStudyStatus | undefined): unknown {
  if (status === undefined) return undefined;
  return { ...status, conditions: status.conditions?.map(({ lastTransitionTime: _t, ...c }) => c) };
}

function ownedBy(job: V1Job, study: StudyObject): boolean {
  return (job.metadata?.ownerReferences ?? []).some((r) => r.uid === study.metadata.uid && r.kind === KIND);
}

export function studyOwner(obj: StudyObject) {
  return { name: obj.metadata.name, namespace: obj.metadata.namespace as string, uid: obj.metadata.uid ?? '', apiVersion: `${API_GROUP}/${API_VERSION}`, kind: KIND };
}

/** Milliseconds until the next timeout the engine will act on, if any. */
export function nextDeadline(spec: ResolvedSpec, trials: readonly EngineTrial[], startedAt: number, now: number): number | undefined {
  const deadlines: number[] = [];
  const { trialTimeoutMs, pendingTimeoutMs, timeoutMs } = spec.budget;
  if (timeoutMs !== undefined) deadlines.push(startedAt + timeoutMs);
  for (const t of trials) {
    if (t.state === 'running' && trialTimeoutMs !== undefined) deadlines.push((t.startedAt ?? t.createdAt) + trialTimeoutMs);
    if (t.state === 'pending' && pendingTimeoutMs !== undefined) deadlines.push(t.createdAt + pendingTimeoutMs);
  }
  const future = deadlines.filter((d) => d > now);
  // A little after the deadline, so the engine sees it passed.
  return future.length === 0 ? undefined : Math.min(...future) - now + 50;
}
