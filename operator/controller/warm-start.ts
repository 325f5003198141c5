/**
 * Cluster form of `algorithm.warmStart: { study }`: the succeeded trials of an earlier TuningStudy
 * in the same namespace, read from its history shards, for `compileStudy`'s `warmStart` option.
 * (The local form, `resultsDir`, is operator/local/warm-start.ts; the engine's side, which feeds
 * them to the sampler, is operator/engine/warm-start.ts.)
 *
 * Two rules keep a warm-started study reproducible across operator restarts:
 *
 * - **Only a finished source.** The earlier study must be Completed or Failed; while it runs, its
 *   history grows, and a restart would hand the sampler a different set. Until then the study
 *   waits in Pending (reason `WaitingForWarmStart`), and a missing source is waited for the same
 *   way — it may be applied a moment later from the same GitOps commit.
 * - **A snapshot owned by the study.** The first time the trials are read they are written to a
 *   ConfigMap `<study>-warm-start`, labelled as history so the operator's history cache holds it
 *   and owned by the study so it is garbage-collected with it. From then on the snapshot is the
 *   source of truth: deleting, editing or re-running the earlier study changes nothing here.
 *
 * The value of a warm trial is this study's objective metric — the earlier study's objective value
 * when both optimise the same metric, else the metric as the trial reported it; trials without it
 * are left out. The snapshot keeps at most WARM_TRIALS_MAX trials (the latest by index) so the
 * ConfigMap stays far below etcd's object limit.
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { SpecError } from '../api/issues.js';
import { API_GROUP, API_VERSION, KIND } from '../api/schema.js';
import type { ResolvedSpec } from '../api/types.js';
import { type WarmTrial, warmValueOf } from '../engine/warm-start.js';
import type { Params } from '../space/types.js';
import { fromRecord, readShards } from './history.js';
import { LABELS, studyLabels } from './names.js';
import type { StudyObject } from './reconciler.js';

/** Most warm trials kept in a snapshot: 2,000 trials of 100-byte parameters are ~250 KiB. */
export const WARM_TRIALS_MAX = 2000;
/** The ConfigMap key that holds the snapshot (never a trial index, so shard readers skip it). */
export const SNAPSHOT_KEY = 'warmStart';
/** How often a waiting study looks again for its source (it is not woken by the source's events). */
export const WARM_START_RECHECK_MS = 10_000;

/** `<study>-warm-start`. */
export function warmStartSnapshotName(study: string): string {
  return `${study}-warm-start`;
}

/** What the snapshot ConfigMap holds under SNAPSHOT_KEY. */
export interface WarmStartSnapshot {
  source: { name: string; uid: string };
  metric: string;
  trials: [Params, number][];
}

export type WarmStartState =
  /** The spec asks for no cluster warm start. */
  | { kind: 'none' }
  /** Not available yet; the study waits and looks again. */
  | { kind: 'waiting'; message: string }
  /** The trials to compile with; `create` is the snapshot still to be written. */
  | { kind: 'ready'; trials: WarmTrial[]; source: string; create?: V1ConfigMap; lost?: string };

/** What the warm start needs from the informer caches. */
export interface WarmStartCaches {
  study(key: string): StudyObject | undefined;
  historyOf(namespace: string, study: string): V1ConfigMap[];
}

/**
 * Where the warm start of `obj` stands, from the caches alone (pure given them). Throws a
 * SpecError when the spec names the study itself.
 */
