/**
 * The life of one pod on a process-kubelet node, from binding to a terminal phase.
 *
 * Order of events, as the real kubelet does them: write `Pending` with containers waiting in
 * `ContainerCreating`; materialise volumes (retrying while e.g. a ConfigMap is missing); run
 * init containers one by one; start the containers; restart them per `restartPolicy` (with a
 * capped back-off, shown as `CrashLoopBackOff`); when no container will run again, set the
 * phase — `Succeeded` if every container exited 0, else `Failed`.
 *
 * Stopping: a deletion (deletionTimestamp) or `activeDeadlineSeconds` sends SIGTERM to every
 * container and SIGKILL after the grace period (the deletion's, else the pod's
 * `terminationGracePeriodSeconds`, default 30). A deadline ends in `Failed`/`DeadlineExceeded`;
 * a deletion ends with the final status written and the pod deleted with grace 0, which is how
 * a kubelet tells the apiserver the containers are gone.
 *
 * Not modelled: probes (a running container is ready), resource limits (nothing is enforced;
 * exit 137 still reads as OOMKilled, see container.ts), sidecar init containers, ephemeral
 * containers, image pulls.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, type Obj, type Rest } from '../rest.js';
import { ContainerRun, type Terminated } from './container.js';
import { ConfigError, containerEnv, resolveArgv } from './env.js';
import { lookupImage, type ImageRule } from './images.js';
import { containerPathMap, mapPaths, materialiseVolumes } from './volumes.js';

export interface PodWorkerDeps {
  rest: Rest;
  hostIp: string;
  allocatable: Record<string, string>;
  images: readonly ImageRule[];
  /** Pods live in `<workDir>/pods/<uid>`. */
  workDir: string;
  baseEnv: Record<string, string>;
  log: (msg: string) => void;
}

type State = { waiting: { reason: string; message?: string } } | { running: { startedAt: string } } | { terminated: Terminated };

/** What the kubelet knows about one container of the pod. */
export interface ContainerSlot {
  spec: Obj;
  init: boolean;
  restartCount: number;
  state: State;
  last?: Terminated;
  run?: ContainerRun;
  /** One CRI log file per attempt; the last is the current one. */
  logs: string[];
}

const OWN_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready'];

export class PodWorker {
  readonly dir: string;
  readonly slots = new Map<string, ContainerSlot>();
  private phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' = 'Pending';
  private reason: string | undefined;
  private message: string | undefined;
  private readonly startTime = new Date().toISOString();
  private readonly transitions = new Map<string, { status: string; at: string }>();
  private readonly stopping = new AbortController();
  private stopCause: 'deleted' | 'deadline' | 'forgotten' | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private dirty = false;
  private writing: Promise<void> | undefined;
  private gone = false;

  constructor(
    public pod: Obj,
    private readonly deps: PodWorkerDeps,
  ) {
    this.dir = join(deps.workDir, 'pods', pod.metadata.uid);
    for (const [list, init] of [[pod.spec.initContainers ?? [], true], [pod.spec.containers, false]] as const) {
      for (const c of list as Obj[]) {
        const reason = !init && pod.spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
        this.slots.set(c.name, { spec: c, init, restartCount: 0, state: { waiting: { reason } }, logs: [] });
      }
    }
  }

  get key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  start(): void {
    this.main().catch((e) => this.deps.log(`pod ${this.key}: ${(e as Error).stack ?? e}`));
  }

