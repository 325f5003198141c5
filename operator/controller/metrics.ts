/**
 * The operator's Prometheus metrics (prom-client), in a registry of their own so several
 * operators can live in one process (tests, benchmarks) without colliding on the global one.
 *
 * What is exposed, and why nothing more: a metrics endpoint is often scraped by people and
 * systems that may not read every namespace (a shared Prometheus, a dashboard). So no metric
 * carries a study name, a namespace, a trial's parameters or its values — only counts and
 * times by outcome. Who wants one study's numbers reads its status, which RBAC guards. The label
 * values are from small fixed sets (results, trial states, outcome reasons), so the series count
 * stays bounded whatever the users name their studies.
 *
 *   kubetune_reconcile_total{result}            success | requeue_after | error | terminal_error
 *   kubetune_reconcile_errors_total             reconciles that threw (retried or terminal)
 *   kubetune_reconcile_duration_seconds         one reconcile, cache read to status write
 *   kubetune_decide_duration_seconds            the engine's decide (the sampler's suggestions)
 *   kubetune_trials_finished_total{state,reason} trials recorded in history, by outcome
 *   kubetune_trial_pending_seconds              pod creation to its container running
 *   kubetune_workqueue_depth                    study keys waiting for a worker
 *   kubetune_trials_active{phase}               trial pods Pending / Running (from the cache)
 *   kubetune_studies                            studies in the watched namespaces
 *   kubetune_leader                             1 while this process holds the lease
 *   kubetune_watch_relists_total{resource,reason} cache relists: resource is one of the four
 *                                               watched kinds, reason `expired` (410 Gone) or
 *                                               `error` (the apiserver ended a watch with another error)
 *   kubetune_lease_fenced_total                 reconciles refused: leading, but the lease not renewed
 *                                               within the renew deadline (frozen or cut off)
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RELIST_REASONS, type RelistReason } from '../kube/informer.js';

/** The kinds the operator watches, by their plural: the only values of the `resource` label. */
export const WATCHED_RESOURCES = ['tuningstudies', 'jobs', 'pods', 'configmaps'] as const;
export type WatchedResource = (typeof WATCHED_RESOURCES)[number];

export const RECONCILE_RESULTS = ['success', 'requeue_after', 'error', 'terminal_error'] as const;
export type ReconcileOutcome = (typeof RECONCILE_RESULTS)[number];

const TRIAL_STATES = ['succeeded', 'failed', 'pruned'] as const;

/**
 * Trial outcome reasons that may appear as a label: the operator's own (engine/outcome.ts,
 * observe.ts) and the built-in trainer's (trainer/errors.ts). A trial can write any `reason` in
 * its result document; passing its words through would let one study put text on an endpoint
 * other namespaces' viewers scrape, and grow the series without bound (test/reliability/security).
 */
export const KNOWN_TRIAL_REASONS: ReadonlySet<string> = new Set([
  'Timeout', 'PendingTimeout', 'Pruned', 'Cancelled', 'Signal', 'OOMKilled', 'ExitCode', 'BadResult', 'TrialFailed',
  'BadMetricLine', 'MetricMissing', 'MetricNaN', 'MetricInfinite', 'JobDeleted',
  'InvalidParameter', 'InvalidConfig', 'DatasetError', 'NonFiniteLoss', 'BackendError', 'InternalError',
]);

/** A reason as a label value: a known reason, or `Other` (bounded, and no trial's own words). */
export function reasonLabel(reason: string | undefined): string {
  if (reason === undefined || reason === '') return '';
  return KNOWN_TRIAL_REASONS.has(reason) ? reason : 'Other';
}

