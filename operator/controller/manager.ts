/**
 * The operator wired in one file (sample-controller's main.go, uds-core's operator index): every
 * watch, every handler, the queue, the workers, leader election and shutdown, top to bottom.
 *
 *   informers (per watched namespace, or one for all)
 *     TuningStudies ─┐
 *     Jobs ──────────┤  handlers only turn objects into study keys
 *     Pods ──────────┤  (a child finds its study through its controller ownerReference, else
 *     ConfigMaps ────┘   the kubetune.io/study label) and keep the by-study indexes
 *          │
 *          ▼
 *     WorkQueue (one key never worked on twice at once; per-key backoff)
 *          │
 *          ▼
 *     N workers (leader only) ── processNextWorkItem ── StudyReconciler.reconcile(key)
 *
 * Caches start on every replica, so a standby is warm and Ready; only the Lease holder runs
 * workers. A lost lease stops everything and `done` resolves with exit code 1, as
 * controller-runtime exits rather than reconcile without the lease. `shutdown()` (the first
 * SIGTERM) lets in-flight reconciles finish, stops the watches and releases the lease so a
 * successor starts at once.
 *
 * What it does not promise: a reconcile that is in flight when the process is killed is simply
 * cut short — the reconciler's writes are idempotent and ordered (record before delete, Job
 * names per trial index), so the next leader repeats it without losing or duplicating a trial.
 */
