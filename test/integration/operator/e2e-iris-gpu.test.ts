// End to end: examples/cluster/iris-gpu.yaml, applied with `kubectl apply -f`, trains the real
// built-in trainer (iris, 6 trials, 4 allowed at once, 1 GPU each) on a node with 2 GPUs, run by
// the operator under its least-privilege ServiceAccount. The study completes with its best trial
// filled in, the scheduler never lets more than 2 trials hold a GPU, and `kubectl get
// tuningstudies` shows the printer columns.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { clusterOrSkip, recordPods, testNamespace, type Obj } from '../../cluster/testing.js';
import { applyCrd, finished, historyRecords, kubectl, operatorKubeconfig, ROOT, startOperator, waitForStudy } from './harness.js';

const EXAMPLE = join(ROOT, 'examples/cluster/iris-gpu.yaml');

test('examples/cluster/iris-gpu.yaml completes on a 2-GPU node with at most 2 trials holding a GPU, best trial in status', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'op-e2e');
  const rest = c.rest();
  t.after(() => rest.close());
  await applyCrd(c);

  // A GPU node as GPU nodes usually look: labelled by feature discovery, tainted for GPU work.
  // The taint keeps other tests' pods off it; the example's nodeSelector keeps its trials on it.
  const nodeName = `gpu2-op-${process.pid.toString(36)}`;
  const kubelet = await c.startKubelet([{
    name: nodeName,
    gpus: 2,
    labels: { 'nvidia.com/gpu.present': 'true' },
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
  }]);
  t.after(() => kubelet.stop());

  const kubeconfig = await operatorKubeconfig(t, c, rest, ns);
  const op = startOperator(t, kubeconfig, ns);
  await op.address();

  const recorder = await recordPods(rest, ns);
  const applied = await kubectl(c, ['apply', '-n', ns, '-f', EXAMPLE]);
  assert.match(applied.stdout, /tuningstudy.kubetune.io\/iris-gpu created/);

  const study = await waitForStudy(rest, ns, 'iris-gpu', 'finished', finished, 300_000);
  const seen = await recorder.stop();
  const status = study.status;
  assert.equal(status.phase, 'Completed', JSON.stringify(status, null, 1));
  assert.equal(status.reason, 'MaxTrials');
  assert.equal(status.counts.finished, 6);
  assert.equal(status.counts.succeeded, 6, JSON.stringify(status.recentTrials));

  // The best trial: an index, the parameters it ran with, its objective value and metrics.
  const best = status.bestTrial as Obj;
  assert.ok(Number.isInteger(best.index) && best.index >= 0 && best.index < 6);
  assert.ok(typeof best.value === 'number' && best.value > 0 && best.value <= 1, `val_accuracy ${best.value}`);
  assert.deepEqual(Object.keys(best.params).sort(), ['learning_rate', 'optimizer', 'units']);
  assert.equal(typeof best.metrics?.val_loss, 'number');
  const history = await historyRecords(rest, ns, 'iris-gpu');
  assert.deepEqual([...history.keys()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
  const values = [...history.values()].map((r) => r.value as number);
  assert.equal(best.value, Math.max(...values), 'bestTrial is the best of the history');
  // The learning curve reached history: the trainer's per-epoch metric lines were read.
  assert.ok([...history.values()].every((r) => Array.isArray(r.series) && r.series.length >= 1));

  // Replay the pod watch: never more than 2 trial pods bound and not finished at once, and
  // every trial pod ran on the GPU node, asking for one GPU.
  const latest = new Map<string, Obj>();
  let most = 0;
  for (const p of seen) {
    latest.set(p.metadata.name, p);
    const holding = [...latest.values()].filter((x) => x.eventType !== 'DELETED' && x.spec.nodeName && !['Succeeded', 'Failed'].includes(x.status?.phase));
    most = Math.max(most, holding.length);
  }
  const pods = [...latest.values()];
  assert.ok(most <= 2, `at one point ${most} trial pods held a GPU on a 2-GPU node`);
  assert.ok(most >= 1);
  assert.equal(new Set(pods.map((p) => p.metadata.labels['kubetune.io/trial'])).size, 6, 'one pod per trial');
  for (const p of pods) {
    if (p.spec.nodeName) assert.equal(p.spec.nodeName, nodeName);
    assert.equal(p.spec.containers[0].resources.limits['nvidia.com/gpu'], '1');
  }
  t.diagnostic(`most trial pods holding a GPU at once: ${most}; best val_accuracy ${best.value} (trial ${best.index})`);

  const table = (await kubectl(c, ['get', 'tuningstudies', '-n', ns])).stdout;
  t.diagnostic(`kubectl get tuningstudies:\n${table}`);
  const [header, row] = table.trim().split('\n');
  assert.deepEqual(header?.split(/\s+/), ['NAME', 'PHASE', 'DONE', 'MAX', 'BEST', 'AGE']);
  const cells = row?.split(/\s+/) ?? [];
  assert.deepEqual(cells.slice(0, 4), ['iris-gpu', 'Completed', '6', '6']);
  assert.equal(Number(cells[4]), best.value);
  // The short name works too.
  assert.match((await kubectl(c, ['get', 'ts', '-n', ns, '-o', 'name'])).stdout, /tuningstudy.kubetune.io\/iris-gpu/);
});