export interface MetricsSources {
  queueDepth(): number;
  activeTrials(): { pending: number; running: number };
  studies(): number;
  isLeader(): boolean;
}

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconcileTotal: Counter<'result'>;
  readonly reconcileErrors: Counter;
  readonly reconcileDuration: Histogram;
  readonly decideDuration: Histogram;
  readonly trialsFinished: Counter<'state' | 'reason'>;
  readonly trialPending: Histogram;
  readonly watchRelists: Counter<'resource' | 'reason'>;
  readonly fenced: Counter;
  private sources: MetricsSources | undefined;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.reconcileTotal = new Counter({ name: 'kubetune_reconcile_total', help: 'Reconciles of a study key, by result.', labelNames: ['result'], registers });
    // Every label value exists from the start, so a rate() over it is defined before the first error.
    for (const result of RECONCILE_RESULTS) this.reconcileTotal.labels(result).inc(0);
    this.reconcileErrors = new Counter({ name: 'kubetune_reconcile_errors_total', help: 'Reconciles that failed (retried with backoff, or terminal).', registers });
    this.reconcileDuration = new Histogram({
      name: 'kubetune_reconcile_duration_seconds', help: 'Time of one reconcile.', registers,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.decideDuration = new Histogram({
      name: 'kubetune_decide_duration_seconds', help: 'Time the engine took to decide (sampler suggestions and pruning) in one reconcile.', registers,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.trialsFinished = new Counter({
      name: 'kubetune_trials_finished_total', help: 'Trials recorded in history, by state and reason (empty reason: succeeded).', labelNames: ['state', 'reason'], registers,
    });
    this.trialsFinished.labels('succeeded', '').inc(0);
    for (const state of TRIAL_STATES) if (state !== 'succeeded') this.trialsFinished.labels(state, state === 'pruned' ? 'Pruned' : 'ExitCode').inc(0);
    this.trialPending = new Histogram({
      name: 'kubetune_trial_pending_seconds', help: 'Time from a trial pod\'s creation to its container running (scheduling, image pull, start).', registers,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    });
    this.watchRelists = new Counter({
      name: 'kubetune_watch_relists_total', registers, labelNames: ['resource', 'reason'],
      help: 'Times a watched kind was listed again: reason expired = the watch answered 410 Gone (its resourceVersion was compacted away), error = the apiserver ended the watch with another error.',
    });
    for (const resource of WATCHED_RESOURCES) for (const reason of RELIST_REASONS) this.watchRelists.labels(resource, reason).inc(0);
    this.fenced = new Counter({
      name: 'kubetune_lease_fenced_total', registers,
      help: 'Reconciles not started because this replica leads but its last lease renewal is older than the renew deadline (it was frozen or cut off).',
    });
    const self = this;
    new Gauge({
      name: 'kubetune_workqueue_depth', help: 'Study keys waiting for a worker.', registers,
      collect() { this.set(self.sources?.queueDepth() ?? 0); },
    });
    new Gauge({
      name: 'kubetune_trials_active', help: 'Trial pods by phase, as the operator\'s cache sees them.', labelNames: ['phase'], registers,
      collect() {
        const a = self.sources?.activeTrials() ?? { pending: 0, running: 0 };
        this.labels('Pending').set(a.pending);
        this.labels('Running').set(a.running);
      },
    });
    new Gauge({ name: 'kubetune_studies', help: 'TuningStudies in the watched namespaces.', registers, collect() { this.set(self.sources?.studies() ?? 0); } });
    new Gauge({ name: 'kubetune_leader', help: '1 while this process holds the leader lease.', registers, collect() { this.set(self.sources?.isLeader() ? 1 : 0); } });
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Where the gauges read their values at scrape time (the manager, once it exists). */
  attach(sources: MetricsSources): void {
    this.sources = sources;
  }

  reconciled(result: ReconcileOutcome, seconds: number): void {
    this.reconcileTotal.labels(result).inc();
    if (result === 'error' || result === 'terminal_error') this.reconcileErrors.inc();
    this.reconcileDuration.observe(seconds);
  }

  /** One relist of a watched kind; anything outside the fixed sets is not counted (bounded series). */
  relisted(resource: string, reason: RelistReason): void {
    if (!(WATCHED_RESOURCES as readonly string[]).includes(resource) || !RELIST_REASONS.includes(reason)) return;
    this.watchRelists.labels(resource, reason).inc();
  }

  trialFinished(state: string, reason: string | undefined): void {
    this.trialsFinished.labels(state, state === 'succeeded' ? '' : reasonLabel(reason)).inc();
  }

  /** prom-client's text exposition and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