export function warmStartFor(spec: ResolvedSpec, obj: StudyObject, caches: WarmStartCaches): WarmStartState {
  const sourceName = spec.algorithm.warmStart?.study;
  if (sourceName === undefined) return { kind: 'none' };
  const namespace = obj.metadata.namespace as string;
  const name = obj.metadata.name;
  if (sourceName === name) {
    throw new SpecError([{ code: 'warm_start_self', path: '/spec/algorithm/warmStart/study', message: `a study cannot warm-start from itself (${name})` }]);
  }

  const snapshot = caches.historyOf(namespace, name).find((cm) => cm.metadata?.name === warmStartSnapshotName(name) && ownedByUid(cm, obj.metadata.uid));
  if (snapshot !== undefined) {
    const parsed = parseSnapshot(snapshot);
    if (parsed !== undefined) return { kind: 'ready', trials: parsed.trials.map(([params, value]) => ({ params, value })), source: parsed.source.name };
    // An unreadable snapshot (edited by hand) is rebuilt from the source if it still exists.
  }

  const source = finishedSource(caches, namespace, sourceName);
  if (typeof source === 'string') {
    // A study that already ran trials without its snapshot (deleted by hand) must not stall:
    // it goes on cold and says so, rather than holding its Jobs unobserved.
    if (obj.status?.startTime !== undefined) return { kind: 'ready', trials: [], source: sourceName, lost: `warm-start snapshot ${warmStartSnapshotName(name)} is gone and ${source}: continuing without warm trials` };
    return { kind: 'waiting', message: `waiting: ${source}` };
  }
  const metric = spec.objective.metric;
  const trials = warmTrialsOf(source, caches.historyOf(namespace, sourceName), metric);
  const body: WarmStartSnapshot = { source: { name: sourceName, uid: source.metadata.uid ?? '' }, metric, trials: trials.map((t) => [t.params, t.value]) };
  return { kind: 'ready', trials, source: sourceName, create: renderSnapshot(obj, body) };
}

/** The source study when it has finished, else why it cannot be used yet. */
function finishedSource(caches: WarmStartCaches, namespace: string, name: string): StudyObject | string {
  const source = caches.study(`${namespace}/${name}`);
  if (source === undefined || source.metadata.deletionTimestamp) return `TuningStudy ${name} (algorithm.warmStart.study) does not exist in namespace ${namespace}`;
  const phase = source.status?.phase;
  if (phase !== 'Completed' && phase !== 'Failed') return `TuningStudy ${name} (algorithm.warmStart.study) has not finished; it is ${phase ?? 'not started'}`;
  return source;
}

/** The succeeded trials of `source` with a finite value for `metric`, latest WARM_TRIALS_MAX, by index. */
export function warmTrialsOf(source: StudyObject, shards: readonly V1ConfigMap[], metric: string): WarmTrial[] {
  const own = shards.filter((cm) => ownedByUid(cm, source.metadata.uid));
  const sourceMetric = source.spec?.objective?.metric;
  const out: { index: number; trial: WarmTrial }[] = [];
  for (const r of readShards(own).values()) {
    if (r.state !== 'succeeded') continue;
    const value = warmValueOf(fromRecord(r, metric), sourceMetric, metric);
    if (value !== undefined) out.push({ index: r.index, trial: { params: r.params, value } });
  }
  out.sort((a, b) => a.index - b.index);
  return out.slice(-WARM_TRIALS_MAX).map((x) => x.trial);
}

function renderSnapshot(obj: StudyObject, body: WarmStartSnapshot): V1ConfigMap {
  const name = obj.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: warmStartSnapshotName(name),
      namespace: obj.metadata.namespace as string,
      labels: { ...studyLabels(name), [LABELS.history]: 'true' },
      ownerReferences: [{ apiVersion: `${API_GROUP}/${API_VERSION}`, kind: KIND, name, uid: obj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    data: { [SNAPSHOT_KEY]: JSON.stringify(body) },
  };
}

function parseSnapshot(cm: V1ConfigMap): WarmStartSnapshot | undefined {
  try {
    const body = JSON.parse(cm.data?.[SNAPSHOT_KEY] ?? '') as WarmStartSnapshot;
    const wellFormed = Array.isArray(body.trials) && body.trials.every((t) => Array.isArray(t) && typeof t[0] === 'object' && t[0] !== null && typeof t[1] === 'number');
    return wellFormed && typeof body.source?.name === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}

function ownedByUid(cm: V1ConfigMap, uid: string | undefined): boolean {
  return uid !== undefined && (cm.metadata?.ownerReferences ?? []).some((r) => r.uid === uid);
}
