// Cluster warm start (operator/controller/warm-start.ts): which trials of the source study are
// taken, when the study waits, and that the snapshot — once written — is the source of truth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { SpecError } from '../../../operator/api/issues.js';
import { type HistoryRecord, renderShard } from '../../../operator/controller/history.js';
import type { StudyObject } from '../../../operator/controller/reconciler.js';
import { SNAPSHOT_KEY, WARM_TRIALS_MAX, warmStartFor, warmStartSnapshotName, warmTrialsOf } from '../../../operator/controller/warm-start.js';
import { resolved } from './fixtures.js';

const NS = 'ml';

function studyObj(name: string, uid: string, spec: Record<string, unknown>, status?: Record<string, unknown>): StudyObject {
  return { apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy', metadata: { name, namespace: NS, uid, generation: 1 }, spec, ...(status && { status }) } as unknown as StudyObject;
}

function record(index: number, state: HistoryRecord['state'], value: number | string | undefined, metrics: Record<string, number> = {}): HistoryRecord {
  return { index, params: { lr: 0.001 * (index + 1), features: ['a'] }, state, ...(value !== undefined && { value }), metrics, createdAt: 1, finishedAt: 2 };
}

function shardOf(owner: { name: string; uid: string }, records: HistoryRecord[], shard = 0): V1ConfigMap {
  const cm = renderShard({ ...owner, namespace: NS, apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy' }, shard);
  cm.data = Object.fromEntries(records.map((r) => [String(r.index), JSON.stringify(r)]));
  return cm;
}

function cachesOf(studies: StudyObject[], history: Record<string, V1ConfigMap[]>) {
  return {
    study: (key: string) => studies.find((s) => `${NS}/${s.metadata.name}` === key),
    historyOf: (_ns: string, study: string) => history[study] ?? [],
  };
}

const spec = resolved({ algorithm: { name: 'tpe', warmStart: { study: 'first' } } });
const me = studyObj('mnist', 'uid-me', {});
const finishedFirst = studyObj('first', 'uid-first', { objective: { metric: 'val_accuracy', goal: 'maximize' } }, { phase: 'Completed' });

test('a spec without warmStart.study needs nothing', () => {
  assert.deepEqual(warmStartFor(resolved(), me, cachesOf([], {})), { kind: 'none' });
});

test('a missing or unfinished source makes the study wait, naming the source', () => {
  const missing = warmStartFor(spec, me, cachesOf([me], {}));
  assert.equal(missing.kind, 'waiting');
  assert.match(missing.kind === 'waiting' ? missing.message : '', /TuningStudy first .*does not exist in namespace ml/);
  const running = studyObj('first', 'uid-first', {}, { phase: 'Running' });
  const waiting = warmStartFor(spec, me, cachesOf([me, running], {}));
  assert.equal(waiting.kind, 'waiting');
  assert.match(waiting.kind === 'waiting' ? waiting.message : '', /has not finished; it is Running/);
});

test('a study naming itself is an invalid spec with the field path', () => {
  const self = resolved({ algorithm: { name: 'tpe', warmStart: { study: 'mnist' } } });
  assert.throws(() => warmStartFor(self, me, cachesOf([me], {})), (err: unknown) => err instanceof SpecError && err.issues[0]?.path === '/spec/algorithm/warmStart/study');
});

test('a finished source gives its succeeded trials with finite values, in index order, and a snapshot to write', () => {
  const shards = [
    shardOf({ name: 'first', uid: 'uid-first' }, [record(2, 'succeeded', 0.9), record(0, 'succeeded', 0.8), record(1, 'failed', undefined), record(3, 'pruned', 0.5), record(4, 'succeeded', 'NaN')]),
    // A shard left by an earlier study of the same name (another uid) is not this source's.
    shardOf({ name: 'first', uid: 'uid-old' }, [record(7, 'succeeded', 0.99)]),
  ];
  const state = warmStartFor(spec, me, cachesOf([me, finishedFirst], { first: shards }));
  assert.equal(state.kind, 'ready');
  if (state.kind !== 'ready') return;
  assert.deepEqual(state.trials.map((t) => t.value), [0.8, 0.9]);
  assert.equal(state.create?.metadata?.name, warmStartSnapshotName('mnist'));
  assert.equal(state.create?.metadata?.ownerReferences?.[0]?.uid, 'uid-me');
  const body = JSON.parse(state.create?.data?.[SNAPSHOT_KEY] ?? '{}');
  assert.deepEqual(body.source, { name: 'first', uid: 'uid-first' });
  assert.deepEqual(body.trials.map((t: [unknown, number]) => t[1]), [0.8, 0.9]);
});

test('when the source optimised another metric, the value is this study\'s metric as the trial reported it', () => {
  const other = studyObj('first', 'uid-first', { objective: { metric: 'loss', goal: 'minimize' } }, { phase: 'Completed' });
  const shards = [shardOf({ name: 'first', uid: 'uid-first' }, [record(0, 'succeeded', 0.3, { val_accuracy: 0.7 }), record(1, 'succeeded', 0.2)])];
  const trials = warmTrialsOf(other, shards, 'val_accuracy');
  assert.deepEqual(trials.map((t) => t.value), [0.7]);
});

test('the snapshot keeps the latest WARM_TRIALS_MAX trials', () => {
  const records = Array.from({ length: WARM_TRIALS_MAX + 5 }, (_, i) => record(i, 'succeeded', i));
  const trials = warmTrialsOf(finishedFirst, [shardOf({ name: 'first', uid: 'uid-first' }, records)], 'val_accuracy');
  assert.equal(trials.length, WARM_TRIALS_MAX);
  assert.equal(trials[0]?.value, 5);
});

test('once written, the snapshot is used even after the source is gone', () => {
  const first = warmStartFor(spec, me, cachesOf([me, finishedFirst], { first: [shardOf({ name: 'first', uid: 'uid-first' }, [record(0, 'succeeded', 0.8)])] }));
  assert.equal(first.kind, 'ready');
  const snapshot = first.kind === 'ready' ? first.create : undefined;
  assert.ok(snapshot !== undefined);
  const later = warmStartFor(spec, me, cachesOf([me], { mnist: [snapshot] }));
  assert.equal(later.kind, 'ready');
  if (later.kind !== 'ready') return;
  assert.equal(later.create, undefined);
  assert.deepEqual(later.trials, first.kind === 'ready' ? first.trials : []);
});

test('a started study whose snapshot and source are both gone goes on cold and says why', () => {
  const started = studyObj('mnist', 'uid-me', {}, { phase: 'Running', startTime: '2026-11-25T00:00:00Z' });
  const state = warmStartFor(spec, started, cachesOf([started], {}));
  assert.equal(state.kind, 'ready');
  assert.deepEqual(state.kind === 'ready' ? state.trials : undefined, []);
  assert.match(state.kind === 'ready' ? state.lost ?? '' : '', /snapshot mnist-warm-start is gone/);
});
