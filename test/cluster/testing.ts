/**
 * What a cluster test file needs: the cluster (shared or its own), a namespace per test, and
 * polling helpers. A test that cannot have a cluster is skipped with the reason printed.
 *
 *   test('…', async (t) => {
 *     const c = await clusterOrSkip(t);
 *     if (!c) return;
 *     const ns = await testNamespace(t, c, 'gpu-job');
 *     …
 *   });
 */
import { readFileSync } from 'node:fs';
import { after, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectCluster, startCluster, type Cluster, type ClusterHandle, type ClusterInfo } from './cluster.js';
import { ApiError, type Obj, type Rest } from './rest.js';
import { waitFor } from './util.js';

export { waitFor } from './util.js';
export { ApiError } from './rest.js';
export type { Obj, Rest } from './rest.js';

let pending: Promise<ClusterHandle | { skip: string }> | undefined;
let privateCluster: Cluster | undefined;

// Importing this module from a test file registers this on the file's root: a cluster started
// for the file alone is stopped once its tests are done (its processes would keep node alive).
after(async () => {
  await privateCluster?.stop();
  privateCluster = undefined;
});

async function obtain(): Promise<ClusterHandle | { skip: string }> {
  const infoPath = process.env.KUBETUNE_CLUSTER_INFO;
  if (infoPath) {
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as ClusterInfo | { error: string };
    if ('error' in info) return { skip: `no test cluster: ${info.error}` };
    return connectCluster(info);
  }
  // Run on its own (not through test/run.mjs): start a private cluster for this file.
  try {
    privateCluster = await startCluster();
    return privateCluster;
  } catch (e) {
    return { skip: `no test cluster: ${(e as Error).message}` };
  }
}

/** The cluster, or undefined after marking the test skipped with the reason. */
export async function clusterOrSkip(t: TestContext): Promise<ClusterHandle | undefined> {
  pending ??= obtain();
  const c = await pending;
  if ('skip' in c) {
    t.skip(c.skip);
    console.error(`# SKIP ${t.name}: ${c.skip}`);
    return undefined;
  }
  return c;
}

/**
 * A fresh namespace named after the test (unique per process, no randomness), ready for pods
 * (its default ServiceAccount exists); deleted when the test ends.
 */
export async function testNamespace(t: TestContext, c: ClusterHandle, slug: string, labels: Record<string, string> = {}): Promise<string> {
  const name = `${slug}-${process.pid.toString(36)}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
  const rest = c.rest();
  await rest.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  t.after(async () => {
    await rest.delete(`/api/v1/namespaces/${name}`).catch(() => undefined);
    rest.close();
  });
  await waitFor(`ServiceAccount ${name}/default`, () => rest.find(`/api/v1/namespaces/${name}/serviceaccounts/default`));
  return name;
}

/** The apiserver's refusal of `fn`, which must fail with an ApiError. */
export async function refusal(fn: () => Promise<unknown>): Promise<ApiError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('the apiserver accepted what it should have refused');
}

/** Polls a pod until `pred` holds; returns it. */
export function waitForPod(rest: Rest, ns: string, name: string, what: string, pred: (p: Obj) => boolean, timeoutMs = 90_000): Promise<Obj> {
  return waitFor(`pod ${ns}/${name}: ${what}`, async () => {
    const p = await rest.get(`/api/v1/namespaces/${ns}/pods/${name}`);
    return pred(p) ? p : undefined;
  }, { timeoutMs, intervalMs: 200 });
}

/**
 * A pod whose one container runs `script` with this machine's node (`node -e`), restartPolicy
 * Never unless `spec` says otherwise. The image is `node:20`, mapped to local node by the
 * process-kubelet's image table.
 */
export function nodeScriptPod(name: string, script: string, opts: { container?: Obj; spec?: Obj; labels?: Record<string, string> } = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: opts.labels ?? {} },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 30,
      ...opts.spec,
      containers: [{ name: 'main', image: 'node:20', command: ['node', '-e', script], ...opts.container }],
    },
  };
}

/**
 * Follows the pods of a namespace: resolves once listed, so nothing created afterwards is
 * missed; `stop()` ends the watch and returns every version seen, in order (each watch event's
 * type in `eventType`, so the last version before a deletion is there too). `seen()` is what the
 * watch delivered so far: wait on it, not on a GET, for an event the test asserts on — a GET can
 * see a pod gone before the watch has delivered its DELETED event.
 */
export async function recordPods(rest: Rest, ns: string): Promise<{ seen(): readonly Obj[]; stop(): Promise<Obj[]> }> {
  const seen: Obj[] = [];
  const ac = new AbortController();
  const list = await rest.get(`/api/v1/namespaces/${ns}/pods`);
  seen.push(...(list.items as Obj[]));
  let rv: string = list.metadata.resourceVersion;
  const loop = (async () => {
    while (!ac.signal.aborted) {
      await rest
        .watch(`/api/v1/namespaces/${ns}/pods?resourceVersion=${rv}`, (e) => {
          if (e.type === 'ERROR' || e.type === 'BOOKMARK') return;
          rv = e.object.metadata.resourceVersion;
          seen.push({ ...e.object, eventType: e.type });
        }, ac.signal)
        .catch(() => sleep(200));
    }
  })();
  return {
    seen: () => seen,
    async stop() {
      ac.abort();
      await loop;
      return seen;
    },
  };
}
