import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_TRAINER_IMAGE } from '../../../operator/api/schema.js';
import { DEADLINE_GRACE_SECONDS, PARAMS_FILE, TRAINER_CONFIG_FILE } from '../../../operator/controller/jobs.js';
import { resolved, trialJob } from './fixtures.js';

describe('renderTrialJob', () => {
  const job = trialJob();
  const pod = job.spec!.template.spec!;
  const container = pod.containers[0]!;
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));

  it('names the Job after the study and the trial index, owned by the study', () => {
    assert.equal(job.metadata!.name, 'mnist-t3');
    assert.equal(job.metadata!.namespace, 'ml');
    assert.deepEqual(job.metadata!.ownerReferences, [
      { apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy', name: 'mnist', uid: 'uid-1', controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(job.metadata!.labels!['kubetune.io/trial'], '3');
    assert.equal(job.spec!.template.metadata!.labels!['kubetune.io/study'], 'mnist');
  });

  it('adds the study\'s labels and annotations to the Job and its pod, beside its own', () => {
    const spec = resolved({ template: { image: 'x', command: ['x'], labels: { 'kueue.x-k8s.io/queue-name': 'gpu' }, annotations: { note: 'n' } } });
    const labelled = trialJob(spec);
    for (const meta of [labelled.metadata!, labelled.spec!.template.metadata!]) {
      assert.equal(meta.labels!['kueue.x-k8s.io/queue-name'], 'gpu');
      assert.equal(meta.labels!['kubetune.io/trial'], '3');
      assert.equal(meta.annotations!.note, 'n');
      assert.ok(meta.annotations!['kubetune.io/params'] !== undefined);
    }
  });

  it('leaves retries to the engine and backs up the trial timeout with a deadline', () => {
    assert.equal(job.spec!.backoffLimit, 0);
    assert.equal(pod.restartPolicy, 'Never');
    assert.equal(job.spec!.activeDeadlineSeconds, 600 + DEADLINE_GRACE_SECONDS);
  });

  it('passes parameters as data: one variable each and a JSON file from the annotation', () => {
    assert.equal(env.KUBETUNE_PARAM_LR, '0.01');
    assert.equal(env.KUBETUNE_PARAM_FEATURES, '["a","c"]');
    assert.equal(env.KUBETUNE_PARAMS_FILE, PARAMS_FILE);
    assert.equal(env.KUBETUNE_TRIAL_INDEX, '3');
    assert.equal(env.KUBETUNE_SEED, '77');
    assert.equal(env.EPOCHS, '3');
    assert.deepEqual(JSON.parse(job.metadata!.annotations!['kubetune.io/params']!), { lr: 0.01, features: ['a', 'c'] });
    const volume = pod.volumes!.find((v) => v.name === 'kubetune-params')!;
    assert.deepEqual(volume.downwardAPI!.items, [{ path: 'params.json', fieldRef: { fieldPath: "metadata.annotations['kubetune.io/params']" } }]);
    assert.deepEqual(container.command, ['python', 'train.py'], 'the command runs as given: no shell');
  });

  it('meets Pod Security "restricted" and mounts no service-account token', () => {
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.securityContext!.runAsNonRoot, true);
    assert.equal(pod.securityContext!.seccompProfile!.type, 'RuntimeDefault');
    assert.equal(container.securityContext!.allowPrivilegeEscalation, false);
    assert.deepEqual(container.securityContext!.capabilities!.drop, ['ALL']);
    assert.equal(container.securityContext!.readOnlyRootFilesystem, true);
  });

  it('carries GPU requests, node selection and the termination-message path', () => {
    assert.deepEqual(container.resources, { limits: { 'nvidia.com/gpu': '1' } });
    assert.deepEqual(pod.nodeSelector, { gpu: 'a100' });
    assert.equal(container.terminationMessagePath, '/dev/termination-log');
    assert.equal(env.KUBETUNE_RESULT_FILE, '/dev/termination-log');
  });

  it('runs the built-in trainer with its config projected as a file', () => {
    const spec = resolved({ template: undefined, trainer: { config: { dataset: 'iris', epochs: 2 } } });
    const tj = trialJob(spec);
    const c = tj.spec!.template.spec!.containers[0]!;
    assert.equal(c.image, DEFAULT_TRAINER_IMAGE);
    assert.deepEqual(c.args, ['--config', TRAINER_CONFIG_FILE, '--objective', 'val_accuracy']);
    assert.deepEqual(JSON.parse(tj.metadata!.annotations!['kubetune.io/trainer-config']!), { dataset: 'iris', epochs: 2 });
    const items = tj.spec!.template.spec!.volumes!.find((v) => v.name === 'kubetune-params')!.downwardAPI!.items!;
    assert.ok(items.some((i) => i.path === 'trainer-config.json'));
  });

  it('sets no deadline when the study has no trial timeout', () => {
    const spec = resolved({ budget: { maxTrials: 3 } });
    assert.equal(trialJob(spec).spec!.activeDeadlineSeconds, undefined);
  });
});
