/** Studies and cluster objects shared by the controller's unit tests. */
import { KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { formatTrialResult, type TrialResult } from '../../../operator/api/trial-contract.js';
import type { ResolvedSpec } from '../../../operator/api/types.js';
import { resolveStudy } from '../../../operator/api/validate.js';
import { renderTrialJob } from '../../../operator/controller/jobs.js';

export function resolved(spec: Record<string, unknown> = {}): ResolvedSpec {
  return resolveStudy({
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name: 'mnist' },
    spec: {
      objective: { metric: 'val_accuracy', goal: 'maximize' },
      parameters: [
        { name: 'lr', type: 'float', min: 0.0001, max: 0.1, log: true },
        { name: 'features', type: 'subset', values: ['a', 'b', 'c'] },
      ],
      budget: { maxTrials: 10, parallelism: 2, trialTimeout: '10m' },
      template: {
        image: 'ghcr.io/acme/train:1',
        command: ['python', 'train.py'],
        env: [{ name: 'EPOCHS', value: '3' }],
        resources: { limits: { 'nvidia.com/gpu': 1 } },
        nodeSelector: { gpu: 'a100' },
      },
      ...spec,
    },
  });
}

export const studyRef = { name: 'mnist', namespace: 'ml', uid: 'uid-1' };

export function trialJob(spec = resolved(), index = 3, params: Record<string, unknown> = { lr: 0.01, features: ['a', 'c'] }): V1Job {
  const job = renderTrialJob(spec, { index, params: params as never, seed: 77 }, studyRef);
  job.metadata!.creationTimestamp = new Date(1_000_000) as never;
  return job;
}

export function trialPod(index: number, phase: string, terminated?: { exitCode: number; reason?: string; result?: TrialResult | string; signal?: number }): V1Pod {
  const pod: V1Pod = {
    metadata: { name: `mnist-t${index}-abc`, uid: `pod-${index}`, labels: { 'kubetune.io/trial': String(index) }, creationTimestamp: new Date(1_000_500) },
    status: { phase, startTime: new Date(1_001_000) },
  };
  if (terminated !== undefined) {
    const message = terminated.result === undefined ? undefined : typeof terminated.result === 'string' ? terminated.result : formatTrialResult(terminated.result);
    pod.status!.containerStatuses = [{
      name: 'trial', image: 'x', imageID: 'x', ready: false, restartCount: 0,
      state: { terminated: {
        exitCode: terminated.exitCode, finishedAt: new Date(1_005_000),
        ...(terminated.reason !== undefined && { reason: terminated.reason }),
        ...(terminated.signal !== undefined && { signal: terminated.signal }),
        ...(message !== undefined && { message }),
      } },
    }];
  }
  return pod;
}

/** A kubeconfig for an apiserver that is not there: nothing listens on port 1, so a request that
 * were sent would fail with ECONNREFUSED. For tests of what happens before anything is sent. */
export function unreachableKubeconfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}
