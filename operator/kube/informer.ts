/**
 * Our own list-watch cache over @kubernetes/client-node 1.4 (design.md §4). The library's
 * informer has known faults (no reconnect backoff, no watch timeout, a socket leak, `stop()`
 * emitting an error); this one:
 *
 * - lists in pages (`limit`/`continue`), restarting the list if a continue token expires;
 * - watches from the list's resourceVersion with bookmarks, so a reconnect resumes where it
 *   stopped and an idle watch still learns the current resourceVersion;
 * - on `410 Gone` (the resourceVersion was compacted away) relists and emits the difference
 *   between the old and the new cache as adds, updates and deletes — nothing is missed;
 * - after a broken or idle connection resumes the watch from the last resourceVersion it saw
 *   (client-go's reflector does the same), so an apiserver restart costs one watch, not a
 *   full list of every object — or, if that resourceVersion is gone meanwhile, a 410 and a relist;
 * - ends each watch server-side after a jittered timeout, and aborts it from our side when
 *   nothing (not even a bookmark) arrived for `idleTimeoutMs`: a half-open connection is found;
 * - backs off with jitter between failed attempts, and re-emits every object on `resyncMs` so
 *   level-triggered controllers get a periodic second look.
 *
 * The cache holds the objects as received. Treat them as read-only: build patches, never edit.
 */
import { type KubeConfig, type KubernetesObject, KubernetesObjectApi, Watch } from '@kubernetes/client-node';
import { type Clock, systemClock, type Timer } from './clock.js';

export interface InformerOptions {
  apiVersion: string;
  kind: string;
  /** Plural resource name for the watch path, e.g. `jobs`, `tuningstudies`. */
  plural: string;
  /** Limit to one namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  /** Objects per list page (default 500). */
  pageSize?: number;
  /** Server-side watch timeout, jittered up to twice this (default 300 s). */
  watchTimeoutSeconds?: number;
  /** Abort a watch that delivered nothing for this long (default 2.5 × watch timeout... capped at 10 min). */
  idleTimeoutMs?: number;
  /** Re-emit every cached object this often (default 10 min; 0 disables). */
  resyncMs?: number;
  /** Retry backoff after failures: base and cap (defaults 200 ms and 30 s), with full jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  clock?: Clock;
  /**
   * Start from a known state (objects and the resourceVersion they were read at) and watch from
   * there instead of listing first. If that resourceVersion has been compacted away the watch
   * answers 410 and the informer relists, emitting what changed since the state was taken.
   */
  initialState?: { resourceVersion: string; objects: KubernetesObject[] };
  /** Source of jitter in [0, 1); injectable so tests are repeatable. */
  random?: () => number;
}

export interface InformerHandlers<T extends KubernetesObject> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
  /** Periodic re-emission of a cached object (level-triggered second look). */
  resync?(obj: T): void;
  /** A list or watch attempt failed; the informer retries by itself. */
  error?(err: unknown): void;
  /**
   * The cache is about to be listed again: `expired` after `410 Gone` (its resourceVersion was
   * compacted away), `error` after the apiserver ended a watch with another error status.
   */
  relist?(reason: RelistReason): void;
}

export type RelistReason = 'expired' | 'error';
export const RELIST_REASONS: readonly RelistReason[] = ['expired', 'error'];

/** `namespace/name`, or `name` for cluster-scoped objects: the key of the cache and the queue. */
export function objectKey(obj: KubernetesObject): string {
  const { namespace, name } = obj.metadata ?? {};
  return namespace ? `${namespace}/${name}` : String(name);
}

interface WatchEvent {
  type: string;
  object: KubernetesObject & { code?: number; reason?: string; message?: string };
}

class GoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoneError';
  }
}

/** An ERROR event inside a watch other than 410: the state is not trusted, so list again. */
class WatchStatusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WatchStatusError';
  }
}

export class Informer<T extends KubernetesObject> {
  private readonly cache = new Map<string, T>();
  private readonly api: KubernetesObjectApi;
  private readonly watcher: Watch;
  private readonly clock: Clock;
  private readonly random: () => number;
  private resourceVersion = '';
  private stopped = false;
  private synced = false;
  private failures = 0;
  private abortWatch: (() => void) | undefined;
  private retryTimer: Timer | undefined;
  private resyncTimer: Timer | undefined;
  private readonly syncWaiters: (() => void)[] = [];
  /** Counts of list and watch requests made, for the load benchmarks' requests-per-trial. */
  readonly requests = { list: 0, watch: 0, relists: 0 };

