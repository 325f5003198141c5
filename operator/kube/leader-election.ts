/**
 * Leader election on a `coordination.k8s.io/v1` Lease, after client-go's leaderelection:
 *
 * - Only the leader reconciles; the others wait, polling every `retryPeriodMs`.
 * - A candidate takes the lease when it is free or its record has not changed for
 *   `leaseDurationMs` **as observed by this process's own clock** (client-go's rule: we never
 *   compare our clock with the holder's timestamps, so clock skew between nodes cannot make two
 *   leaders).
 * - The leader renews every `retryPeriodMs`; if it cannot renew for `renewDeadlineMs` it has lost
 *   the lease and `onStoppedLeading` fires — the operator then stops everything and exits, as
 *   controller-runtime does, instead of reconciling without the lease.
 * - Updates carry the resourceVersion they read, so two candidates racing for a free lease meet
 *   the apiserver's optimistic concurrency (409) and only one wins.
 * - `release()` on graceful shutdown empties the holder so a successor need not wait.
 *
 * - `holdsLease()` is the fence a leader checks before it acts: true only while the last
 *   successful renewal *began* less than `renewDeadlineMs` ago by this process's clock. A
 *   successor needs `leaseDurationMs` (> renewDeadline) of silence after that renewal, so a
 *   leader that was frozen (SIGSTOP, a long GC pause, a stalled VM) and wakes up after being
 *   replaced finds `holdsLease()` false at once — before its stale cache can drive a write —
 *   and steps down on its next renewal attempt, which sees the other holder.
 *
 * What this does not promise (client-go says the same): a leader paused between its check and
 * the request reaching the apiserver can still overlap with its successor for that one request.
 * Trial Jobs have deterministic names and history records are idempotent, so such an overlap
 * cannot run a trial twice while its Job exists.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { type Clock, systemClock, type Timer } from './clock.js';
import { statusCode } from './informer.js';

export interface LeaderElectionOptions {
  namespace: string;
  /** Lease name (default `kubetune-operator`). */
  name?: string;
  /** Unique per process (default hostname + `_` + a random UUID). */
  identity?: string;
  /** Defaults as controller-runtime: 15 s, 10 s and 2 s. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock?: Clock;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  /** Called with each failed attempt (they are retried). */
  onError?(err: unknown): void;
}

/** client-go's JitterFactor: the renew deadline must leave room for a jittered retry. */
const JITTER_FACTOR = 1.2;

export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

export class LeaderElector {
  readonly identity: string;
  readonly name: string;
  private readonly api: CoordinationV1Api;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private leading = false;
  private stopped = false;
  private timer: Timer | undefined;
  /** The last record we saw, and when (our clock) it last changed. */
  private observed: { holder: string; renewTime: string; transitions: number } | undefined;
  private observedAt = 0;
  private lastRenewAt = 0;
  /** `holdsLease()` is true until then: start of the last successful renewal + renewDeadline. */
  private validUntil = 0;
  /** The attempt in flight, which `release()` waits for so it cannot re-take the lease after. */
  private attempt: Promise<boolean> | undefined;

  constructor(kc: KubeConfig, private readonly options: LeaderElectionOptions) {
    this.identity = options.identity ?? defaultIdentity();
    this.name = options.name ?? 'kubetune-operator';
    this.api = kc.makeApiClient(CoordinationV1Api);
    this.clock = options.clock ?? systemClock;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (!(this.leaseDurationMs > this.renewDeadlineMs)) throw new RangeError('leaseDuration must be greater than renewDeadline');
    if (!(this.renewDeadlineMs > JITTER_FACTOR * this.retryPeriodMs)) {
      throw new RangeError(`renewDeadline must be greater than retryPeriod*${JITTER_FACTOR}`);
    }
    if (!(this.retryPeriodMs > 0)) throw new RangeError('retryPeriod must be positive');
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Whether this process may act as the leader right now: it leads, and its last successful
   * renewal began less than `renewDeadlineMs` ago. Check it before every write.
   */
  holdsLease(): boolean {
    return this.leading && !this.stopped && this.clock.now() < this.validUntil;
  }

  /** Starts campaigning; `onStartedLeading` fires when the lease is ours. */
  run(): void {
    void this.tick();
  }

  /**
   * Stops campaigning and renewing without touching the lease: others take over once it
   * expires, exactly as after a crash. Graceful shutdown should `release()` instead.
   */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Stops campaigning or renewing, and gives the lease up if we hold it. */
  async release(): Promise<void> {
    this.stop();
    await this.attempt?.catch(() => false);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.options.namespace });
      if (lease.spec?.holderIdentity !== this.identity) return;
      lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: new V1MicroTime(this.clock.now()) };
      await this.api.replaceNamespacedLease({ name: this.name, namespace: this.options.namespace, body: lease });
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let ok = false;
    const started = this.clock.now();
    try {
      this.attempt = this.tryAcquireOrRenew();
      ok = await this.attempt;
    } catch (err) {
      this.options.onError?.(err);
    }
    if (this.stopped) return;
    const now = this.clock.now();
    if (ok) {
      this.lastRenewAt = now;
      this.validUntil = started + this.renewDeadlineMs;
      if (!this.leading) {
        this.leading = true;
        this.options.onStartedLeading();
      }
    } else if (this.leading && now - this.lastRenewAt >= this.renewDeadlineMs) {
      this.leading = false;
      this.stopped = true;
      this.options.onStoppedLeading();
      return;
    }
    const jitter = this.leading ? 0 : Math.random() * (JITTER_FACTOR - 1) * this.retryPeriodMs;
    this.timer = this.clock.after(this.retryPeriodMs + jitter, () => void this.tick());
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const namespace = this.options.namespace;
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name: this.name, namespace });
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
      await this.api.createNamespacedLease({ namespace, body: this.record(undefined, now) });
      this.observe(this.identity, String(now), 0, now);
      return true;
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const renewTime = spec.renewTime ? new Date(spec.renewTime).toISOString() : '';
    this.observe(holder, renewTime, spec.leaseTransitions ?? 0, now);
    const durationMs = (spec.leaseDurationSeconds ?? this.leaseDurationMs / 1000) * 1000;
    if (holder !== '' && holder !== this.identity && now - this.observedAt < durationMs) return false;
    if (this.stopped && holder !== this.identity) return false; // stopped meanwhile: take nothing new
    try {
      await this.api.replaceNamespacedLease({ name: this.name, namespace, body: { ...lease, spec: this.record(lease, now).spec } });
    } catch (err) {
      if (statusCode(err) === 409) return false; // someone else updated it first
      throw err;
    }
    return true;
  }

  private observe(holder: string, renewTime: string, transitions: number, now: number): void {
    const o = this.observed;
    if (o === undefined || o.holder !== holder || o.renewTime !== renewTime || o.transitions !== transitions) {
      this.observed = { holder, renewTime, transitions };
      this.observedAt = now;
    }
  }

  private record(previous: V1Lease | undefined, now: number): V1Lease {
    const before = previous?.spec;
    const ours = before?.holderIdentity === this.identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: previous?.metadata ?? { name: this.name, namespace: this.options.namespace },
      spec: {
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: ours && before?.acquireTime ? new V1MicroTime(before.acquireTime) : new V1MicroTime(now),
        renewTime: new V1MicroTime(now),
        leaseTransitions: ours ? (before?.leaseTransitions ?? 0) : (before?.leaseTransitions ?? -1) + 1,
      },
    };
  }
}
