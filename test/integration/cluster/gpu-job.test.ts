// GPU-aware scheduling through the real scheduler and Job controller, with trials as real local
// processes: a Job of 4 pods each asking for one `nvidia.com/gpu`, on a node that has 2, never
// has more than 2 pods holding a GPU, and every pod's exit code and termination message come
// back in its status.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { clusterOrSkip, recordPods, testNamespace, waitFor, type Obj } from '../../cluster/testing.js';

// Pods start in pairs and wait for each other through a shared hostPath directory, so the test
// knows for certain that two ran at once, without timing anything: a pod writes its marker and
// waits until the marker count reaches the next even number. If the scheduler let only one pod
// run, the pair would never complete; if it let three, the watch below would see it.
const PAIRED_TRIAL = `
const fs = require('node:fs');
const dir = process.env.BARRIER_DIR;
fs.writeFileSync(dir + '/' + process.env.POD_NAME, '');
const mine = fs.readdirSync(dir).length;
const target = mine % 2 === 0 ? mine : mine + 1;
const poll = setInterval(() => {
  const seen = fs.readdirSync(dir).length;
  if (seen < target) return;
  clearInterval(poll);
  const result = { index: Number(process.env.JOB_COMPLETION_INDEX), pod: process.env.POD_NAME, seen };
  fs.writeFileSync(process.env.KUBETUNE_RESULT_FILE, JSON.stringify(result));
  console.log('trial done', JSON.stringify(result));
}, 50);
`;

