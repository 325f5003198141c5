/**
 * A work queue of keys for level-triggered reconciliation, after client-go's workqueue:
 *
 * - A key is queued at most once however often it is added (the `dirty` set): ten events for a
 *   study mean one reconcile of its latest state.
 * - A key being worked on (`processing`) is never handed to a second worker; if it is added
 *   meanwhile, it is queued again when the worker calls `done`, so the change is not lost.
 * - `addAfter` delays a key (requeue after N ms); `addRateLimited` delays it by a per-key
 *   exponential backoff that `forget` resets after a success.
 * - `shutDown` wakes every waiting worker with `undefined`.
 *
 * Time comes from a `Clock`, so tests never sleep.
 */
import { type Clock, systemClock, type Timer } from './clock.js';

export interface BackoffOptions {
  /** First retry delay (default 5 ms, as client-go's default controller rate limiter). */
  baseMs?: number;
  /** Longest delay (default 1000 s in client-go; 5 minutes here: a study should not wait longer). */
  maxMs?: number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly delayed = new Map<string, { due: number; timer: Timer }>();
  private readonly failures = new Map<string, number>();
  private shuttingDown = false;
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(
    private readonly clock: Clock = systemClock,
    backoff: BackoffOptions = {},
  ) {
    this.baseMs = backoff.baseMs ?? 5;
    this.maxMs = backoff.maxMs ?? 5 * 60_000;
  }

  /** Keys queued and not yet handed out. */
  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.queue.push(key);
    }
  }

  /** Adds `key` after `ms`; an earlier pending delay for the key wins over a later one. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const due = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing !== undefined) {
      if (existing.due <= due) return;
      existing.timer.cancel();
    }
    const timer = this.clock.after(ms, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { due, timer });
  }

  /** Requeues `key` after its next backoff delay: base * 2^failures, capped. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, this.backoffMs(n));
  }

  /** The delay the n-th consecutive failure (from 0) waits. */
  backoffMs(n: number): number {
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(n, 40));
  }

  /** Consecutive failures recorded for `key`. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Clears the backoff of `key` (call after a successful reconcile). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** The next key to work on, waiting for one; `undefined` once the queue shuts down. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` finished; if it was added while being worked on, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
}
