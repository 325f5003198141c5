// The operator as a process under its least-privilege ServiceAccount: a study of instant trials
// runs to Completed with every trial recorded once; the endpoints answer; SIGTERM drains and
// exits 0, releasing the Lease.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor, type Obj } from '../../cluster/testing.js';
import {
  finished, historyRecords, httpGet, operatorTestEnv, scriptStudy, startOperator, STUDIES, waitForStudy,
} from './harness.js';

test('the operator runs a study of instant trials to Completed under its own ServiceAccount, serves probes and metrics, and drains on SIGTERM', async (t) => {
  const env = await operatorTestEnv(t, 'op-basics');
  if (!env) return;
  const { ns, rest, kubeconfig } = env;
  const op = startOperator(t, kubeconfig, ns);
  const address = await op.address();

  await rest.create(STUDIES(ns), scriptStudy('instant', { maxTrials: 6, parallelism: 3 }));
  const study = await waitForStudy(rest, ns, 'instant', 'finished', finished);
  assert.equal(study.status.phase, 'Completed', JSON.stringify(study.status));
  assert.equal(study.status.reason, 'MaxTrials');
  assert.equal(study.status.counts.succeeded, 6, JSON.stringify(study.status, null, 1));
  assert.ok(study.status.bestTrial !== undefined && typeof study.status.bestTrial.value === 'number');
  const ready = (study.status.conditions as Obj[]).find((x) => x.type === 'Ready');
  assert.equal(ready?.status, 'True');
  assert.equal(study.status.sampler, 'random');

  const history = await historyRecords(rest, ns, 'instant');
  assert.deepEqual([...history.keys()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
  for (const r of history.values()) assert.equal(r.state, 'succeeded');

  // Jobs are deleted once their trial is recorded.
  const jobs = (await rest.get(`/apis/batch/v1/namespaces/${ns}/jobs`)).items as Obj[];
  assert.equal(jobs.length, 0, `Jobs left: ${jobs.map((j) => j.metadata.name).join(', ')}`);

  assert.equal((await httpGet(address, '/healthz')).status, 200);
  const readyz = await httpGet(address, '/readyz');
  assert.equal(readyz.status, 200);
  assert.match(readyz.body, /leader/);
  const metrics = (await httpGet(address, '/metrics')).body;
  assert.match(metrics, /kubetune_trials_finished_total\{state="succeeded",reason=""\} 6/);
  assert.match(metrics, /kubetune_reconcile_total\{result="terminal_error"\} 0/);
  assert.match(metrics, /kubetune_leader 1/);
  // No study names or parameters in the metrics: only counts and times by outcome.
  assert.doesNotMatch(metrics, /instant/);

  // Logs are JSON lines with study and trial fields.
  assert.ok(op.logs.some((l) => l.study === 'instant' && typeof l.trial === 'number'), 'a log line names the study and a trial');

  // Without algorithm.name the API server stores the default, auto, and the status names its choice.
  const defaulted = scriptStudy('defaulted', { maxTrials: 2, parallelism: 2 });
  delete ((defaulted.spec as Obj).algorithm as Obj).name;
  await rest.create(STUDIES(ns), defaulted);
  const auto = await waitForStudy(rest, ns, 'defaulted', 'finished', finished);
  assert.equal(auto.spec.algorithm.name, 'auto');
  assert.equal(auto.status.sampler, 'gp', JSON.stringify(auto.status));
  assert.equal(auto.status.counts.succeeded, 2);

  const code = await op.kill('SIGTERM');
  assert.equal(code, 0);
  const lease = await rest.get(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/kubetune-operator`);
  assert.equal(lease.spec.holderIdentity ?? '', '', `the Lease was released on shutdown: ${JSON.stringify(op.logs.slice(-8))}`);
});

test('a standby is Ready without reconciling; a leader that loses its Lease stops and exits 1', async (t) => {
  const env = await operatorTestEnv(t, 'op-lease');
  if (!env) return;
  const { ns, rest, kubeconfig } = env;
  const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/kubetune-operator`;

  const a = startOperator(t, kubeconfig, ns);
  const aAddress = await a.address();
  const leaseOfA = await waitFor('a to hold the Lease', async () => {
    const lease = await rest.find(leasePath);
    return lease?.spec?.holderIdentity ? lease : undefined;
  });
  const b = startOperator(t, kubeconfig, ns);
  const bAddress = await b.address();
  await waitFor('b Ready as a standby', async () => ((await httpGet(bAddress, '/readyz')).body.includes('standby') ? true : undefined));
  assert.match((await httpGet(aAddress, '/readyz')).body, /leader/);
  assert.match((await httpGet(bAddress, '/metrics')).body, /kubetune_leader 0/);

  // Someone else takes the Lease (as a partitioned leader would find on return): a cannot
  // renew, gives up after its renew deadline and exits 1 rather than reconcile without it.
  await rest.mergePatch(leasePath, { spec: { holderIdentity: 'someone-else', leaseDurationSeconds: 3600, renewTime: new Date().toISOString().replace('Z', '000Z') } });
  assert.equal(await a.exited, 1);
  assert.ok(a.logs.some((l) => l.level === 'error' && String(l.message).includes('lost the leader lease')));
  // b keeps waiting: the Lease is someone else's for an hour.
  assert.equal((await httpGet(bAddress, '/readyz')).status, 200);
  assert.match((await httpGet(bAddress, '/metrics')).body, /kubetune_leader 0/);
  t.diagnostic(`a held the Lease as ${leaseOfA.spec.holderIdentity}`);
});
