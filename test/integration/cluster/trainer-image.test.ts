// The trainer image runs the repository's own trainer (trainer/main.ts) on the process-kubelet:
// parameters arrive as a ConfigMap-mounted JSON file and env, as the operator will send them;
// the metric lines come back through `pods/log` and the result through the termination message,
// both read with the trial contract's own parsers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENV, paramEnvName, parseMetricLine, parseTrialResult, type MetricReport } from '../../../operator/api/trial-contract.js';
import { clusterOrSkip, testNamespace, waitFor, waitForPod } from '../../cluster/testing.js';

test('a trial Job on the trainer image runs the repository trainer and reports through the pod', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'trainer');
  const rest = c.rest();
  t.after(() => rest.close());
  await rest.create(`/api/v1/namespaces/${ns}/configmaps`, {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'iris-trial-0' }, data: { 'params.json': JSON.stringify({ epochs: 3 }) },
  });
  await rest.create(`/apis/batch/v1/namespaces/${ns}/jobs`, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'iris-trial-0' },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { trial: 'iris-0' } },
        spec: {
          restartPolicy: 'Never',
          volumes: [{ name: 'params', configMap: { name: 'iris-trial-0' } }],
          containers: [{
            name: 'trainer',
            image: 'ghcr.io/kubetune/trainer:0.1.0',
            args: ['--dataset', 'iris'],
            env: [
              { name: ENV.paramsFile, value: '/etc/kubetune/params.json' },
              { name: ENV.study, value: 'iris' },
              { name: ENV.trialIndex, value: '0' },
              { name: ENV.seed, value: '7' },
              { name: paramEnvName('learning_rate'), value: '0.05' },
            ],
            volumeMounts: [{ name: 'params', mountPath: '/etc/kubetune', readOnly: true }],
          }],
        },
      },
    },
  });
  const name = await waitFor('the Job\'s pod', async () => {
    const pods = await rest.get(`/api/v1/namespaces/${ns}/pods?labelSelector=trial%3Diris-0`);
    return pods.items[0]?.metadata.name as string | undefined;
  });
  const pod = await waitForPod(rest, ns, name, 'finished', (p) => ['Succeeded', 'Failed'].includes(p.status?.phase), 180_000);
  const term = pod.status.containerStatuses[0].state.terminated;
  const log = await rest.get<string>(`/api/v1/namespaces/${ns}/pods/${name}/log`);
  assert.equal(pod.status.phase, 'Succeeded', `${JSON.stringify(term)}\n${log.slice(-2000)}`);
  assert.equal(term.exitCode, 0);

  const result = parseTrialResult(term.message);
  assert.equal(result.status, 'succeeded');
  const reports = log.split('\n').map(parseMetricLine).filter((r): r is MetricReport => r !== undefined);
  assert.deepEqual(reports.map((r) => r.step), [1, 2, 3]); // epochs: 3 came from the ConfigMap file
  assert.equal(result.metrics.val_loss, reports.at(-1)!.values.val_loss);
});
