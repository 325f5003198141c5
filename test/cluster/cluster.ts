/**
 * The test cluster as one object: the real control plane (controlplane.ts) plus a
 * process-kubelet with its nodes (kubelet/). Start it with `startCluster`, or attach to one that
 * another process started with `connectCluster(info)` — `test/run.mjs` starts one per test run
 * (see shared.mjs) and hands its `ClusterInfo` to the test files through `KUBETUNE_CLUSTER_INFO`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath, ensureBinaries } from './binaries.js';
import { startControlPlane } from './controlplane.js';
import { ProcessKubelet } from './kubelet/kubelet.js';
import type { ImageRule } from './kubelet/images.js';
import type { TlsFiles } from './kubelet/log-server.js';
import type { NodeSpec } from './kubelet/node.js';
import { forgetStateDir, registerStateDir, sweepOrphans } from './processes.js';
import { Rest } from './rest.js';

/** What a process needs to use a running cluster; JSON-serialisable. */
export interface ClusterInfo {
  server: string;
  caPem: string;
  caCertPath: string;
  adminToken: string;
  kubeconfigPath: string;
  /** State directory (tmpfs): certs, etcd data, component logs. */
  dir: string;
  logDir: string;
  /** For kubelets started by other processes: the serving cert the apiserver trusts. */
  kubeletTls: TlsFiles;
  kubectl: string;
  /** May be absent if only helm failed to build; check before use. */
  helm: string;
  /** Nodes of the kubelet started with the cluster. */
  nodes: NodeSpec[];
}

export interface ClusterHandle extends ClusterInfo {
  rest(): Rest;
  /** A token for `namespace/serviceAccount` from the TokenRequest API (1 h). */
  mintServiceAccountToken(namespace: string, serviceAccount: string, audiences?: string[]): Promise<string>;
  /** A private process-kubelet with its own nodes; stop it when done. */
  startKubelet(nodes: NodeSpec[], images?: ImageRule[]): Promise<ProcessKubelet>;
}

export interface Cluster extends ClusterHandle {
  kubelet: ProcessKubelet;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Nodes of the cluster's own kubelet; default one node with 4 GPUs. */
  nodes?: NodeSpec[];
  /** Default: a fresh directory under /dev/shm. */
  stateDir?: string;
  /** Keep the state directory (logs) after stop. */
  keepState?: boolean;
  /** Run build.sh when binaries are missing (default true). */
  build?: boolean;
  images?: ImageRule[];
  apiserverArgs?: string[];
}

export const DEFAULT_NODES: NodeSpec[] = [{ name: 'kubetune-node-0', gpus: 4 }];

export function connectCluster(info: ClusterInfo): ClusterHandle {
  const conn = { server: info.server, caPem: info.caPem, token: info.adminToken };
  return {
    ...info,
    rest: () => new Rest(conn),
    async mintServiceAccountToken(namespace, serviceAccount, audiences) {
      const rest = new Rest(conn);
      try {
        const tr = await rest.create(`/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { audiences: audiences ?? null, expirationSeconds: 3600 },
        });
        return tr.status.token as string;
      } finally {
        rest.close();
      }
    },
    async startKubelet(nodes, images) {
      const workDir = mkdtempSync('/dev/shm/kubetune-kubelet-');
      const kubelet = new ProcessKubelet({ connection: conn, nodes, tls: info.kubeletTls, workDir, images: images ?? [], removeWorkDirOnStop: true });
      await kubelet.start();
      return kubelet;
    },
  };
}

/** Builds what is missing (unless `build: false`), then starts everything; throws with the reason if it cannot. */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  sweepOrphans();
  if (opts.build !== false) {
    const reason = await ensureBinaries();
    if (reason) throw new Error(`control plane binaries unavailable: ${reason}`);
  }
  const dir = opts.stateDir ?? mkdtempSync('/dev/shm/kubetune-cluster-');
  const removeDir = () => {
    if (opts.keepState) return;
    rmSync(dir, { recursive: true, force: true });
    forgetStateDir(dir);
  };
  process.once('exit', removeDir);
  if (!opts.keepState) registerStateDir(dir);
  const cp = await startControlPlane({ dir, apiserverArgs: opts.apiserverArgs }).catch((e: unknown) => {
    removeDir();
    throw e;
  });
  const nodes = opts.nodes ?? DEFAULT_NODES;
  const info: ClusterInfo = {
    server: cp.server,
    caPem: cp.caPem,
    caCertPath: cp.pki.caCert,
    adminToken: cp.adminToken,
    kubeconfigPath: cp.kubeconfigPath,
    dir,
    logDir: cp.logDir,
    kubeletTls: { cert: cp.pki.kubeletServingCert, key: cp.pki.kubeletServingKey, ca: cp.pki.caCert },
    kubectl: binaryPath('kubectl'),
    helm: binaryPath('helm'),
    nodes,
  };
  const handle = connectCluster(info);
  let kubelet: ProcessKubelet;
  try {
    kubelet = new ProcessKubelet({
      connection: { server: cp.server, caPem: cp.caPem, token: cp.adminToken },
      nodes,
      tls: info.kubeletTls,
      workDir: join(dir, 'kubelet'),
      images: opts.images ?? [],
    });
    await kubelet.start();
  } catch (e) {
    await cp.stop();
    removeDir();
    throw e;
  }
  return {
    ...handle,
    kubelet,
    async stop() {
      await kubelet.stop().catch(() => undefined);
      await cp.stop();
      removeDir();
      process.off('exit', removeDir);
    },
  };
}
