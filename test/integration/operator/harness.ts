/**
 * What the operator tests share: the CRD applied with kubectl, an operator ServiceAccount bound
 * to exactly the rules of helm/kubetune/files/operator-rules.yaml (never admin), the operator
 * running as a child process with that account's token (`kubetune operator` from source), and
 * small readers of studies, Jobs and history.
 *
 * Each test watches only its own namespace (`--namespace`), so tests running side by side on the
 * shared cluster never see each other's studies, and the RoleBinding is per namespace too.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderOperatorRbac } from '../../../operator/controller/rbac.js';
import type { ClusterHandle } from '../../cluster/cluster.js';
import type { Obj, Rest } from '../../cluster/testing.js';
import { clusterOrSkip, testNamespace, waitFor } from '../../cluster/testing.js';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CRD_FILE = join(ROOT, 'crds/kubetune.io_tuningstudies.yaml');
export const STUDIES = (ns: string) => `/apis/kubetune.io/v1alpha1/namespaces/${ns}/tuningstudies`;

/** kubectl as the cluster admin (a person with edit rights would do; the operator never is one). */
export async function kubectl(c: ClusterHandle, args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const child = run(c.kubectl, args, { env: { ...process.env, KUBECONFIG: c.kubeconfigPath }, maxBuffer: 16 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin?.end(input);
  return child;
}

let crdApplied: Promise<void> | undefined;

/** `kubectl apply -f crds/…` once per process, then waits until the CRD is served. */
export function applyCrd(c: ClusterHandle): Promise<void> {
  crdApplied ??= (async () => {
    await kubectl(c, ['apply', '--server-side', '--force-conflicts', '-f', CRD_FILE]);
    // On a fresh cluster the CRD can be read before it has any condition, and `kubectl wait`
    // then fails at once (".status.conditions accessor error: <nil>") instead of waiting.
    for (let attempt = 0; ; attempt++) {
      try {
        await kubectl(c, ['wait', '--for=condition=Established', '--timeout=60s', 'crd/tuningstudies.kubetune.io']);
        return;
      } catch (err) {
        if (attempt >= 50 || !/conditions accessor error/.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  return crdApplied;
}

/** What an operator test starts from; see `operatorTestEnv`. */
export interface OperatorTestEnv {
  c: ClusterHandle;
  ns: string;
  rest: Rest;
  kubeconfig: string;
}

/**
 * The shared cluster (undefined, and the test skipped, without one), a fresh namespace
 * `<slug>-…`, a REST client closed after the test, the CRD, and a kubeconfig for the operator's
 * least-privilege ServiceAccount in that namespace.
 */
export async function operatorTestEnv(t: TestContext, slug: string): Promise<OperatorTestEnv | undefined> {
  const c = await clusterOrSkip(t);
  if (!c) return undefined;
  const ns = await testNamespace(t, c, slug);
  const rest = c.rest();
  t.after(() => rest.close());
  await applyCrd(c);
  return { c, ns, rest, kubeconfig: await operatorKubeconfig(t, c, rest, ns) };
}

/**
 * A ServiceAccount in `ns` bound to the operator's rules for `ns` only (and its Lease there),
 * and a kubeconfig file that authenticates as it with a freshly minted token.
 */
export async function operatorKubeconfig(t: TestContext, c: ClusterHandle, rest: Rest, ns: string): Promise<string> {
  await rest.create(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kubetune-operator' } });
  const name = `kubetune-operator-${ns}`;
  for (const obj of renderOperatorRbac({ name, serviceAccount: { namespace: ns, name: 'kubetune-operator' }, namespaces: [ns], leaseNamespace: ns })) {
    const o = obj as Obj;
    const path = o.kind === 'ClusterRole'
      ? '/apis/rbac.authorization.k8s.io/v1/clusterroles'
      : `/apis/rbac.authorization.k8s.io/v1/namespaces/${o.metadata.namespace}/${o.kind === 'Role' ? 'roles' : 'rolebindings'}`;
    await rest.create(path, o);
  }
  t.after(() => rest.delete(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`).catch(() => undefined));
  const token = await c.mintServiceAccountToken(ns, 'kubetune-operator');
  const dir = mkdtempSync(join(tmpdir(), 'kubetune-op-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'operator',
    clusters: [{ name: 'test', cluster: { server: c.server, 'certificate-authority': c.caCertPath } }],
    users: [{ name: 'operator', user: { token } }],
    contexts: [{ name: 'operator', context: { cluster: 'test', user: 'operator', namespace: ns } }],
  }));
  return path;
}

export interface OperatorProcess {
  child: ChildProcess;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** `host:port` of /metrics, /healthz and /readyz, once logged. */
  address(): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Lease timings short enough that a restart after SIGKILL takes over within seconds. */
export const FAST_LEASE = ['--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '500ms'];

/**
 * `kubetune operator` as a child process watching `ns`, with leader election in `ns`, metrics
 * and probes on one random local port. Killed (SIGKILL) when the test ends if still running.
 */
export function startOperator(t: TestContext, kubeconfig: string, ns: string, extra: string[] = []): OperatorProcess {
  const child = spawn(process.execPath, [
    '--import', 'tsx', join(ROOT, 'operator/cli/main.ts'), 'operator',
    '--kubeconfig', kubeconfig, '--namespace', ns, '--leader-election-namespace', ns, ...FAST_LEASE,
    '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0', '--workers', '2', '--log-level', 'debug',
    ...extra,
  ], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' } });
  const logs: Record<string, unknown>[] = [];
  const raw: string[] = [];
  let buffer = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        raw.push(line);
      }
    }
  });
  child.stdout!.on('data', (chunk: Buffer) => raw.push(chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let done = false;
  void exited.then(() => (done = true));
  t.after(async () => {
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const op: OperatorProcess = {
    child,
    logs,
    exited,
    address: () => waitFor('the operator to serve its endpoints', () => {
      if (done) throw new Error(`the operator exited early:\n${raw.join('\n')}\n${logs.map((l) => JSON.stringify(l)).join('\n')}`);
      const line = logs.find((l) => l.message === 'serving');
      return line === undefined ? undefined : (line.address as string);
    }, { timeoutMs: 60_000 }),
    async kill(signal = 'SIGKILL') {
      if (!done) child.kill(signal);
      return exited;
    },
  };
  return op;
}

export async function httpGet(address: string, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://${address}${path}`);
  return { status: res.status, body: await res.text() };
}

/** The study, once `pred` holds. */
export function waitForStudy(rest: Rest, ns: string, name: string, what: string, pred: (s: Obj) => boolean, timeoutMs = 120_000): Promise<Obj> {
  return waitFor(`study ${ns}/${name}: ${what}`, async () => {
    const s = await rest.get(`${STUDIES(ns)}/${name}`);
    return pred(s) ? s : undefined;
  }, { timeoutMs, intervalMs: 250 });
}

export const finished = (s: Obj) => s.status?.phase === 'Completed' || s.status?.phase === 'Failed';

/** Every history record of a study, from its ConfigMap shards, by index (other keys, e.g. a warm-start snapshot, skipped). */
export async function historyRecords(rest: Rest, ns: string, study: string): Promise<Map<number, Obj>> {
  const selector = encodeURIComponent(`kubetune.io/study=${study},kubetune.io/history=true`);
  const shards = (await rest.get(`/api/v1/namespaces/${ns}/configmaps?labelSelector=${selector}`)).items as Obj[];
  const out = new Map<number, Obj>();
  for (const cm of shards) for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, string>)) if (/^\d+$/.test(k)) out.set(Number(k), JSON.parse(v) as Obj);
  return out;
}

/**
 * A trial as a `node -e` script (the `node:*` image runs this machine's node): reads its
 * parameter x from the contract's env, prints one metric line and writes its result document.
 * `mode` picks a failure to act out.
 */
export function trialScript(mode: 'ok' | 'crash' | 'oom' | 'nan' | 'sleep' = 'ok'): string {
  return `
const fs = require('node:fs');
const x = Number(process.env.KUBETUNE_PARAM_X);
const mode = ${JSON.stringify(mode)};
if (mode === 'crash') { console.error('boom'); process.exit(3); }
if (mode === 'oom') process.exit(137); // what the OOM killer leaves: 128 + SIGKILL
if (mode === 'sleep') setTimeout(() => {}, 600000);
else {
  const loss = mode === 'nan' ? NaN : (x - 0.25) ** 2;
  console.log('kubetune-metrics step=1 loss=' + (Number.isNaN(loss) ? 'nan' : loss));
  fs.writeFileSync(process.env.KUBETUNE_RESULT_FILE, JSON.stringify({ status: 'succeeded', metrics: { loss: Number.isNaN(loss) ? 'NaN' : loss } }));
}
`;
}

/** A study of instant node-script trials over one float parameter x. */
export function scriptStudy(name: string, opts: { maxTrials: number; parallelism: number; mode?: Parameters<typeof trialScript>[0]; budget?: Obj; seed?: number }): Obj {
  return {
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name },
    spec: {
      objective: { metric: 'loss', goal: 'minimize' },
      parameters: [{ name: 'x', type: 'float', min: -1, max: 1 }],
      algorithm: { name: 'random', seed: opts.seed ?? 1 },
      budget: { maxTrials: opts.maxTrials, parallelism: opts.parallelism, ...opts.budget },
      template: { image: 'node:20', command: ['node', '-e', trialScript(opts.mode ?? 'ok')] },
    },
  };
}

/**
 * Records every watch event of a collection (e.g. a namespace's Jobs) from now on: resolves once
 * listed; `stop()` returns `[type, name]` per event in order, the initial list as ADDED.
 */
export async function recordEvents(rest: Rest, path: string): Promise<{ stop(): Promise<[string, string][]> }> {
  const seen: [string, string][] = [];
  const ac = new AbortController();
  const list = await rest.get(path);
  for (const o of list.items as Obj[]) seen.push(['ADDED', o.metadata.name as string]);
  let rv: string = list.metadata.resourceVersion;
  const loop = (async () => {
    while (!ac.signal.aborted) {
      await rest
        .watch(`${path}?resourceVersion=${rv}&allowWatchBookmarks=true`, (e) => {
          if (e.type === 'ERROR') return;
          rv = e.object.metadata.resourceVersion;
          if (e.type !== 'BOOKMARK') seen.push([e.type, e.object.metadata.name]);
        }, ac.signal)
        .catch(() => new Promise((r) => setTimeout(r, 200)));
    }
  })();
  return {
    async stop() {
      ac.abort();
      await loop;
      return seen;
    },
  };
}