  /** A newer version of the pod from the watch. */
  update(pod: Obj): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp && !this.stopCause) {
      this.stop('deleted', pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30);
    }
  }

  /** The pod is gone from the API: kill everything now, write nothing more. */
  forget(): void {
    this.gone = true;
    this.stop('forgotten', 0);
  }

  private stop(cause: 'deleted' | 'deadline' | 'forgotten', graceSeconds: number): void {
    this.stopCause ??= cause;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.stopping.abort();
    for (const s of this.slots.values()) s.run?.kill(graceSeconds);
  }

  private async main(): Promise<void> {
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
    const deadline = this.pod.spec.activeDeadlineSeconds as number | undefined;
    if (deadline !== undefined) {
      this.deadlineTimer = setTimeout(() => {
        this.reason = 'DeadlineExceeded';
        this.message = 'Pod was active on the node longer than the specified deadline';
        this.stop('deadline', this.pod.spec.terminationGracePeriodSeconds ?? 30);
      }, deadline * 1000);
    }
    if (this.pod.metadata.deletionTimestamp) this.update(this.pod);
    await this.writeStatus();

    const volumes = await this.retry('volumes', () =>
      materialiseVolumes({ rest: this.deps.rest, pod: this.pod, podDir: this.dir, hostIp: this.deps.hostIp, allocatable: this.deps.allocatable }),
    );
    if (volumes) {
      this.transition('PodReadyToStartContainers', 'True');
      let initOk = true;
      for (const slot of [...this.slots.values()].filter((s) => s.init)) {
        if (!(await this.runSlot(slot, volumes))) {
          initOk = false;
          break;
        }
      }
      if (initOk && !this.stopping.signal.aborted) {
        this.transition('Initialized', 'True');
        const main = [...this.slots.values()].filter((s) => !s.init);
        for (const s of main) if ('waiting' in s.state) s.state = { waiting: { reason: 'ContainerCreating' } };
        await Promise.all(main.map((s) => this.runSlot(s, volumes)));
      }
    }
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (this.gone) return;
    const all = [...this.slots.values()];
    const succeeded = all.every((s) => 'terminated' in s.state && s.state.terminated.exitCode === 0);
    this.phase = this.stopCause === 'deadline' || !succeeded ? 'Failed' : 'Succeeded';
    for (const s of all) {
      if ('waiting' in s.state) s.state = { waiting: { reason: s.state.waiting.reason, message: 'pod stopped before the container started' } };
    }
    await this.writeStatus();
    if (this.stopCause === 'deleted') {
      // The containers are gone: finish the graceful deletion as a kubelet does.
      await this.deps.rest
        .delete(`/api/v1/namespaces/${this.pod.metadata.namespace}/pods/${this.pod.metadata.name}`, {
          gracePeriodSeconds: 0,
          preconditions: { uid: this.pod.metadata.uid },
        })
        .catch((e: unknown) => {
          if (!(e instanceof ApiError && (e.code === 404 || e.code === 409))) throw e;
        });
    }
  }

  /** Runs `fn` until it succeeds or the pod stops; failures show on every waiting container. */
  private async retry<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; !this.stopping.signal.aborted; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const message = `${what}: ${(e as Error).message}`;
        for (const s of this.slots.values()) if ('waiting' in s.state) s.state = { waiting: { reason: 'ContainerCreating', message } };
        void this.writeStatus();
        await this.pause(Math.min(5000, 500 * 2 ** attempt));
      }
    }
    return undefined;
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  /** Runs one container until it will not run again; true if it ended with exit 0. */
  private async runSlot(slot: ContainerSlot, volumes: Map<string, string>): Promise<boolean> {
    const c = slot.spec;
    const policy: string = slot.init ? (this.pod.spec.restartPolicy === 'Always' ? 'OnFailure' : this.pod.spec.restartPolicy) : this.pod.spec.restartPolicy ?? 'Always';
    const cdir = join(this.dir, 'containers', c.name);
    mkdirSync(cdir, { recursive: true });
    const messagePath = join(cdir, 'termination-log');
    const paths = containerPathMap(c, volumes);
    paths.push([c.terminationMessagePath ?? '/dev/termination-log', messagePath]);
    paths.sort((a, b) => b[0].length - a[0].length);
    const image = lookupImage(this.deps.images, c.image);
    for (let backoff = 0; !this.stopping.signal.aborted; ) {
      let env: Record<string, string>;
      let argv: string[];
      const ctx = { rest: this.deps.rest, pod: this.pod, container: c, image, hostIp: this.deps.hostIp, allocatable: this.deps.allocatable, paths };
      try {
        env = await containerEnv({ ...ctx, base: { ...this.deps.baseEnv, HOME: this.dir, TMPDIR: join(this.dir, 'tmp') } });
        // The trial contract's result file (operator/api/trial-contract.ts) defaults to the
        // termination-message path; a process here must be told where that file really is.
        env.KUBETUNE_RESULT_FILE ??= messagePath;
        argv = resolveArgv({ ...ctx, base: {} }, env);
      } catch (e) {
        // A bad reference waits for someone to fix it, as on a real node; anything else (the
        // apiserver briefly unreachable) is retried the same way.
        const reason = e instanceof ConfigError ? 'CreateContainerConfigError' : 'ContainerCreating';
        slot.state = { waiting: { reason, message: (e as Error).message } };
        void this.writeStatus();
        await this.pause(2000);
        continue;
      }
      const logPath = join(this.dir, 'logs', `${c.name}-${slot.restartCount}.log`);
      slot.logs.push(logPath);
      const cwd = c.workingDir ? mapPaths(c.workingDir, paths) : image.workingDir ?? this.dir;
      const run = new ContainerRun({ argv, env, cwd, logPath, messagePath, messagePolicy: c.terminationMessagePolicy ?? 'File' });
      slot.run = run;
      slot.state = { running: { startedAt: run.startedAt } };
      if (!slot.init && this.phase === 'Pending') this.phase = 'Running';
      this.updateReadiness();
      void this.writeStatus();
      const t = await run.done;
      slot.state = { terminated: t };
      this.updateReadiness();
      const again = !this.stopping.signal.aborted && (policy === 'Always' || (policy === 'OnFailure' && t.exitCode !== 0));
      if (!again) {
        void this.writeStatus();
        return t.exitCode === 0;
      }
      slot.last = t;
      slot.restartCount++;
      const wait = Math.min(10_000, 1000 * 2 ** backoff++);
      slot.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${wait / 1000}s restarting failed container=${c.name} pod=${this.pod.metadata.name}` } };
      void this.writeStatus();
      await this.pause(wait);
    }
    return false;
  }

  private updateReadiness(): void {
    const main = [...this.slots.values()].filter((s) => !s.init);
    const ready = main.every((s) => 'running' in s.state);
    this.transition('ContainersReady', ready ? 'True' : 'False');
    this.transition('Ready', ready ? 'True' : 'False');
  }

  private transition(type: string, status: string): void {
    if (this.transitions.get(type)?.status !== status) this.transitions.set(type, { status, at: new Date().toISOString() });
  }

  private containerStatus(s: ContainerSlot): Obj {
    const ready = 'running' in s.state;
    return {
      name: s.spec.name,
      image: s.spec.image,
      imageID: `process-kubelet://${s.spec.image}`,
      ...(s.run ? { containerID: `process://${s.run.pid}` } : {}),
      ready,
      started: ready,
      restartCount: s.restartCount,
      state: s.state,
      lastState: s.last ? { terminated: s.last } : {},
    };
  }

  private renderStatus(): Obj {
    const terminal = this.phase === 'Succeeded' || this.phase === 'Failed';
    const conds = new Map<string, Obj>();
    for (const c of (this.pod.status?.conditions ?? []) as Obj[]) if (!OWN_CONDITIONS.includes(c.type)) conds.set(c.type, c);
    for (const type of OWN_CONDITIONS) {
      const t = this.transitions.get(type) ?? { status: 'False', at: this.startTime };
      const done = terminal && (type === 'Ready' || type === 'ContainersReady');
      conds.set(type, {
        type,
        status: done ? 'False' : t.status,
        lastProbeTime: null,
        lastTransitionTime: t.at,
        ...(done ? { reason: 'PodCompleted' } : {}),
      });
    }
    const slots = [...this.slots.values()];
    return {
      phase: this.phase,
      ...(this.reason ? { reason: this.reason, message: this.message } : {}),
      hostIP: this.deps.hostIp,
      hostIPs: [{ ip: this.deps.hostIp }],
      podIP: this.deps.hostIp,
      podIPs: [{ ip: this.deps.hostIp }],
      startTime: this.startTime,
      conditions: [...conds.values()],
      ...(slots.some((s) => s.init) ? { initContainerStatuses: slots.filter((s) => s.init).map((s) => this.containerStatus(s)) } : {}),
      containerStatuses: slots.filter((s) => !s.init).map((s) => this.containerStatus(s)),
    };
  }

  /** Coalesced, ordered status writes; resolves once the latest state has been sent. */
  writeStatus(): Promise<void> {
    this.dirty = true;
    this.writing ??= this.flush();
    return this.writing;
  }

  private async flush(): Promise<void> {
    for (let failures = 0; this.dirty && !this.gone && failures < 20; ) {
      this.dirty = false;
      const path = `/api/v1/namespaces/${this.pod.metadata.namespace}/pods/${this.pod.metadata.name}/status`;
      try {
        const updated = await this.deps.rest.mergePatch(path, { metadata: { uid: this.pod.metadata.uid }, status: this.renderStatus() });
        if (updated.metadata?.uid === this.pod.metadata.uid) this.pod = { ...this.pod, status: updated.status };
        failures = 0;
      } catch (e) {
        // 404: the pod is gone; 409/422: the name now belongs to another pod (the uid guard).
        if (e instanceof ApiError && [404, 409, 422].includes(e.code)) break;
        failures++;
        this.dirty = true;
        this.deps.log(`pod ${this.key}: status write failed: ${(e as Error).message}`);
        await sleep(Math.min(2000, 100 * 2 ** failures));
      }
    }
    this.writing = undefined;
  }
}
