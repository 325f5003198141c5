/** Small helpers shared by the harness: free loopback ports and polling with a limit. */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A loopback TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface WaitOptions {
  /** A limit for giving up, never an assertion about speed. */
  timeoutMs?: number;
  intervalMs?: number;
  /** Called while waiting; throwing from it stops the wait (e.g. "etcd exited"). */
  check?: () => void;
}

/**
 * Polls `fn` until it returns something other than undefined/false. Errors thrown by `fn` count
 * as "not yet" and the last one is reported when the limit is reached.
 */
export async function waitFor<T>(what: string, fn: () => Promise<T> | T, opts: WaitOptions = {}): Promise<Exclude<T, undefined | false>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last: unknown;
  for (;;) {
    opts.check?.();
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as Exclude<T, undefined | false>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String((last as Error).message ?? last)}` : ''}`);
    }
    await sleep(opts.intervalMs ?? 250);
  }
}