import { randomUUID } from 'node:crypto';
import type { KubeConfig, KubernetesObject, V1ConfigMap, V1Job, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { API_GROUP, API_VERSION, KIND, PLURAL } from '../api/schema.js';
import { type Clock, systemClock } from '../kube/clock.js';
import { Informer, type InformerHandlers, objectKey, type RelistReason } from '../kube/informer.js';
import { LeaderElector } from '../kube/leader-election.js';
import { WorkQueue } from '../kube/workqueue.js';
import { ClusterApi } from './cluster-api.js';
import { LocalWrites } from './cluster-state.js';
import { LogFollowers } from './logs.js';
import { OperatorMetrics, type ReconcileOutcome } from './metrics.js';
import { LABELS, MANAGER, trialIndexOf } from './names.js';
import { toMillis } from './observe.js';
import { type Caches, StudyReconciler, type StudyObject, TerminalError } from './reconciler.js';

export const COMPONENT = 'kubetune-operator';
const JOB_SELECTOR = `${LABELS.managedBy}=${MANAGER}`;
const HISTORY_SELECTOR = `${LABELS.managedBy}=${MANAGER},${LABELS.history}=true`;

export interface LeaderElectionSettings {
  namespace: string;
  name?: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ManagerOptions {
  kc: KubeConfig;
  /** Namespaces to watch; empty or absent: all namespaces. */
  namespaces?: readonly string[];
  /** Concurrent reconciles (different studies only; default 4). */
  workers?: number;
  /** Absent: this process leads unconditionally (one replica, or tests). */
  leaderElection?: LeaderElectionSettings;
  log: Logger;
  metrics?: OperatorMetrics;
  /** Informer resync period (default 10 min): a periodic second look at every study. */
  resyncMs?: number;
  clock?: Clock;
  /**
   * Stands in for the StudyReconciler (unit tests of the outcome switch); the real one, built
   * over the caches and the cluster API, when absent.
   */
  reconciler?: Pick<StudyReconciler, 'reconcile'>;
}

/** How the manager ended: 0 after `shutdown()`, 1 when the lease was lost or a watch could not start. */
export interface Stopped {
  code: number;
  reason: string;
}

/** Objects of one kind grouped by the study they belong to (`namespace/study`). */
class ByStudy<T extends KubernetesObject> {
  private readonly groups = new Map<string, Map<string, T>>();

  private static groupOf(obj: KubernetesObject): string | undefined {
    const study = obj.metadata?.labels?.[LABELS.study];
    return study === undefined ? undefined : `${obj.metadata?.namespace ?? ''}/${study}`;
  }

  set(obj: T, old?: T): void {
    if (old !== undefined) this.remove(old);
    const g = ByStudy.groupOf(obj);
    if (g === undefined) return;
    let m = this.groups.get(g);
    if (m === undefined) this.groups.set(g, (m = new Map()));
    m.set(objectKey(obj), obj);
  }

  remove(obj: T): void {
    const g = ByStudy.groupOf(obj);
    const m = g === undefined ? undefined : this.groups.get(g);
    if (m === undefined) return;
    m.delete(objectKey(obj));
    if (m.size === 0) this.groups.delete(g!);
  }

  of(namespace: string, study: string): T[] {
    return [...(this.groups.get(`${namespace}/${study}`)?.values() ?? [])];
  }

  *all(): Iterable<T> {
    for (const m of this.groups.values()) yield* m.values();
  }
}

/**
 * The study a child object belongs to: its controller ownerReference when that is a
 * TuningStudy (Jobs, history shards), else its `kubetune.io/study` label (pods, whose
 * controller is their Job).
 */
export function studyKeyOf(obj: KubernetesObject): string | undefined {
  const namespace = obj.metadata?.namespace;
  if (namespace === undefined) return undefined;
  const owner = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (owner !== undefined && owner.kind === KIND && owner.apiVersion.startsWith(`${API_GROUP}/`)) return `${namespace}/${owner.name}`;
  const study = obj.metadata?.labels?.[LABELS.study];
  return study === undefined ? undefined : `${namespace}/${study}`;
}

const sameVersion = (a: KubernetesObject, b: KubernetesObject) =>
  a.metadata?.resourceVersion !== undefined && a.metadata.resourceVersion === b.metadata?.resourceVersion;

export class Manager {
  readonly queue: WorkQueue;
  readonly metrics: OperatorMetrics;
  readonly api: ClusterApi;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly reconciler: Pick<StudyReconciler, 'reconcile'>;
  private readonly followers: LogFollowers;
  private readonly studies = new Map<string, Informer<StudyObject>>();
  private readonly informers: Informer<KubernetesObject>[] = [];
  private readonly jobs = new ByStudy<V1Job>();
  private readonly pods = new ByStudy<V1Pod>();
  private readonly history = new ByStudy<V1ConfigMap>();
  private readonly elector: LeaderElector | undefined;
  private readonly workers: Promise<void>[] = [];
  private leading = false;
  private stopping = false;
  private finish!: (s: Stopped) => void;
  /** Resolves once the manager has stopped, with the exit code the process should use. */
  readonly done: Promise<Stopped>;

  constructor(private readonly options: ManagerOptions) {
    const { kc } = options;
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? new OperatorMetrics();
    this.queue = new WorkQueue(this.clock);
    // Every write checks the fence first, so a reconcile that was frozen midway cannot finish
    // its writes once the lease is in doubt (the write throws; the key is retried).
    this.api = new ClusterApi(kc, () => {
      if (!this.holdsLease()) throw new Error('not writing: this replica\'s leader lease is not confirmed');
    });
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.followers = new LogFollowers(kc, (namespace, study) => this.queue.add(`${namespace}/${study}`));

    const caches: Caches = {
      study: (key) => this.studies.get(this.scopeOf(key.split('/')[0] ?? ''))?.get(key),
      jobsOf: (ns, study) => this.jobs.of(ns, study),
      podsOf: (ns, study) => this.pods.of(ns, study),
      historyOf: (ns, study) => this.history.of(ns, study),
    };
    this.reconciler = options.reconciler ?? new StudyReconciler({
      caches,
      api: this.api,
      writes: new LocalWrites(),
      followers: this.followers,
      now: () => this.clock.now(),
      event: (study, type, reason, message) => this.event(study, type, reason, message),
      trialFinished: (state, reason) => this.metrics.trialFinished(state, reason),
      decided: (seconds) => this.metrics.decideDuration.observe(seconds),
      log: { info: (m, meta) => this.log.info(m, meta), warn: (m, meta) => this.log.warn(m, meta) },
    });

    const scopes = options.namespaces !== undefined && options.namespaces.length > 0 ? [...new Set(options.namespaces)] : [undefined];
    for (const namespace of scopes) this.watch(namespace);

    if (options.leaderElection !== undefined) {
      const le = options.leaderElection;
      this.elector = new LeaderElector(kc, {
        ...le,
        clock: this.clock,
        onStartedLeading: () => this.lead(),
        onStoppedLeading: () => void this.stop({ code: 1, reason: 'lost the leader lease' }, false),
        onError: (err) => this.log.warn('leader election attempt failed', { err: String(err) }),
      });
    }
    this.metrics.attach({
      queueDepth: () => this.queue.length,
      activeTrials: () => {
        let pending = 0;
        let running = 0;
        for (const p of this.pods.all()) {
          if (p.status?.phase === 'Pending') pending++;
          else if (p.status?.phase === 'Running') running++;
        }
        return { pending, running };
      },
      studies: () => [...this.studies.values()].reduce((n, i) => n + i.list().length, 0),
      isLeader: () => this.leading,
    });
  }

  /** The informer scope a namespace falls in ('' for the all-namespaces informers). */
  private scopeOf(namespace: string): string {
    return this.studies.has('') ? '' : namespace;
  }

  /** The four informers of one namespace (or of all), and their handlers. */
  private watch(namespace: string | undefined): void {
    const common = { namespace, resyncMs: this.options.resyncMs, clock: this.clock };
    const onError = (what: string) => (err: unknown) => this.log.warn(`watch of ${what} failed; retrying`, { namespace, err: String(err) });

    const studyHandlers: InformerHandlers<StudyObject> = {
      add: (o) => this.queue.add(objectKey(o)),
      update: (old, o) => (sameVersion(old, o) ? undefined : this.queue.add(objectKey(o))),
      delete: (o) => this.queue.add(objectKey(o)),
      // The periodic second look: a study whose children went quiet is still reconciled.
      resync: (o) => this.queue.add(objectKey(o)),
      error: onError(PLURAL),
      relist: (reason) => this.relisted(PLURAL, reason, namespace),
    };
    const studies = new Informer<StudyObject>(this.options.kc, { ...common, apiVersion: `${API_GROUP}/${API_VERSION}`, kind: KIND, plural: PLURAL }, studyHandlers);
    this.studies.set(namespace ?? '', studies);

    this.informers.push(
      studies as Informer<KubernetesObject>,
      this.childInformer<V1Job>('batch/v1', 'Job', 'jobs', JOB_SELECTOR, this.jobs, common, onError('jobs'), (old, o) => this.jobChanged(old, o)),
      this.childInformer<V1Pod>('v1', 'Pod', 'pods', JOB_SELECTOR, this.pods, common, onError('pods'), (old, o) => this.podChanged(old, o)),
      this.childInformer<V1ConfigMap>('v1', 'ConfigMap', 'configmaps', HISTORY_SELECTOR, this.history, common, onError('configmaps')),
    );
  }

  private childInformer<T extends KubernetesObject>(
    apiVersion: string, kind: string, plural: string, labelSelector: string, index: ByStudy<T>,
    common: { namespace: string | undefined; resyncMs: number | undefined; clock: Clock },
    error: (err: unknown) => void,
    changed?: (old: T | undefined, obj: T | undefined) => void,
  ): Informer<KubernetesObject> {
    const enqueue = (o: T) => {
      const key = studyKeyOf(o);
      if (key !== undefined) this.queue.add(key);
    };
    const handlers: InformerHandlers<T> = {
      add: (o) => {
        index.set(o);
        changed?.(undefined, o);
        enqueue(o);
      },
      update: (old, o) => {
        index.set(o, old);
        if (sameVersion(old, o)) return; // a resync of an unchanged object wakes nobody
        changed?.(old, o);
        enqueue(o);
      },
      delete: (o) => {
        index.remove(o);
        changed?.(o, undefined);
        enqueue(o);
      },
      // No resync handler: the study's own resync already reconciles it with all its children.
      error,
      relist: (reason) => this.relisted(plural, reason, common.namespace),
    };
    return new Informer<T>(this.options.kc, { ...common, apiVersion, kind, plural, labelSelector }, handlers) as unknown as Informer<KubernetesObject>;
  }

  private relisted(plural: string, reason: RelistReason, namespace: string | undefined): void {
    this.metrics.relisted(plural, reason);
    this.log.info('relisting after the watch ended', { resource: plural, reason, namespace });
  }

  private trialFields(o: KubernetesObject): { study: string | undefined; trial: number | undefined; namespace: string | undefined } {
    return { namespace: o.metadata?.namespace, study: o.metadata?.labels?.[LABELS.study], trial: trialIndexOf(o.metadata?.labels) };
  }

  private jobChanged(old: V1Job | undefined, job: V1Job | undefined): void {
    if (old === undefined && job !== undefined && this.synced) this.log.debug('trial Job created', this.trialFields(job));
    if (job === undefined && old !== undefined) this.log.debug('trial Job deleted', this.trialFields(old));
  }

  /** Logs a trial pod's phase changes and measures how long it waited to run. */
  private podChanged(old: V1Pod | undefined, pod: V1Pod | undefined): void {
    if (pod === undefined) return;
    const before = old?.status?.phase;
    const phase = pod.status?.phase;
    if (before === phase) return;
    if (old !== undefined || this.synced) this.log.info(`trial pod ${phase ?? 'Unknown'}`, { ...this.trialFields(pod), pod: pod.metadata?.name });
    if (old !== undefined && before === 'Pending' && phase === 'Running') {
      const created = toMillis(pod.metadata?.creationTimestamp);
      const running = toMillis(pod.status?.containerStatuses?.find((c) => c.name === 'trial')?.state?.running?.startedAt) ?? this.clock.now();
      if (created !== undefined && running >= created) this.metrics.trialPending.observe((running - created) / 1000);
    }
  }

  private event(study: StudyObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const fields = { study: `${study.metadata.namespace}/${study.metadata.name}`, reason };
    if (type === 'Warning') this.log.warn(message, fields);
    else this.log.info(message, fields);
    const involved = {
      apiVersion: `${API_GROUP}/${API_VERSION}`, kind: KIND, name: study.metadata.name,
      namespace: study.metadata.namespace as string, uid: study.metadata.uid ?? '',
    };
    // Best effort: an Event that cannot be written must never fail a reconcile.
    this.api.event(involved, type, reason, message, COMPONENT, new Date(this.clock.now())).catch((err: unknown) =>
      this.log.warn('could not write Event', { ...fields, err: String(err) }));
  }

  get synced(): boolean {
    return this.informers.every((i) => i.hasSynced);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** The fence before any write: no elector (single replica) or a lease renewed recently enough. */
  holdsLease(): boolean {
    return this.elector === undefined || this.elector.holdsLease();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Readiness as /readyz reports it. */
  readiness(): { ok: boolean; detail: string } {
    if (this.stopping) return { ok: false, detail: 'shutting down' };
    if (!this.synced) return { ok: false, detail: 'caches syncing' };
    return { ok: true, detail: this.leading ? 'ok (leader)' : this.elector === undefined ? 'ok' : 'ok (standby)' };
  }

  /** Starts the watches, waits for them to sync, then campaigns for the lease (or leads). */
  async start(): Promise<void> {
    this.log.info('starting', {
      namespaces: this.options.namespaces?.length ? this.options.namespaces : 'all',
      workers: this.options.workers ?? 4,
      leaderElection: this.options.leaderElection?.namespace ?? false,
    });
    await Promise.all(this.informers.map((i) => i.start()));
    if (this.stopping) return;
    this.log.info('caches synced', { studies: [...this.studies.values()].reduce((n, i) => n + i.list().length, 0) });
    if (this.elector === undefined) this.lead();
    else {
      this.log.info('waiting for the leader lease', { lease: `${this.options.leaderElection!.namespace}/${this.elector.name}`, identity: this.elector.identity });
      this.elector.run();
    }
  }

  private lead(): void {
    if (this.stopping || this.leading) return;
    this.leading = true;
    this.log.info('leading: starting workers', { identity: this.elector?.identity });
    // Everything is looked at once on taking over: the previous leader may have died mid-study.
    for (const informer of this.studies.values()) for (const s of informer.list()) this.queue.add(objectKey(s));
    const n = Math.max(1, this.options.workers ?? 4);
    for (let i = 0; i < n; i++) this.workers.push(this.runWorker());
  }

  private async runWorker(): Promise<void> {
    while (await this.processNextWorkItem());
  }

  /**
   * One key: reconcile it, then one switch for the outcome (controller-runtime's
   * reconcileHandler): success forgets the key's backoff; a delay schedules another look; an
   * error requeues with per-key backoff; a terminal error is counted and dropped.
   */
  async processNextWorkItem(): Promise<boolean> {
    const key = await this.queue.get();
    if (key === undefined) return false;
    if (this.stopping) {
      this.queue.done(key);
      return false;
    }
    if (!this.holdsLease()) {
      // Leading, but the last renewal is older than the renew deadline (this process was frozen
      // or cut off): the lease may be another replica's by now, and our cache stale. Act on
      // nothing; look again once the elector has renewed — or stepped down and stopped us.
      this.queue.addAfter(key, this.options.leaderElection?.retryPeriodMs ?? 2_000);
      this.queue.done(key);
      this.metrics.fenced.inc();
      this.log.debug('not reconciling: the lease is not confirmed', { study: key });
      return true;
    }
    const log = this.log.child({ study: key, reconcileID: randomUUID().slice(0, 8) });
    const t0 = performance.now();
    let result: ReconcileOutcome;
    try {
      const res = await this.reconciler.reconcile(key);
      this.queue.forget(key);
      if (res.requeueAfterMs !== undefined) {
        this.queue.addAfter(key, res.requeueAfterMs);
        result = 'requeue_after';
      } else {
        result = 'success';
      }
    } catch (err) {
      if (err instanceof TerminalError) {
        this.queue.forget(key);
        result = 'terminal_error';
        log.error('reconcile failed; not retrying', { err: err.message });
      } else {
        const retries = this.queue.retries(key);
        this.queue.addRateLimited(key);
        result = 'error';
        log.warn('reconcile failed; retrying with backoff', { err: err instanceof Error ? err.message : String(err), retries });
      }
    } finally {
      this.queue.done(key);
    }
    const seconds = (performance.now() - t0) / 1000;
    this.metrics.reconciled(result, seconds);
    log.debug('reconciled', { result, ms: Math.round(seconds * 1000) });
    return true;
  }

  /** Graceful stop (first SIGTERM): drain workers, stop watches, release the lease. */
  shutdown(): Promise<Stopped> {
    return this.stop({ code: 0, reason: 'shutdown' }, true);
  }

  private async stop(outcome: Stopped, release: boolean): Promise<Stopped> {
    if (this.stopping) return this.done;
    this.stopping = true;
    const level = outcome.code === 0 ? 'info' : 'error';
    this.log.log(level, `stopping: ${outcome.reason}`);
    this.queue.shutDown();
    this.elector?.stop();
    await Promise.all(this.workers);
    this.leading = false;
    this.followers.stopAll();
    for (const i of this.informers) i.stop();
    if (release) await this.elector?.release();
    this.log.info('stopped', { code: outcome.code });
    this.finish(outcome);
    return this.done;
  }
}
