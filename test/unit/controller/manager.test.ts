import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import winston from 'winston';

import { watchedNamespaces } from '../../../operator/cli/commands/operator.js';
import { Manager, studyKeyOf } from '../../../operator/controller/manager.js';
import { OperatorMetrics } from '../../../operator/controller/metrics.js';
import { TerminalError, type ReconcileResult } from '../../../operator/controller/reconciler.js';
import { FakeClock } from '../../../operator/kube/clock.js';
import { unreachableKubeconfig } from './fixtures.js';

/** A manager whose reconciler answers from a script, on a fake clock; nothing is started. */
function managerWith(answers: (key: string) => Promise<ReconcileResult>, extra: Partial<ConstructorParameters<typeof Manager>[0]> = {}) {
  const clock = new FakeClock(1_000_000);
  const metrics = new OperatorMetrics();
  const calls: string[] = [];
  const manager = new Manager({
    kc: unreachableKubeconfig(),
    namespaces: ['team-a'],
    log: winston.createLogger({ silent: true }),
    metrics,
    clock,
    reconciler: { reconcile: (key) => (calls.push(key), answers(key)) },
    ...extra,
  });
  return { manager, clock, metrics, calls };
}

async function count(metrics: OperatorMetrics, result: string): Promise<number> {
  const m = (await metrics.reconcileTotal.get()).values.find((v) => v.labels.result === result);
  return m?.value ?? 0;
}

describe('Manager.processNextWorkItem', () => {
  it('counts a success and asks for nothing more', async () => {
    const { manager, metrics, calls } = managerWith(async () => ({}));
    manager.queue.add('team-a/s');
    assert.equal(await manager.processNextWorkItem(), true);
    assert.deepEqual(calls, ['team-a/s']);
    assert.equal(await count(metrics, 'success'), 1);
    assert.equal(manager.queue.length, 0);
  });

  it('requeues a key after the delay the reconciler asked for, and not before', async () => {
    const { manager, clock, metrics } = managerWith(async () => ({ requeueAfterMs: 5_000 }));
    manager.queue.add('team-a/s');
    await manager.processNextWorkItem();
    assert.equal(await count(metrics, 'requeue_after'), 1);
    clock.advance(4_999);
    assert.equal(manager.queue.length, 0);
    clock.advance(1);
    assert.equal(manager.queue.length, 1);
  });

  it('retries an error with per-key exponential backoff, reset by the next success', async () => {
    let fail = 3;
    const { manager, clock, metrics } = managerWith(async () => {
      if (fail-- > 0) throw new Error('apiserver unavailable');
      return {};
    });
    manager.queue.add('team-a/s');
    for (const delay of [5, 10, 20]) {
      await manager.processNextWorkItem();
      clock.advance(delay - 1);
      assert.equal(manager.queue.length, 0, `not before ${delay} ms`);
      clock.advance(1);
      assert.equal(manager.queue.length, 1, `after ${delay} ms`);
    }
    await manager.processNextWorkItem();
    assert.equal(await count(metrics, 'error'), 3);
    assert.equal(await count(metrics, 'success'), 1);
    assert.equal(manager.queue.retries('team-a/s'), 0);
    assert.equal((await metrics.reconcileErrors.get()).values[0]?.value, 3);
  });

  it('drops a terminal error after counting it', async () => {
    const { manager, clock, metrics } = managerWith(async () => {
      throw new TerminalError('cannot ever work');
    });
    manager.queue.add('team-a/s');
    await manager.processNextWorkItem();
    clock.advance(600_000);
    assert.equal(manager.queue.length, 0);
    assert.equal(await count(metrics, 'terminal_error'), 1);
  });

  it('with leader election, reconciles and writes nothing until the lease is confirmed (the fence)', async () => {
    // The elector never ran: no renewal, so the lease is not this replica's to act on.
    const { manager, clock, metrics, calls } = managerWith(async () => ({}), { leaderElection: { namespace: 'team-a', retryPeriodMs: 500 } });
    assert.equal(manager.holdsLease(), false);
    manager.queue.add('team-a/s');
    assert.equal(await manager.processNextWorkItem(), true);
    assert.deepEqual(calls, []);
    assert.equal((await metrics.fenced.get()).values[0]?.value, 1);
    assert.equal(manager.queue.length, 0);
    clock.advance(500);
    assert.equal(manager.queue.length, 1, 'looked at again after the retry period');
    await assert.rejects(manager.api.createJob({ metadata: { name: 'j', namespace: 'team-a' } }), /lease is not confirmed/);
    assert.equal(manager.api.requests.size, 0, 'no request was made');
  });

  it('stops handing out work once shut down, and is not ready meanwhile', async () => {
    const { manager, calls } = managerWith(async () => ({}));
    manager.queue.add('team-a/s');
    const stopped = await manager.shutdown();
    assert.deepEqual(stopped, { code: 0, reason: 'shutdown' });
    assert.equal(await manager.processNextWorkItem(), false);
    assert.deepEqual(calls, []);
    assert.equal(manager.readiness().ok, false);
  });
});

describe('studyKeyOf', () => {
  it('follows a Job\'s controller ownerReference to its study', () => {
    const job = {
      metadata: {
        namespace: 'ns', name: 'j', labels: { 'kubetune.io/study': 'from-label' },
        ownerReferences: [{ apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy', name: 'owner', uid: 'u', controller: true }],
      },
    };
    assert.equal(studyKeyOf(job), 'ns/owner');
  });

  it('reads a pod\'s study from its label (its controller is the Job)', () => {
    const pod = {
      metadata: {
        namespace: 'ns', name: 'p', labels: { 'kubetune.io/study': 'mine' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'mine-t0', uid: 'u', controller: true }],
      },
    };
    assert.equal(studyKeyOf(pod), 'ns/mine');
  });

  it('ignores objects that belong to no study', () => {
    assert.equal(studyKeyOf({ metadata: { namespace: 'ns', name: 'x' } }), undefined);
  });
});

describe('kubetune operator --namespace', () => {
  it('takes repeated and comma-separated names, or the environment, and rejects non-names', () => {
    assert.deepEqual(watchedNamespaces(['a', 'b,c', 'a']), ['a', 'b', 'c']);
    assert.deepEqual(watchedNamespaces(undefined, { KUBETUNE_WATCH_NAMESPACES: 'x, y' }), ['x', 'y']);
    assert.deepEqual(watchedNamespaces(undefined, {}), []);
    assert.throws(() => watchedNamespaces(['Bad_NS']), /not a namespace name/);
  });
});
