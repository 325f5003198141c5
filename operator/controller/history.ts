/**
 * The complete trial history of a study on a cluster, kept in ConfigMaps owned by the study.
 *
 * Why ConfigMaps: no database (Katib needs MySQL), nothing outside the cluster's own store, and
 * garbage-collected with the study through ownerReferences. Why shards: one object must stay far
 * below etcd's 1.5 MiB limit whatever the number of trials, so trial i goes to shard
 * `floor(i / TRIALS_PER_SHARD)` under the key `"<i>"`, and one record is capped in size. With
 * both bounds a shard stays under SHARD_BYTES_MAX; 10,000 trials are 100 small objects, while the
 * study's own status stays a bounded summary.
 *
 * Writing a record is a JSON merge patch of one key, so it is idempotent: recording the same
 * trial twice (after a restart at the wrong moment) changes nothing.
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { MetricReport } from '../api/trial-contract.js';
import type { EngineTrial, TrialState } from '../engine/types.js';
import type { Params } from '../space/types.js';
import { historyShardName, LABELS, studyLabels } from './names.js';

export const TRIALS_PER_SHARD = 100;
/** Largest serialised record; past it the learning curve is thinned, then the message cut. */
export const RECORD_BYTES_MAX = 8 * 1024;
export const SHARD_BYTES_MAX = TRIALS_PER_SHARD * (RECORD_BYTES_MAX + 16);
const MESSAGE_CHARS_MAX = 512;

/** One finished trial as kept in history. Times are milliseconds since the epoch. */
export interface HistoryRecord {
  index: number;
  params: Params;
  state: Extract<TrialState, 'succeeded' | 'failed' | 'pruned'>;
  value?: number | string;
  metrics?: Record<string, number | string>;
  reason?: string;
  message?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt: number;
  /** The objective's learning curve, `[step, value]`; pruners compare running trials with it. */
  series?: [number, number | string][];
}

export function shardOf(index: number): number {
  return Math.floor(index / TRIALS_PER_SHARD);
}

// JSON has no NaN or infinities; keep them as the strings the trial contract uses.
const enc = (v: number): number | string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v);
const dec = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

/** Keeps at most `max` points, always the first and the last, evenly spaced between. */
function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(points[Math.round((k * (points.length - 1)) / (max - 1))] as T);
  return out;
}

/** The record of a finished trial, its curve taken from the objective metric's reports. */
export function toRecord(t: EngineTrial, metric: string): HistoryRecord {
  if (t.state !== 'succeeded' && t.state !== 'failed' && t.state !== 'pruned') throw new Error(`trial ${t.index} has not finished`);
  const record: HistoryRecord = { index: t.index, params: t.params, state: t.state, createdAt: t.createdAt, finishedAt: t.finishedAt ?? t.createdAt };
  if (t.value !== undefined) record.value = enc(t.value);
  if (t.metrics !== undefined && Object.keys(t.metrics).length > 0) {
    record.metrics = Object.fromEntries(Object.entries(t.metrics).map(([k, v]) => [k, enc(v)]));
  }
  if (t.reason !== undefined) record.reason = t.reason;
  if (t.message !== undefined) record.message = t.message.slice(0, MESSAGE_CHARS_MAX);
  if (t.startedAt !== undefined) record.startedAt = t.startedAt;
  const series = t.reports.flatMap((r) => (r.values[metric] === undefined ? [] : [[r.step, enc(r.values[metric] as number)] as [number, number | string]]));
  if (series.length > 0) record.series = series;
  return boundRecord(record);
}

/** Shrinks a record until it serialises within RECORD_BYTES_MAX. */
export function boundRecord(record: HistoryRecord): HistoryRecord {
  let r = record;
  let points = r.series?.length ?? 0;
  while (Buffer.byteLength(JSON.stringify(r)) > RECORD_BYTES_MAX && points > 2) {
    points = Math.max(2, Math.floor(points / 2));
    r = { ...r, series: thin(record.series ?? [], points) };
  }
  if (Buffer.byteLength(JSON.stringify(r)) > RECORD_BYTES_MAX) {
    const { series: _s, message: _m, metrics, ...rest } = r;
    r = { ...rest, message: 'record too large: learning curve, message and metrics other than the objective dropped' };
    if (metrics !== undefined && Buffer.byteLength(JSON.stringify({ ...r, metrics })) <= RECORD_BYTES_MAX) r.metrics = metrics;
  }
  return r;
}

/**
 * Decoded records and trials, per cached object. The informer replaces an object when it changes
 * and never edits one, so an object seen before decodes to the same thing: a reconcile of a
 * 10,000-trial study parses only the shard that changed, not all 100 (about a second per
 * reconcile otherwise). Weak keys: entries go with the objects.
 */
const parsedShards = new WeakMap<V1ConfigMap, HistoryRecord[]>();
const decodedTrials = new WeakMap<HistoryRecord, { metric: string; trial: EngineTrial }>();

/** The trial a record stands for, as the engine sees it (treat both as read-only). */
export function fromRecord(record: HistoryRecord, metric: string): EngineTrial {
  const hit = decodedTrials.get(record);
  if (hit !== undefined && hit.metric === metric) return hit.trial;
  const trial = decodeRecord(record, metric);
  decodedTrials.set(record, { metric, trial });
  return trial;
}

function decodeRecord(record: HistoryRecord, metric: string): EngineTrial {
  const reports: MetricReport[] = (record.series ?? []).map(([step, v]) => ({ step, values: { [metric]: dec(v) } }));
  const trial: EngineTrial = {
    index: record.index,
    params: record.params,
    state: record.state,
    reports,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
    ...(record.value !== undefined && { value: dec(record.value) }),
    ...(record.metrics !== undefined && { metrics: Object.fromEntries(Object.entries(record.metrics).map(([k, v]) => [k, dec(v)])) }),
    ...(record.reason !== undefined && { reason: record.reason }),
    ...(record.message !== undefined && { message: record.message }),
    ...(record.startedAt !== undefined && { startedAt: record.startedAt }),
  };
  return trial;
}

/** Every record held by a study's shards (a key that does not parse is skipped, not fatal). */
export function readShards(shards: readonly V1ConfigMap[]): Map<number, HistoryRecord> {
  const out = new Map<number, HistoryRecord>();
  for (const cm of shards) {
    let records = parsedShards.get(cm);
    if (records === undefined) parsedShards.set(cm, (records = parseShard(cm)));
    for (const record of records) out.set(record.index, record);
  }
  return out;
}

function parseShard(cm: V1ConfigMap): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  for (const [key, text] of Object.entries(cm.data ?? {})) {
    if (!/^\d+$/.test(key)) continue;
    try {
      const record = JSON.parse(text) as HistoryRecord;
      if (record.index === Number(key)) out.push(record);
    } catch {
      // A hand-edited or truncated entry must not stop the study; the trial is simply unknown.
    }
  }
  return out;
}

/** A new, empty shard owned by the study. */
export function renderShard(study: { name: string; namespace: string; uid: string; apiVersion: string; kind: string }, shard: number): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: historyShardName(study.name, shard),
      namespace: study.namespace,
      labels: { ...studyLabels(study.name), [LABELS.history]: 'true' },
      ownerReferences: [{ apiVersion: study.apiVersion, kind: study.kind, name: study.name, uid: study.uid, controller: true, blockOwnerDeletion: true }],
    },
    data: {},
  };
}
