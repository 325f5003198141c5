/**
 * The operator's writes to the cluster, each with the idempotence the reconciler relies on:
 *
 * - `createJob`: 409 AlreadyExists is success (the Job name is deterministic per trial);
 * - `deleteJob`: 404 NotFound is success; pods go with it (background propagation);
 * - `writeHistory`: a JSON merge patch of one key of the trial's shard, creating the shard on
 *   first use (a lost create race is retried as a patch);
 * - `patchStudyStatus`: a merge patch of the status subresource only, so a status write can
 *   never change the spec a user just edited;
 * - `event`: best effort; a failed Event is logged, never fatal.
 *
 * Every one of them runs the fence it was given (the manager's leader-lease check), which throws
 * rather than let a replica that may have lost its lease write: once before the request is
 * built, and again as the last step before it is sent (a client-node middleware), so a process
 * frozen in between — building a request takes a TLS handshake with client-node's own agent —
 * does not send a stale write when it wakes. Writes go over one keep-alive agent, so that last
 * step and the bytes leaving are a few microtasks apart, not a handshake.
 */
import { Agent } from 'node:https';
import {
  BatchV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Job,
} from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, PLURAL } from '../api/schema.js';
import type { TuningStudyStatus } from '../api/types.js';
import { statusCode } from '../kube/informer.js';
import { type HistoryRecord, renderShard, shardOf } from './history.js';
import { historyShardName } from './names.js';

export interface StudyOwner {
  name: string;
  namespace: string;
  uid: string;
  apiVersion: string;
  kind: string;
}


export class ClusterApi {
  private readonly batch: BatchV1Api;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  /** Requests made, by verb and resource, for the benchmarks' requests-per-trial. */
  readonly requests = new Map<string, number>();

  /** Options for every write: the fence as the last middleware before sending. */
  private readonly send: ConfigurationOptions;
  private readonly mergePatch: ConfigurationOptions;
  private agent: Agent | undefined;

  /** `fence` runs before every request and throws to refuse it (the leader-lease check). */
  constructor(readonly kc: KubeConfig, private readonly fence?: () => void) {
    this.batch = kc.makeApiClient(BatchV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    // An observable middleware as client-node 1.4's own rxjs stub reads one: `toPromise()` is
    // called once the steps before it are done, right before the request is handed to fetch.
    const last = {
      pre: (ctx: RequestContext) => ({
        toPromise: async (): Promise<RequestContext> => {
          this.fence?.();
          // client-node made a fresh agent for this request (its TLS settings); keep one alive instead.
          const made = ctx.getAgent();
          if (made instanceof Agent) {
            this.agent ??= new Agent({ ...made.options, keepAlive: true, maxSockets: 16 });
            ctx.setAgent(this.agent);
          }
          return ctx;
        },
      }),
      post: (res: ResponseContext) => ({ toPromise: async (): Promise<ResponseContext> => res }),
    };
    this.send = { middleware: [last], middlewareMergeStrategy: 'append' } as unknown as ConfigurationOptions;
    const header = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    this.mergePatch = { ...header, middleware: [...(header.middleware ?? []), last], middlewareMergeStrategy: 'append' } as unknown as ConfigurationOptions;
  }

  private count(what: string): void {
    this.fence?.();
    this.requests.set(what, (this.requests.get(what) ?? 0) + 1);
  }

  async createJob(job: V1Job): Promise<void> {
    this.count('create jobs');
    try {
      await this.batch.createNamespacedJob({ namespace: job.metadata!.namespace!, body: job }, this.send);
    } catch (err) {
      if (statusCode(err) !== 409) throw err;
    }
  }

  async deleteJob(namespace: string, name: string): Promise<void> {
    this.count('delete jobs');
    try {
      await this.batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Background' }, this.send);
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }

  /**
   * Creates a ConfigMap whose name is deterministic: 409 AlreadyExists is success too. Returns
   * whether this call created it.
   */
  async createConfigMap(cm: V1ConfigMap): Promise<boolean> {
    this.count('create configmaps');
    try {
      await this.core.createNamespacedConfigMap({ namespace: cm.metadata!.namespace!, body: cm }, this.send);
      return true;
    } catch (err) {
      if (statusCode(err) !== 409) throw err;
      return false;
    }
  }

  async writeHistory(study: StudyOwner, record: HistoryRecord): Promise<void> {
    const shard = shardOf(record.index);
    const name = historyShardName(study.name, shard);
    const patch = { data: { [String(record.index)]: JSON.stringify(record) } };
    for (let attempt = 0; attempt < 3; attempt++) {
      this.count('patch configmaps');
      try {
        await this.core.patchNamespacedConfigMap({ namespace: study.namespace, name, body: patch }, this.mergePatch);
        return;
      } catch (err) {
        if (statusCode(err) !== 404) throw err;
      }
      this.count('create configmaps');
      try {
        await this.core.createNamespacedConfigMap({ namespace: study.namespace, body: { ...renderShard(study, shard), data: patch.data } }, this.send);
        return;
      } catch (err) {
        if (statusCode(err) !== 409) throw err; // someone created it meanwhile: patch again
      }
    }
    throw new Error(`could not write trial ${record.index} to history shard ${name}`);
  }

  async patchStudyStatus(namespace: string, name: string, status: TuningStudyStatus): Promise<void> {
    this.count('patch tuningstudies/status');
    // `null` in a merge patch deletes: fields the new status lacks must go.
    const body = { status: { reason: null, completionTime: null, bestTrial: null, ...status } };
    await this.custom.patchNamespacedCustomObjectStatus(
      { group: API_GROUP, version: API_VERSION, namespace, plural: PLURAL, name, body },
      this.mergePatch,
    );
  }

  async event(
    involved: { apiVersion: string; kind: string; name: string; namespace: string; uid: string },
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    now: Date,
  ): Promise<void> {
    this.count('create events');
    await this.core.createNamespacedEvent({
      namespace: involved.namespace,
      body: {
        metadata: { generateName: `${involved.name}.`, namespace: involved.namespace },
        involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: involved.name, namespace: involved.namespace, uid: involved.uid },
        type,
        reason,
        message,
        source: { component },
        reportingComponent: component,
        reportingInstance: component,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    }, this.send);
  }
}
