// The process-kubelet's side of the pod contract, through the real apiserver: the downward API
// and a ConfigMap volume reach the process (with mount paths mapped to host files), restarts
// follow restartPolicy, deletion sends SIGTERM then SIGKILL after the grace period, and
// activeDeadlineSeconds ends the pod as DeadlineExceeded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterOrSkip, nodeScriptPod, recordPods, testNamespace, waitFor, waitForPod, type Obj } from '../../cluster/testing.js';

const finished = (p: Obj) => ['Succeeded', 'Failed'].includes(p.status?.phase);

test('a trial pod gets its parameters file, identity and labels the way a real pod would', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'downward');
  const rest = c.rest();
  t.after(() => rest.close());
  await rest.create(`/api/v1/namespaces/${ns}/configmaps`, {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'trial-7' }, data: { 'params.json': '{"lr":0.01,"layers":3}' },
  });
  const script = `const fs = require('node:fs');
const out = {
  params: JSON.parse(fs.readFileSync(process.env.KUBETUNE_PARAMS_FILE, 'utf8')),
  pod: process.env.POD_NAME, ns: process.env.POD_NAMESPACE, study: process.env.STUDY,
  greeting: process.env.GREETING, labelsFile: fs.readFileSync(process.argv[1] + '/labels', 'utf8'),
  cpus: process.env.CPU_LIMIT,
};
fs.writeFileSync(process.env.KUBETUNE_RESULT_FILE, JSON.stringify(out));`;
  await rest.create(`/api/v1/namespaces/${ns}/pods`, nodeScriptPod('trial-7', script, {
    labels: { 'kubetune.dev/study': 'mnist' },
    spec: {
      volumes: [
        { name: 'params', configMap: { name: 'trial-7' } },
        { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      ],
    },
    container: {
      args: ['/etc/podinfo'], // node -e SCRIPT /etc/podinfo: an arg under a mount is mapped too
      env: [
        { name: 'KUBETUNE_PARAMS_FILE', value: '/etc/kubetune/params.json' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'STUDY', valueFrom: { fieldRef: { fieldPath: "metadata.labels['kubetune.dev/study']" } } },
        { name: 'GREETING', value: 'hello $(POD_NAME)' },
        { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ],
      resources: { limits: { cpu: '1500m' } },
      volumeMounts: [
        { name: 'params', mountPath: '/etc/kubetune', readOnly: true },
        { name: 'podinfo', mountPath: '/etc/podinfo' },
      ],
    },
  }));
  const pod = await waitForPod(rest, ns, 'trial-7', 'finished', finished);
  const term = pod.status.containerStatuses[0].state.terminated;
  assert.equal(pod.status.phase, 'Succeeded', JSON.stringify(term));
  assert.deepEqual(JSON.parse(term.message), {
    params: { lr: 0.01, layers: 3 },
    pod: 'trial-7',
    ns,
    study: 'mnist',
    greeting: 'hello trial-7',
    labelsFile: 'kubetune.dev/study="mnist"',
    cpus: '2', // 1.5 cores, rounded up as the kubelet does
  });
});

test('restartPolicy OnFailure restarts a failed container and counts the restart', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'restart');
  const rest = c.rest();
  t.after(() => rest.close());
  // Fails on the first run, succeeds on the second: the emptyDir outlives the container.
  const script = `const fs = require('node:fs'); const f = process.env.SCRATCH + '/ran';
if (!fs.existsSync(f)) { fs.writeFileSync(f, ''); process.exit(4); }`;
  await rest.create(`/api/v1/namespaces/${ns}/pods`, nodeScriptPod('flaky', script, {
    spec: { restartPolicy: 'OnFailure', volumes: [{ name: 'scratch', emptyDir: {} }] },
    container: { env: [{ name: 'SCRATCH', value: '/scratch' }], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] },
  }));
  const pod = await waitForPod(rest, ns, 'flaky', 'finished', finished);
  const cs = pod.status.containerStatuses[0];
  assert.equal(pod.status.phase, 'Succeeded');
  assert.equal(cs.restartCount, 1);
  assert.equal(cs.lastState.terminated.exitCode, 4);
  assert.equal(cs.state.terminated.exitCode, 0);
});

test('deleting a pod sends SIGTERM, then SIGKILL once the grace period is over', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'deletion');
  const rest = c.rest();
  t.after(() => rest.close());
  const polite = `process.on('SIGTERM', () => { require('node:fs').writeFileSync(process.env.KUBETUNE_RESULT_FILE, 'pruned at step 3'); process.exit(0); });
setInterval(() => {}, 1000); console.log('ready');`;
  const stubborn = `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000); console.log('ready');`;
  await rest.create(`/api/v1/namespaces/${ns}/pods`, nodeScriptPod('polite', polite));
  await rest.create(`/api/v1/namespaces/${ns}/pods`, nodeScriptPod('stubborn', stubborn, { spec: { terminationGracePeriodSeconds: 1 } }));
  for (const name of ['polite', 'stubborn']) {
    await waitForPod(rest, ns, name, 'Running', (p) => p.status?.phase === 'Running');
    // The handler is installed once the process has printed.
    await waitFor(`${name} printed`, async () => (await rest.get<string>(`/api/v1/namespaces/${ns}/pods/${name}/log`)).includes('ready'));
  }
  const recorder = await recordPods(rest, ns);
  await rest.delete(`/api/v1/namespaces/${ns}/pods/polite`);
  await rest.delete(`/api/v1/namespaces/${ns}/pods/stubborn`);
  const deleted = (name: string) => recorder.seen().some((x) => x.metadata.name === name && x.eventType === 'DELETED');
  await waitFor('both pods deleted', () => deleted('polite') && deleted('stubborn'), { timeoutMs: 60_000 });
  const history = await recorder.stop();
  const lastState = (name: string) =>
    history.filter((p) => p.metadata.name === name && p.status?.containerStatuses?.[0]?.state?.terminated).at(-1)!.status.containerStatuses[0].state.terminated;

  const p = lastState('polite');
  assert.equal(p.exitCode, 0);
  assert.equal(p.message, 'pruned at step 3');
  const s = lastState('stubborn');
  assert.equal(s.exitCode, 137);
  assert.equal(s.reason, 'Error'); // killed by the kubelet, not by memory
});

test('activeDeadlineSeconds stops the pod and fails it as DeadlineExceeded', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'deadline');
  const rest = c.rest();
  t.after(() => rest.close());
  const script = `process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);`;
  await rest.create(`/api/v1/namespaces/${ns}/pods`, nodeScriptPod('slow', script, { spec: { activeDeadlineSeconds: 1 } }));
  const pod = await waitForPod(rest, ns, 'slow', 'finished', finished);
  assert.equal(pod.status.phase, 'Failed');
  assert.equal(pod.status.reason, 'DeadlineExceeded');
  assert.ok(pod.status.containerStatuses[0].state.terminated);
});
