/**
 * What `get`, `trials` and `report` read from a cluster: the TuningStudy objects, and one study's
 * complete history from its sharded ConfigMaps (operator/controller/history.ts). Read-only — the
 * CLI never writes to a study — and only through the kubeconfig a person already uses (flag
 * `--kubeconfig`, else KUBECONFIG / ~/.kube/config / in-cluster, as kubectl and client-node do).
 *
 * Failures a person can act on become `ExitError`s here (no cluster configured, the apiserver
 * unreachable, forbidden, no such study), so the commands never see an HTTP status.
 */
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, PLURAL } from '../api/schema.js';
import type { TuningStudy } from '../api/types.js';
import { type HistoryRecord, readShards } from '../controller/history.js';
import { LABELS, MANAGER } from '../controller/names.js';
import { statusCode } from '../kube/informer.js';
import { ExitError, UsageError } from './errors.js';

export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export interface ClusterReader {
  /** The namespace used when none is given: the flag, else the context's, else `default`. */
  namespace: string;
  getStudy(name: string, namespace?: string): Promise<TuningStudy>;
  /** Studies of one namespace, or of all (namespace `null`). */
  listStudies(namespace: string | null): Promise<TuningStudy[]>;
  /** Every finished trial the study's history shards hold, by index. */
  readHistory(name: string, namespace?: string): Promise<HistoryRecord[]>;
}

/** The connection options every cluster command takes, read from commander's options object. */
export function clusterOptions(options: Record<string, unknown>): ClusterOptions {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const out: ClusterOptions = {};
  const kubeconfig = str(options.kubeconfig);
  const context = str(options.context);
  const namespace = str(options.namespace);
  if (kubeconfig !== undefined) out.kubeconfig = kubeconfig;
  if (context !== undefined) out.context = context;
  if (namespace !== undefined) out.namespace = namespace;
  return out;
}

export function connectCluster(options: ClusterOptions): ClusterReader {
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new ExitError(`cannot read the kubeconfig: ${(err as Error).message}`, 1);
  }
  if (options.context !== undefined) {
    if (kc.getContextObject(options.context) === null) throw new UsageError(`no context "${options.context}" in the kubeconfig`);
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  // With no kubeconfig anywhere, client-node falls back to a made-up cluster at localhost:8080
  // (kubectl's old insecure default); saying "cannot reach localhost:8080" would mislead.
  const fallback = cluster?.name === 'cluster' && cluster.server === 'http://localhost:8080' && options.kubeconfig === undefined;
  if (cluster === null || fallback) throw new ExitError('no cluster to talk to: no kubeconfig found', 1, 'pass --kubeconfig, set KUBECONFIG, or run in a pod');
  const namespace = options.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);

  const fail = (err: unknown, what: string): never => {
    const code = statusCode(err);
    if (code === 404) throw new ExitError(`${what}: not found`, 1, `list the studies with \`kubetune get\`${options.namespace === undefined ? ' (add -n <namespace> or -A)' : ''}`);
    if (code === 401 || code === 403) throw new ExitError(`${what}: ${code === 401 ? 'not authenticated' : 'forbidden'} on ${cluster.server}`, 1, 'reading studies needs get/list on tuningstudies.kubetune.io and list on configmaps');
    if (code !== undefined) throw new ExitError(`${what}: the apiserver answered ${code}`, 1);
    throw new ExitError(`${what}: cannot reach ${cluster.server}: ${(err as Error).message}`, 1);
  };

  return {
    namespace,
    async getStudy(name, ns = namespace) {
      try {
        return (await custom.getNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural: PLURAL, name })) as TuningStudy;
      } catch (err) {
        return fail(err, `study ${ns}/${name}`);
      }
    },
    async listStudies(ns) {
      try {
        const list = ns === null
          ? await custom.listClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural: PLURAL })
          : await custom.listNamespacedCustomObject({ group: API_GROUP, version: API_VERSION, namespace: ns, plural: PLURAL });
        return ((list as { items?: TuningStudy[] }).items ?? []);
      } catch (err) {
        return fail(err, ns === null ? 'studies in all namespaces' : `studies in ${ns}`);
      }
    },
    async readHistory(name, ns = namespace) {
      // The shards carry the study's labels (names.ts); selecting by label finds every shard
      // whatever their number, in one request.
      const labelSelector = `${LABELS.managedBy}=${MANAGER},${LABELS.study}=${name},${LABELS.history}=true`;
      try {
        const list = await core.listNamespacedConfigMap({ namespace: ns, labelSelector });
        return [...readShards(list.items).values()].sort((a, b) => a.index - b.index);
      } catch (err) {
        return fail(err, `history of study ${ns}/${name}`);
      }
    },
  };
}
