import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  boundRecord, fromRecord, readShards, RECORD_BYTES_MAX, renderShard, SHARD_BYTES_MAX, shardOf, toRecord, TRIALS_PER_SHARD,
} from '../../../operator/controller/history.js';
import type { EngineTrial } from '../../../operator/engine/types.js';

const trial = (index: number, extra: Partial<EngineTrial> = {}): EngineTrial => ({
  index, params: { lr: 0.01, opt: 'adam' }, state: 'succeeded', value: 0.9, metrics: { acc: 0.9, loss: 0.2 },
  reports: [1, 2, 3].map((s) => ({ step: s, values: { acc: 0.8 + s / 100, loss: 1 / s } })),
  createdAt: 10, startedAt: 20, finishedAt: 30, ...extra,
});

describe('trial history', () => {
  it('puts trial i in shard floor(i / TRIALS_PER_SHARD)', () => {
    assert.equal(shardOf(0), 0);
    assert.equal(shardOf(TRIALS_PER_SHARD - 1), 0);
    assert.equal(shardOf(TRIALS_PER_SHARD), 1);
  });

  it('round-trips a trial, keeping the objective curve and non-finite values', () => {
    const t = trial(4, { value: Number.NaN, state: 'failed', reason: 'MetricNaN', metrics: { acc: Number.NaN, loss: Infinity } });
    const back = fromRecord(JSON.parse(JSON.stringify(toRecord(t, 'acc'))), 'acc');
    assert.equal(back.index, 4);
    assert.equal(back.state, 'failed');
    assert.ok(Number.isNaN(back.value));
    assert.equal(back.metrics!.loss, Infinity);
    assert.deepEqual(back.reports, [1, 2, 3].map((s) => ({ step: s, values: { acc: 0.8 + s / 100 } })));
    assert.equal(back.reason, 'MetricNaN');
    assert.deepEqual([back.createdAt, back.startedAt, back.finishedAt], [10, 20, 30]);
  });

  it('refuses to record a trial that has not finished', () => {
    assert.throws(() => toRecord(trial(1, { state: 'running' }), 'acc'), /not finished/);
  });

  it('bounds a record: long curves are thinned, first and last points kept', () => {
    const reports = Array.from({ length: 5000 }, (_, s) => ({ step: s, values: { acc: s / 5000 } }));
    const record = toRecord(trial(1, { reports }), 'acc');
    assert.ok(Buffer.byteLength(JSON.stringify(record)) <= RECORD_BYTES_MAX);
    assert.deepEqual(record.series![0], [0, 0]);
    assert.deepEqual(record.series!.at(-1), [4999, 4999 / 5000]);
  });

  it('bounds even a record with huge parameters, saying what it dropped', () => {
    const params = { features: Array.from({ length: 2000 }, (_, i) => `feature_number_${i}`) };
    const record = boundRecord(toRecord(trial(1, { params: { small: 1 }, message: 'x'.repeat(5000) }), 'acc'));
    assert.ok(record.message!.length <= 512);
    const huge = toRecord(trial(2, { params: params as never }), 'acc');
    assert.ok(huge.series === undefined && /too large/.test(huge.message!));
  });

  it('reads every record of every shard and skips entries that do not parse', () => {
    const owner = { name: 'mnist', namespace: 'ml', uid: 'u', apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy' };
    const a = renderShard(owner, 0);
    a.data = { '0': JSON.stringify(toRecord(trial(0), 'acc')), '1': '{broken', '2': JSON.stringify(toRecord(trial(7), 'acc')) };
    const b = renderShard(owner, 1);
    b.data = { '100': JSON.stringify(toRecord(trial(100), 'acc')) };
    const records = readShards([a, b]);
    assert.deepEqual([...records.keys()].sort((x, y) => x - y), [0, 100], 'index 2 holds trial 7: refused');
    assert.equal(a.metadata!.name, 'mnist-history-0');
    assert.equal(a.metadata!.labels!['kubetune.io/history'], 'true');
    assert.equal(a.metadata!.ownerReferences![0]!.uid, 'u');
  });

  it('keeps a full shard of maximal records under the etcd object limit', () => {
    assert.ok(SHARD_BYTES_MAX < 1024 * 1024, `a shard may reach ${SHARD_BYTES_MAX} bytes`);
  });
});
