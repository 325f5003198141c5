/**
 * The process-kubelet: the one fake in our test cluster (design.md §6). It stands in for the
 * container runtime only — everything it does goes through the real apiserver, as a kubelet's
 * traffic does: it registers Nodes and keeps their leases, list-watches the pods bound to them,
 * runs each pod as local processes (pod-worker.ts), writes pod status through the status
 * subresource, and serves container logs to the apiserver's `pods/log` proxy (log-server.ts).
 *
 * It authenticates with the token it is given (the harness passes the admin token; a
 * NodeRestriction-bound node identity would need a client certificate per node, which buys the
 * tests nothing). Several kubelets may run against one cluster, each with its own nodes — the
 * shared one in the harness process and private ones inside test files.
 */
import type { Server } from 'node:https';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, Rest, type Connection, type Obj } from '../rest.js';
import { forgetStateDir, registerStateDir } from '../processes.js';
import { freePort } from '../util.js';
import { defaultImageRules, type ImageRule } from './images.js';
import { startLogServer, type TlsFiles } from './log-server.js';
import { NodeAgent, type NodeSpec } from './node.js';
import { PodWorker } from './pod-worker.js';

export interface KubeletOptions {
  connection: Connection;
  nodes: NodeSpec[];
  /** Serving certificate for the kubelet port, signed by the CA the apiserver trusts for kubelets. */
  tls: TlsFiles;
  /** Pods' files (volumes, logs, termination messages) go under `<workDir>/pods/<uid>`. */
  workDir: string;
  /** Tried before the defaults (images.ts). */
  images?: ImageRule[];
  /** Delete the Node objects on stop (default true). */
  deleteNodesOnStop?: boolean;
  /**
   * Remove `workDir` itself on stop (it was made for this kubelet alone); it is also listed for
   * the orphan sweep (processes.ts) in case this process dies first.
   */
  removeWorkDirOnStop?: boolean;
  log?: (msg: string) => void;
}

const HOST_IP = '127.0.0.1';

export class ProcessKubelet {
  private readonly rest: Rest;
  private readonly agents: NodeAgent[] = [];
  private readonly workers = new Map<string, PodWorker>(); // by uid
  private readonly stopping = new AbortController();
  private server: Server | undefined;
  private loops: Promise<void>[] = [];
  private readonly log: (m: string) => void;
  port = 0;

  constructor(private readonly opts: KubeletOptions) {
    this.rest = new Rest(opts.connection);
    this.log = opts.log ?? ((m) => process.stderr.write(`[process-kubelet] ${m}\n`));
  }

  /** Registers the nodes, starts the watches and the log server; resolves when pods can land. */
  async start(): Promise<void> {
    mkdirSync(join(this.opts.workDir, 'pods'), { recursive: true });
    if (this.opts.removeWorkDirOnStop) registerStateDir(this.opts.workDir);
    this.port = await freePort();
    this.server = await startLogServer(this.opts.tls, this, this.port);
    for (const spec of this.opts.nodes) {
      const agent = new NodeAgent(spec, this.rest, this.port, this.log);
      await agent.register();
      this.agents.push(agent);
      this.loops.push(this.watchNode(agent));
    }
    await Promise.all(this.agents.map((a) => a.waitSchedulable()));
  }

  findContainer(namespace: string, pod: string, container: string) {
    let found: PodWorker | undefined;
    for (const w of this.workers.values()) {
      if (w.pod.metadata.namespace === namespace && w.pod.metadata.name === pod) found = w; // the newest with that name
    }
    return found?.slots.get(container);
  }

  /** List, then watch from the list's resourceVersion; relist on 410 Gone or a dropped stream. */
  private async watchNode(agent: NodeAgent): Promise<void> {
    const sel = `fieldSelector=${encodeURIComponent(`spec.nodeName=${agent.spec.name}`)}`;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        const list = await this.rest.get(`/api/v1/pods?${sel}`);
        const seen = new Set<string>();
        for (const pod of list.items as Obj[]) {
          seen.add(pod.metadata.uid);
          this.onPod(agent, pod);
        }
        for (const [uid, w] of this.workers) {
          if (w.pod.spec.nodeName === agent.spec.name && !seen.has(uid)) this.onDeleted(uid);
        }
        let rv: string = list.metadata.resourceVersion;
        let gone = false;
        while (!signal.aborted && !gone) {
          await this.rest.watch(`/api/v1/pods?${sel}&resourceVersion=${rv}&timeoutSeconds=300`, (e) => {
            if (e.type === 'ERROR') {
              gone = true; // 410 Gone (or another watch error): start over with a list
              return;
            }
            rv = e.object.metadata.resourceVersion;
            if (e.type === 'BOOKMARK') return;
            if (e.type === 'DELETED') this.onDeleted(e.object.metadata.uid);
            else this.onPod(agent, e.object);
          }, signal);
        }
      } catch (e) {
        if (signal.aborted) return;
        this.log(`watch pods on ${agent.spec.name}: ${(e as Error).message}`);
        await sleep(1000, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private onPod(agent: NodeAgent, pod: Obj): void {
    const uid: string = pod.metadata.uid;
    const existing = this.workers.get(uid);
    if (existing) {
      existing.update(pod);
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Finished before we knew it (e.g. a kubelet restart): nothing to run; finish a deletion.
      if (pod.metadata.deletionTimestamp) void this.finishDeletion(pod);
      return;
    }
    const worker = new PodWorker(pod, {
      rest: this.rest,
      hostIp: HOST_IP,
      allocatable: agent.allocatable,
      images: [...(this.opts.images ?? []), ...defaultImageRules()],
      workDir: this.opts.workDir,
      baseEnv: {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        // What the Service env of `kubernetes` gives a real pod: in-cluster clients work.
        KUBERNETES_SERVICE_HOST: HOST_IP,
        KUBERNETES_SERVICE_PORT: new URL(this.opts.connection.server).port,
        KUBERNETES_SERVICE_PORT_HTTPS: new URL(this.opts.connection.server).port,
      },
      log: this.log,
    });
    this.workers.set(uid, worker);
    worker.start();
  }

  private onDeleted(uid: string): void {
    const w = this.workers.get(uid);
    if (!w) return;
    w.forget();
    this.workers.delete(uid);
    rmSync(w.dir, { recursive: true, force: true });
  }

  private async finishDeletion(pod: Obj): Promise<void> {
    await this.rest
      .delete(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      })
      .catch((e: unknown) => {
        if (!(e instanceof ApiError && (e.code === 404 || e.code === 409))) this.log(`delete ${pod.metadata.name}: ${(e as Error).message}`);
      });
  }

  /** Kills every pod process, stops the watches and heartbeats, and (by default) deletes the nodes. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const w of this.workers.values()) w.forget();
    this.workers.clear();
    await Promise.allSettled(this.loops);
    await Promise.all(this.agents.map((a) => a.stop(this.opts.deleteNodesOnStop ?? true)));
    const closed = new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server?.closeAllConnections(); // log follows and the apiserver's keep-alive sockets
    await closed;
    this.rest.close();
    if (this.opts.removeWorkDirOnStop) {
      rmSync(this.opts.workDir, { recursive: true, force: true });
      forgetStateDir(this.opts.workDir);
    } else {
      rmSync(join(this.opts.workDir, 'pods'), { recursive: true, force: true });
    }
  }
}
