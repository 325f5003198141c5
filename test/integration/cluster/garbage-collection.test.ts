// Garbage collection through ownerReferences, as the operator uses it: a trial Job owned by a
// custom resource goes away when the resource is deleted, and the Job's pods — real local
// processes — are stopped and removed with it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { clusterOrSkip, testNamespace, waitFor, type Obj } from '../../cluster/testing.js';

// Per process, so a cluster reused across runs (up.sh) never meets a CRD left by an earlier one.
const GROUP = `gc-${process.pid.toString(36)}.kubetune-test.dev`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('deleting a Job\'s owner garbage-collects the Job and stops its pods', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const rest = c.rest();
  t.after(async () => {
    await rest.delete(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/studies.${GROUP}`).catch(() => undefined);
    rest.close();
  });
  const ns = await testNamespace(t, c, 'gc');
  await rest.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `studies.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural: 'studies', singular: 'study', kind: 'Study' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  const owner = await waitFor('Study created', async () => {
    try {
      return await rest.create(`/apis/${GROUP}/v1/namespaces/${ns}/studies`, { apiVersion: `${GROUP}/v1`, kind: 'Study', metadata: { name: 'owner' } });
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined; // discovery not there yet
      throw e;
    }
  });

  const pids = mkdtempSync('/dev/shm/kubetune-gc-');
  t.after(() => rmSync(pids, { recursive: true, force: true }));
  await rest.create(`/apis/batch/v1/namespaces/${ns}/jobs`, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'owner-trial-0',
      ownerReferences: [{ apiVersion: `${GROUP}/v1`, kind: 'Study', name: 'owner', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      parallelism: 2,
      completions: 2,
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          volumes: [{ name: 'pids', hostPath: { path: pids } }],
          containers: [{
            name: 'trial',
            image: 'node:20',
            // Records its pid, then runs until stopped. The directory comes through env: the
            // kubelet maps mount paths in env and args, not inside program text.
            command: ['node', '-e', `require('node:fs').writeFileSync(process.env.PIDS_DIR + '/' + process.pid, ''); setInterval(() => {}, 1000)`],
            env: [{ name: 'PIDS_DIR', value: '/pids' }],
            volumeMounts: [{ name: 'pids', mountPath: '/pids' }],
          }],
        },
      },
    },
  });
  await waitFor('both trial pods running', async () => {
    const pods = (await rest.get(`/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3Downer-trial-0`)).items as Obj[];
    const failed = pods.find((p) => p.status?.phase === 'Failed');
    if (failed) throw new Error(`pod ${failed.metadata.name} failed: ${JSON.stringify(failed.status.containerStatuses)}`);
    return pods.length === 2 && pods.every((p) => p.status?.phase === 'Running') && readdirSync(pids).length === 2;
  }, { timeoutMs: 90_000 });
  const running = readdirSync(pids).map(Number);
  assert.ok(running.every(alive));

  await rest.delete(`/apis/${GROUP}/v1/namespaces/${ns}/studies/owner`, { propagationPolicy: 'Background' });

  await waitFor('Job garbage-collected', async () => !(await rest.find(`/apis/batch/v1/namespaces/${ns}/jobs/owner-trial-0`)), { timeoutMs: 90_000 });
  await waitFor('pods garbage-collected', async () => {
    const pods = (await rest.get(`/api/v1/namespaces/${ns}/pods`)).items as Obj[];
    return pods.length === 0;
  }, { timeoutMs: 90_000 });
  // The kubelet stopped the processes before it let the pods go.
  assert.deepEqual(running.filter(alive), []);
  assert.equal(readFileSync(join(pids, String(running[0])), 'utf8'), '');
});