test('a Job asking for 1 GPU per pod with parallelism 4 runs at most 2 pods at once on a 2-GPU node', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'gpu-job');
  const rest = c.rest();
  t.after(() => rest.close());
  // A node of our own, tainted so that nothing from other tests lands on it.
  const nodeName = `gpu2-${process.pid.toString(36)}`;
  const kubelet = await c.startKubelet([{
    name: nodeName,
    gpus: 2,
    labels: { 'kubetune.dev/test-node': nodeName },
    taints: [{ key: 'kubetune.dev/test-node', value: nodeName, effect: 'NoSchedule' }],
  }]);
  t.after(() => kubelet.stop());
  const barrier = mkdtempSync('/dev/shm/kubetune-barrier-');
  t.after(() => rmSync(barrier, { recursive: true, force: true }));

  const recorder = await recordPods(rest, ns);
  await rest.create(`/apis/batch/v1/namespaces/${ns}/jobs`, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'trials' },
    spec: {
      completions: 4,
      parallelism: 4,
      completionMode: 'Indexed',
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          nodeSelector: { 'kubetune.dev/test-node': nodeName },
          tolerations: [{ key: 'kubetune.dev/test-node', operator: 'Equal', value: nodeName, effect: 'NoSchedule' }],
          volumes: [{ name: 'barrier', hostPath: { path: barrier, type: 'Directory' } }],
          containers: [{
            name: 'trial',
            image: 'node:20',
            command: ['node', '-e', PAIRED_TRIAL],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'BARRIER_DIR', value: '/barrier' }, // mapped to the hostPath by the kubelet
            ],
            volumeMounts: [{ name: 'barrier', mountPath: '/barrier' }],
            resources: { limits: { 'nvidia.com/gpu': 1 } },
          }],
        },
      },
    },
  });

  const job = await waitFor('Job trials complete', async () => {
    const j = await rest.get(`/apis/batch/v1/namespaces/${ns}/jobs/trials`);
    const conds = (j.status?.conditions ?? []) as Obj[];
    if (conds.some((x) => x.type === 'Failed' && x.status === 'True')) throw new Error(`Job failed: ${JSON.stringify(conds)}`);
    return conds.some((x) => x.type === 'Complete' && x.status === 'True') ? j : undefined;
  }, { timeoutMs: 180_000, intervalMs: 250 });
  // The Job's status can be read before the watch has delivered the pods' last updates.
  await waitFor('the watch saw every pod succeed', () => new Set(recorder.seen().filter((p) => p.status?.phase === 'Succeeded').map((p) => p.metadata.name)).size === 4);
  const history = await recorder.stop();
  assert.equal(job.status.succeeded, 4);

  // Replay the watch: at no point were more than 2 pods bound and not yet finished.
  const latest = new Map<string, Obj>();
  let maxHoldingGpu = 0;
  let sawUnschedulable = false;
  for (const p of history) {
    latest.set(p.metadata.name, p);
    const holding = [...latest.values()].filter(
      (x) => x.eventType !== 'DELETED' && x.spec.nodeName && !['Succeeded', 'Failed'].includes(x.status?.phase),
    );
    maxHoldingGpu = Math.max(maxHoldingGpu, holding.length);
    sawUnschedulable ||= ((p.status?.conditions ?? []) as Obj[]).some((x) => x.type === 'PodScheduled' && x.reason === 'Unschedulable');
  }
  assert.ok(maxHoldingGpu <= 2, `at one point ${maxHoldingGpu} pods held a GPU on a 2-GPU node`);
  t.diagnostic(`most pods holding a GPU at once: ${maxHoldingGpu}; a pod was reported Unschedulable: ${sawUnschedulable}`);

  // Every pod ran a real process, which met its pair partner, and its result came back.
  assert.equal(readdirSync(barrier).length, 4);
  const pods = (await rest.get(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent('job-name=trials')}`)).items as Obj[];
  assert.equal(pods.length, 4);
  const indexes = new Set<number>();
  for (const pod of pods) {
    assert.equal(pod.spec.nodeName, nodeName);
    assert.equal(pod.status.phase, 'Succeeded');
    const term = pod.status.containerStatuses[0].state.terminated;
    assert.equal(term.exitCode, 0);
    assert.equal(term.reason, 'Completed');
    const result = JSON.parse(term.message) as { index: number; pod: string; seen: number };
    assert.equal(result.pod, pod.metadata.name);
    assert.equal(String(result.index), pod.metadata.annotations['batch.kubernetes.io/job-completion-index']);
    assert.ok(result.seen % 2 === 0 && result.seen >= 2, `pod ${result.pod} saw ${result.seen} markers`);
    indexes.add(result.index);
  }
  assert.deepEqual([...indexes].sort(), [0, 1, 2, 3]);
});

test('a failing process\'s exit code and message come back in pod status; exit 137 reads as OOMKilled', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'exit-codes');
  const rest = c.rest();
  t.after(() => rest.close());
  const pod = (name: string, script: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'node:20', command: ['node', '-e', script] }] },
  });
  await rest.create(`/api/v1/namespaces/${ns}/pods`, pod('fails',
    `require('node:fs').writeFileSync(process.env.KUBETUNE_RESULT_FILE, '{"error":"diverged"}'); process.exit(3)`));
  await rest.create(`/api/v1/namespaces/${ns}/pods`, pod('oom', `process.kill(process.pid, 'SIGKILL')`));
  await rest.create(`/api/v1/namespaces/${ns}/pods`, {
    ...pod('fallback', `console.log('last words'); process.exit(2)`),
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'node:20', command: ['node', '-e', `console.log('last words'); process.exit(2)`], terminationMessagePolicy: 'FallbackToLogsOnError' }] },
  });

  const terminated = async (name: string) => {
    const p = await waitFor(`pod ${name} finished`, async () => {
      const got = await rest.get(`/api/v1/namespaces/${ns}/pods/${name}`);
      return ['Succeeded', 'Failed'].includes(got.status?.phase) ? got : undefined;
    }, { timeoutMs: 90_000 });
    assert.equal(p.status.phase, 'Failed');
    return p.status.containerStatuses[0].state.terminated as Obj;
  };
  const fails = await terminated('fails');
  assert.equal(fails.exitCode, 3);
  assert.equal(fails.reason, 'Error');
  assert.equal(fails.message, '{"error":"diverged"}');
  const oom = await terminated('oom');
  assert.equal(oom.exitCode, 137);
  assert.equal(oom.reason, 'OOMKilled');
  const fallback = await terminated('fallback');
  assert.equal(fallback.exitCode, 2);
  assert.equal(fallback.message, 'last words');
});
