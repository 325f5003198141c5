/**
 * What the operator benchmark needs around the test cluster: the cluster itself (the shared one
 * when `KUBETUNE_CLUSTER_INFO` names it, else a private one), the CRD, the operator as a child
 * process, its resident memory from /proc, and watches that stamp every event with the time this
 * process received it — creation, completion and the next Job are all seen through the same kind
 * of watch, so the watch latency is on both sides of every difference.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectCluster, startCluster, type ClusterHandle, type ClusterInfo } from '../../test/cluster/cluster.js';
import type { Obj, Rest } from '../../test/cluster/rest.js';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function obtainCluster(): Promise<{ c: ClusterHandle; stop(): Promise<void>; shared: boolean }> {
  const infoPath = process.env.KUBETUNE_CLUSTER_INFO;
  if (infoPath) {
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as ClusterInfo | { error: string };
    if ('error' in info) throw new Error(`no test cluster: ${info.error}`);
    return { c: connectCluster(info), stop: async () => undefined, shared: true };
  }
  console.error('bench operator: starting a test cluster (test/cluster; the first run builds it)');
  const cluster = await startCluster();
  return { c: cluster, stop: () => cluster.stop(), shared: false };
}

export async function kubectl(c: ClusterHandle, args: string[]): Promise<string> {
  return (await run(c.kubectl, args, { env: { ...process.env, KUBECONFIG: c.kubeconfigPath }, maxBuffer: 64 * 1024 * 1024 })).stdout;
}

export async function applyCrd(c: ClusterHandle): Promise<void> {
  await kubectl(c, ['apply', '--server-side', '--force-conflicts', '-f', join(ROOT, 'crds/kubetune.io_tuningstudies.yaml')]);
  await kubectl(c, ['wait', '--for=condition=Established', '--timeout=60s', 'crd/tuningstudies.kubetune.io']);
}

export interface OperatorChild {
  child: ChildProcess;
  address: Promise<string>;
  /** Resident set size now, in bytes (VmRSS), and the peak so far (VmHWM). */
  memory(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/**
 * Compiles the operator as `npm run build` does, into a private folder (the repository's dist/
 * is left alone), so the benchmark runs the JavaScript a container image runs — no TypeScript
 * loader in its memory. Returns the CLI entry point.
 */
export async function buildOperator(): Promise<string> {
  const out = join(tmpdir(), `kubetune-bench-operator-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out, '--sourceMap', 'false', '--declaration', 'false'], { cwd: ROOT });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  if (!existsSync(join(out, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  return join(out, 'operator/cli/main.js');
}

/** Node flags the operator runs with: a small young generation (see docs/operator.md, Memory). */
export const OPERATOR_NODE_FLAGS = ['--max-semi-space-size=2'];

/** `kubetune operator` (compiled: `entry`), watching one namespace, with the admin kubeconfig. */
export function startOperator(c: ClusterHandle, ns: string, entry: string): OperatorChild {
  const child = spawn(process.execPath, [
    ...OPERATOR_NODE_FLAGS, entry, 'operator',
    '--kubeconfig', c.kubeconfigPath, '--namespace', ns, '--leader-election-namespace', ns,
    '--metrics-bind-address', '127.0.0.1:0', '--health-probe-bind-address', '127.0.0.1:0', '--log-level', 'info',
  ], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let buffer = '';
  const tail: string[] = [];
  const address = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.includes('"message":"serving"')) resolve((JSON.parse(line) as { address: string }).address);
      }
    });
    child.once('exit', (code) => reject(new Error(`the operator exited with ${code}:\n${tail.join('\n')}`)));
  });
  const status = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) * 1024;
  };
  return {
    child,
    address,
    memory: () => ({ rss: status('VmRSS'), peak: status('VmHWM') }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Every event of a collection with the time (performance.now()) this process received it. */
export interface Stamped {
  at: number;
  type: string;
  object: Obj;
}

export async function stampEvents(rest: Rest, path: string, onEvent?: (e: Stamped) => void): Promise<{ events: Stamped[]; stop(): Promise<void> }> {
  const events: Stamped[] = [];
  const ac = new AbortController();
  const list = await rest.get(`${path}?limit=1`);
  let rv: string = list.metadata.resourceVersion;
  const loop = (async () => {
    while (!ac.signal.aborted) {
      await rest
        .watch(`${path}?resourceVersion=${rv}&allowWatchBookmarks=true`, (e) => {
          if (e.type === 'ERROR') return;
          rv = e.object.metadata.resourceVersion;
          if (e.type === 'BOOKMARK') return;
          const s = { at: performance.now(), type: e.type, object: e.object };
          events.push(s);
          onEvent?.(s);
        }, ac.signal)
        .catch(() => new Promise((r) => setTimeout(r, 100)));
    }
  })();
  return {
    events,
    async stop() {
      ac.abort();
      await loop;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a value other than undefined. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 300_000, intervalMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}
