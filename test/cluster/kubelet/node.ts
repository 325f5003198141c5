/**
 * One Node object kept alive by the process-kubelet: registration with capacity (including
 * `nvidia.com/gpu`), a `kube-node-lease` Lease renewed every 10 s (the heartbeat the node
 * lifecycle controller reads), and the Ready condition refreshed every 30 s.
 *
 * A new Node gets the `node.kubernetes.io/not-ready` taint from admission; the node lifecycle
 * controller lifts it once it has seen Ready=True, so `waitSchedulable` waits for that.
 */
import { hostname } from 'node:os';
import { ApiError, type Obj, type Rest } from '../rest.js';
import { waitFor } from '../util.js';

export interface NodeSpec {
  name: string;
  /** `nvidia.com/gpu` capacity; 0 leaves the resource out. */
  gpus?: number;
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Obj[];
}

export const KUBELET_VERSION = 'v1.34.4';
const LEASE_SECONDS = 40;

export function allocatableOf(spec: NodeSpec): Record<string, string> {
  return {
    cpu: spec.cpu ?? '8',
    memory: spec.memory ?? '32Gi',
    pods: String(spec.pods ?? 110),
    'ephemeral-storage': '100Gi',
    ...(spec.gpus ? { 'nvidia.com/gpu': String(spec.gpus) } : {}),
  };
}

export class NodeAgent {
  private timers: NodeJS.Timeout[] = [];
  readonly allocatable: Record<string, string>;

  constructor(
    readonly spec: NodeSpec,
    private readonly rest: Rest,
    private readonly kubeletPort: number,
    private readonly log: (m: string) => void,
  ) {
    this.allocatable = allocatableOf(spec);
  }

  private conditions(now: string): Obj[] {
    const c = (type: string, status: string, reason: string, message: string) => ({
      type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now,
    });
    return [
      c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      c('Ready', 'True', 'KubeletReady', 'process-kubelet is posting ready status'),
    ];
  }

  private status(now: string): Obj {
    return {
      capacity: this.allocatable,
      allocatable: this.allocatable,
      conditions: this.conditions(now),
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: this.spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: this.kubeletPort } },
      nodeInfo: {
        machineID: this.spec.name, systemUUID: this.spec.name, bootID: `${hostname()}-${process.pid}`,
        kernelVersion: 'process-kubelet', osImage: 'kubetune process-kubelet',
        containerRuntimeVersion: 'process://0.1', kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '',
        operatingSystem: 'linux', architecture: 'amd64',
      },
    };
  }

  async register(): Promise<void> {
    const now = new Date().toISOString();
    const { name } = this.spec;
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
          'kubetune.dev/process-kubelet': 'true',
          ...(this.spec.labels ?? {}),
        },
      },
      spec: { taints: this.spec.taints ?? [] },
    };
    try {
      await this.rest.create('/api/v1/nodes', node);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 409)) throw e;
      await this.rest.mergePatch(`/api/v1/nodes/${name}`, { metadata: { labels: node.metadata.labels }, spec: node.spec });
    }
    // Status is a subresource: write it there, whatever create kept.
    await this.rest.mergePatch(`/api/v1/nodes/${name}/status`, { status: this.status(now) });
    await this.renewLease();
    this.timers.push(setInterval(() => void this.renewLease().catch((e) => this.log(`lease ${name}: ${e.message}`)), 10_000));
    this.timers.push(
      setInterval(
        () => void this.rest.mergePatch(`/api/v1/nodes/${name}/status`, { status: { conditions: this.conditions(new Date().toISOString()) } })
          .catch((e: Error) => this.log(`node status ${name}: ${e.message}`)),
        30_000,
      ),
    );
    for (const t of this.timers) t.unref();
  }

  private async renewLease(): Promise<void> {
    const { name } = this.spec;
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`;
    const renewTime = new Date().toISOString().replace('Z', '000Z'); // MicroTime
    try {
      await this.rest.mergePatch(path, { spec: { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime } });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
      await this.rest.create('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name },
        spec: { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime },
      });
    }
  }

  /** Resolves once the scheduler may place pods here (the not-ready taint is gone). */
  async waitSchedulable(timeoutMs = 60_000): Promise<void> {
    await waitFor(`node ${this.spec.name} schedulable`, async () => {
      const n = await this.rest.get(`/api/v1/nodes/${this.spec.name}`);
      return !((n.spec.taints ?? []) as Obj[]).some((t) => t.key === 'node.kubernetes.io/not-ready');
    }, { timeoutMs, intervalMs: 200 });
  }

  async stop(deleteNode: boolean): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (!deleteNode) return;
    await this.rest.delete(`/api/v1/nodes/${this.spec.name}`).catch(() => undefined);
    await this.rest.delete(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.spec.name}`).catch(() => undefined);
  }
}