  constructor(
    kc: KubeConfig,
    private readonly options: InformerOptions,
    private readonly handlers: InformerHandlers<T>,
  ) {
    this.api = KubernetesObjectApi.makeApiClient(kc);
    this.watcher = new Watch(kc);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  /** Starts listing and watching; resolves once the first list is in the cache. */
  start(): Promise<void> {
    const initial = this.options.initialState;
    if (initial !== undefined) {
      for (const obj of initial.objects) this.cache.set(objectKey(obj), obj as T);
      this.resourceVersion = initial.resourceVersion;
      this.synced = true;
    }
    void this.listAndWatch(initial === undefined);
    this.scheduleResync();
    return this.waitForSync();
  }

  stop(): void {
    this.stopped = true;
    this.abortWatch?.();
    this.retryTimer?.cancel();
    this.resyncTimer?.cancel();
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  private async listAndWatch(needList: boolean): Promise<void> {
    while (!this.stopped) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        await this.watchOnce();
        this.failures = 0;
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof GoneError || statusCode(err) === 410) {
          needList = true;
          this.requests.relists++;
          this.handlers.relist?.('expired');
          continue; // a 410 is expected after compaction: relist at once, no backoff
        }
        this.handlers.error?.(err);
        if (err instanceof WatchStatusError) {
          needList = true;
          this.requests.relists++;
          this.handlers.relist?.('error');
        }
        // A failed list is tried again; a broken or idle connection (apiserver down, reset,
        // watchdog) resumes the watch from the last resourceVersion: the apiserver sends every
        // event since, or 410 if it no longer can. Either way nothing is missed.
        await this.backoff();
      }
    }
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      this.requests.list++;
      let page;
      try {
        page = await this.api.list<T>(
          this.options.apiVersion, this.options.kind, this.options.namespace,
          undefined, undefined, undefined, undefined, this.options.labelSelector, this.options.pageSize ?? 500, continueToken,
        );
      } catch (err) {
        // An expired continue token answers 410: start the list over from the first page.
        if (continueToken !== undefined && statusCode(err) === 410) {
          fresh.clear();
          continueToken = undefined;
          continue;
        }
        throw err;
      }
      for (const item of page.items) {
        // List items omit apiVersion/kind; put them back so every cached object is whole.
        const obj = { apiVersion: this.options.apiVersion, kind: this.options.kind, ...item } as T;
        fresh.set(objectKey(obj), obj);
      }
      continueToken = page.metadata?._continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (continueToken !== undefined && !this.stopped);
    if (this.stopped) return;
    const old = new Map(this.cache);
    this.cache.clear();
    for (const [key, obj] of fresh) this.cache.set(key, obj);
    this.resourceVersion = resourceVersion;
    for (const [key, obj] of fresh) {
      const before = old.get(key);
      if (before === undefined) this.handlers.add?.(obj);
      else if (before.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.handlers.update?.(before, obj);
    }
    for (const [key, obj] of old) if (!fresh.has(key)) this.handlers.delete?.(obj);
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private watchPath(): string {
    const { apiVersion, namespace, plural } = this.options;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
  }

  /** One watch connection, from the current resourceVersion until it ends, fails or goes idle. */
  private watchOnce(): Promise<void> {
    const timeoutSeconds = Math.round((this.options.watchTimeoutSeconds ?? 300) * (1 + this.random()));
    const idleMs = this.options.idleTimeoutMs ?? Math.min(600_000, timeoutSeconds * 1000 + 60_000);
    this.requests.watch++;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let idle: Timer | undefined;
      let controller: AbortController | undefined;
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        idle?.cancel();
        this.abortWatch = undefined;
        controller?.abort();
        if (err === undefined || this.stopped) resolve();
        else reject(err);
      };
      const armIdle = () => {
        idle?.cancel();
        idle = this.clock.after(idleMs, () => finish(new Error(`watch of ${this.options.plural} idle for ${idleMs} ms; reconnecting`)));
      };
      this.abortWatch = () => finish();
      armIdle();
      const query: Record<string, string | number | boolean> = {
        allowWatchBookmarks: true,
        resourceVersion: this.resourceVersion,
        timeoutSeconds,
      };
      if (this.options.labelSelector) query.labelSelector = this.options.labelSelector;
      this.watcher
        .watch(
          this.watchPath(),
          query,
          (type: string, object: WatchEvent['object']) => {
            if (settled) return;
            armIdle();
            try {
              this.onEvent({ type, object });
            } catch (err) {
              finish(err);
            }
          },
          (err: unknown) => finish(err ?? undefined),
        )
        .then((c) => {
          controller = c;
          if (settled) c.abort();
        }, finish);
    });
  }

  private onEvent(event: WatchEvent): void {
    const obj = event.object;
    if (event.type === 'ERROR') {
      if (obj.code === 410) throw new GoneError(obj.message ?? 'resourceVersion too old');
      throw new WatchStatusError(`watch error ${obj.code ?? ''} ${obj.reason ?? ''}: ${obj.message ?? ''}`.trim());
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const key = objectKey(obj);
    const typed = obj as T;
    if (event.type === 'DELETED') {
      const before = this.cache.get(key);
      this.cache.delete(key);
      this.handlers.delete?.(before ?? typed);
      return;
    }
    const before = this.cache.get(key);
    this.cache.set(key, typed);
    if (before === undefined) this.handlers.add?.(typed);
    else this.handlers.update?.(before, typed);
  }

  private backoff(): Promise<void> {
    const base = this.options.backoffBaseMs ?? 200;
    const cap = this.options.backoffMaxMs ?? 30_000;
    const ms = this.random() * Math.min(cap, base * 2 ** Math.min(this.failures++, 30));
    return new Promise((resolve) => {
      this.retryTimer = this.clock.after(ms, resolve);
    });
  }

  private scheduleResync(): void {
    const every = this.options.resyncMs ?? 600_000;
    if (every <= 0 || this.stopped) return;
    this.resyncTimer = this.clock.after(every, () => {
      if (this.stopped) return;
      for (const obj of this.cache.values()) this.handlers.resync?.(obj);
      this.scheduleResync();
    });
  }
}

/** HTTP status of a client-node error, when it carries one. */
export function statusCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown; body?: unknown };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}
