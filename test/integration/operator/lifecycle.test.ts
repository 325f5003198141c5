// The ends of a study's life: deleting a study garbage-collects its Jobs (and their pods, and its
// history) through ownerReferences — the kube-controller-manager's garbage collector, not the
// operator; a study that finishes while trials run (here: its timeout) cancels them, records
// them as Cancelled and deletes their Jobs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor, type Obj } from '../../cluster/testing.js';
import {
  finished, historyRecords, kubectl, operatorTestEnv, scriptStudy, startOperator, STUDIES, waitForStudy,
} from './harness.js';

test('deleting a study garbage-collects its Jobs, pods and history; a finished study cancels its running trials', async (t) => {
  const env = await operatorTestEnv(t, 'op-lifecycle');
  if (!env) return;
  const { c, ns, rest, kubeconfig } = env;
  const op = startOperator(t, kubeconfig, ns);
  await op.address();

  const jobsOf = async (study: string) => ((await rest.get(`/apis/batch/v1/namespaces/${ns}/jobs?labelSelector=${encodeURIComponent(`kubetune.io/study=${study}`)}`)).items as Obj[]);
  const podsOf = async (study: string) => ((await rest.get(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`kubetune.io/study=${study}`)}`)).items as Obj[]);

  // Deletion: trials that would run for ten minutes, two at a time (history shards are
  // collected the same way; the cancelled study below shows it).
  const doomed = scriptStudy('doomed', { maxTrials: 4, parallelism: 2, mode: 'sleep' });
  await rest.create(STUDIES(ns), doomed);
  await waitFor('two trial pods of doomed running', async () => ((await podsOf('doomed')).filter((p) => p.status?.phase === 'Running').length === 2 ? true : undefined), { timeoutMs: 60_000 });
  const study = await rest.get(`${STUDIES(ns)}/doomed`);
  for (const j of await jobsOf('doomed')) {
    const ref = (j.metadata.ownerReferences as Obj[])[0]!;
    assert.deepEqual([ref.kind, ref.name, ref.uid, ref.controller, ref.blockOwnerDeletion], ['TuningStudy', 'doomed', study.metadata.uid, true, true]);
  }
  await kubectl(c, ['delete', '-n', ns, 'tuningstudy', 'doomed', '--wait=false']);
  await waitFor('the garbage collector to delete doomed\'s Jobs and pods', async () =>
    ((await jobsOf('doomed')).length === 0 && (await podsOf('doomed')).length === 0 ? true : undefined), { timeoutMs: 90_000 });

  // Cancellation: a study timeout ends the study while its trials still run.
  const timed = scriptStudy('timed', { maxTrials: 6, parallelism: 2, mode: 'sleep', budget: { timeout: '3s' } });
  await rest.create(STUDIES(ns), timed);
  const ended = await waitForStudy(rest, ns, 'timed', 'finished', finished);
  assert.equal(ended.status.reason, 'Timeout');
  const history = await historyRecords(rest, ns, 'timed');
  assert.ok(history.size >= 1 && history.size <= 2, `trials recorded: ${history.size}`);
  for (const r of history.values()) {
    assert.equal(r.state, 'pruned', JSON.stringify(r));
    assert.equal(r.reason, 'Cancelled', JSON.stringify(r));
  }
  await waitFor('the cancelled trials\' Jobs and pods gone', async () =>
    ((await jobsOf('timed')).length === 0 && (await podsOf('timed')).length === 0 ? true : undefined), { timeoutMs: 90_000 });
  const after = await rest.get(`${STUDIES(ns)}/timed`);
  assert.equal(after.status.counts.running + after.status.counts.pending, 0);

  // Its history goes with it when the study is deleted.
  await kubectl(c, ['delete', '-n', ns, 'tuningstudy', 'timed', '--wait=false']);
  await waitFor('timed\'s history shards collected', async () => ((await historyRecords(rest, ns, 'timed')).size === 0 ? true : undefined), { timeoutMs: 90_000 });
});
