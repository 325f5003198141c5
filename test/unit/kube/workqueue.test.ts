import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FakeClock } from '../../../operator/kube/clock.js';
import { WorkQueue } from '../../../operator/kube/workqueue.js';

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const q = new WorkQueue(new FakeClock());
    q.add('ns/a');
    q.add('ns/b');
    q.add('ns/a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'ns/a');
    assert.equal(await q.get(), 'ns/b');
  });

  it('never hands a key to two workers; an add during work requeues it at done', async () => {
    const q = new WorkQueue(new FakeClock());
    q.add('k');
    const key = await q.get();
    q.add('k'); // an event arrives while a worker reconciles k
    assert.equal(q.length, 0, 'k must wait for the worker to finish');
    q.done(key!);
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'k');
    q.done('k');
    assert.equal(q.length, 0);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const q = new WorkQueue(new FakeClock());
    const waiting = q.get();
    q.add('k');
    assert.equal(await waiting, 'k');
  });

  it('delays keys with addAfter, keeping the earliest due time', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue(clock);
    q.addAfter('k', 1000);
    q.addAfter('k', 500);
    q.addAfter('k', 2000);
    clock.advance(499);
    assert.equal(q.length, 0);
    clock.advance(1);
    assert.equal(q.length, 1);
    assert.equal(clock.pending, 0, 'the later delays were dropped');
  });

  it('backs off exponentially per key and forgets after success', () => {
    const clock = new FakeClock();
    const q = new WorkQueue(clock, { baseMs: 10, maxMs: 50 });
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => q.backoffMs(n)), [10, 20, 40, 50, 50]);
    q.addRateLimited('k');
    q.addRateLimited('k');
    assert.equal(q.retries('k'), 2);
    clock.advance(10);
    assert.equal(q.length, 1, 'the first (shorter) delay wins');
    q.forget('k');
    assert.equal(q.retries('k'), 0);
  });

  it('wakes every waiting worker with undefined on shutdown and ignores later adds', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue(clock);
    const a = q.get();
    const b = q.get();
    q.addAfter('late', 100);
    q.shutDown();
    assert.deepEqual(await Promise.all([a, b]), [undefined, undefined]);
    q.add('x');
    clock.advance(1000);
    assert.equal(q.length, 0);
    assert.equal(await q.get(), undefined);
  });
});

describe('FakeClock', () => {
  it('fires timers in due order and lets cancelled ones be', () => {
    const clock = new FakeClock(100);
    const fired: string[] = [];
    clock.after(30, () => fired.push('b'));
    clock.after(10, () => fired.push('a'));
    clock.after(20, () => fired.push('x')).cancel();
    clock.advance(50);
    assert.deepEqual(fired, ['a', 'b']);
    assert.equal(clock.now(), 150);
  });
});
