// Cluster warm start (`algorithm.warmStart.study`, operator/controller/warm-start.ts) on the real
// control plane: a study naming an unfinished source waits in Pending; once the source completes,
// its succeeded trials are snapshotted into a ConfigMap the study owns and given to the sampler —
// the trials launched are exactly those the pure engine plans with that warm start — and deleting
// the source afterwards changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveStudy } from '../../../operator/api/validate.js';
import { compileStudy } from '../../../operator/engine/compile.js';
import { decide } from '../../../operator/engine/decide.js';
import { waitFor, type Obj } from '../../cluster/testing.js';
import {
  finished, historyRecords, operatorTestEnv, scriptStudy, startOperator, STUDIES, waitForStudy,
} from './harness.js';

test('a study warm-started from another waits for it, snapshots its trials and samples from them', async (t) => {
  const env = await operatorTestEnv(t, 'op-warm');
  if (!env) return;
  const { ns, rest, kubeconfig } = env;
  startOperator(t, kubeconfig, ns);

  // The follower first, with its source not yet created: it must wait, not start cold.
  const follower = scriptStudy('follower', { maxTrials: 4, parallelism: 2, seed: 7 });
  follower.spec.algorithm.warmStart = { study: 'source' };
  await rest.create(STUDIES(ns), follower);
  const waiting = await waitForStudy(rest, ns, 'follower', 'waiting for its source', (s) => s.status?.reason === 'WaitingForWarmStart');
  assert.equal(waiting.status.phase, 'Pending');
  assert.match((waiting.status.conditions as Obj[]).find((x) => x.type === 'Ready')?.message ?? '', /TuningStudy source .*does not exist/);

  await rest.create(STUDIES(ns), scriptStudy('source', { maxTrials: 5, parallelism: 5, seed: 3 }));
  const source = await waitForStudy(rest, ns, 'source', 'finished', finished);
  assert.equal(source.status.counts.succeeded, 5, JSON.stringify(source.status));
  const sourceHistory = await historyRecords(rest, ns, 'source');

  const done = await waitForStudy(rest, ns, 'follower', 'finished', finished);
  assert.equal(done.status.phase, 'Completed', JSON.stringify(done.status));
  assert.equal(done.status.counts.succeeded, 4, 'warm trials count in no budget: the follower ran its own 4');

  const snapshot = await rest.get(`/api/v1/namespaces/${ns}/configmaps/follower-warm-start`);
  assert.equal(snapshot.metadata.ownerReferences[0].uid, done.metadata.uid);
  const body = JSON.parse(snapshot.data.warmStart);
  assert.equal(body.source.name, 'source');
  assert.deepEqual(
    body.trials.map((tr: [Obj, number]) => tr[1]),
    [...sourceHistory.values()].sort((a, b) => a.index - b.index).map((r) => r.value),
    'the snapshot holds every succeeded source trial, by index',
  );

  // The trials the follower ran are those the pure engine plans with the snapshot as warm start,
  // and not those of the same spec started cold (its random sampler is asked for index w + i).
  const spec = resolveStudy(done);
  const warm = body.trials.map(([params, value]: [Obj, number]) => ({ params, value }));
  const plannedWarm = decide(compileStudy(spec, { warmStart: warm }), { trials: [], startedAt: 0 }, 0).launch;
  const plannedCold = decide(compileStudy(spec), { trials: [], startedAt: 0 }, 0).launch;
  const ran = await historyRecords(rest, ns, 'follower');
  assert.ok(plannedWarm.length >= 1);
  for (const plan of plannedWarm) assert.deepEqual(ran.get(plan.index)?.params, plan.params, `trial ${plan.index}`);
  assert.notDeepEqual(ran.get(0)?.params, plannedCold[0]?.params);

  // The snapshot is owned by the follower, not the source: once the source and (through garbage
  // collection) its history are gone, the snapshot is still there.
  await rest.delete(`${STUDIES(ns)}/source`);
  await waitFor('the source\'s history garbage-collected', async () => ((await historyRecords(rest, ns, 'source')).size === 0 ? true : undefined), { timeoutMs: 60_000 });
  assert.ok(await rest.find(`/api/v1/namespaces/${ns}/configmaps/follower-warm-start`), 'the snapshot stays with its study');
});
