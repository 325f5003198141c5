import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClusterApi } from '../../../operator/controller/cluster-api.js';
import { unreachableKubeconfig } from './fixtures.js';

describe('ClusterApi fence', () => {
  const writes: [string, (api: ClusterApi) => Promise<unknown>][] = [
    ['createJob', (api) => api.createJob({ metadata: { name: 'j', namespace: 'ns' } })],
    ['deleteJob', (api) => api.deleteJob('ns', 'j')],
    ['patchStudyStatus', (api) => api.patchStudyStatus('ns', 's', { phase: 'Running' } as never)],
    ['writeHistory', (api) => api.writeHistory({ name: 's', namespace: 'ns', uid: 'u', apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy' }, { index: 0, params: {}, state: 'succeeded', createdAt: 0, finishedAt: 1 })],
    ['event', (api) => api.event({ apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns', uid: 'u' }, 'Normal', 'R', 'm', 'c', new Date(0))],
  ];
  for (const [name, write] of writes) {
    it(`${name}: checked again as the last step before sending, so a lease lost meanwhile stops the request`, async () => {
      let checks = 0;
      // Open when the write is started, shut by the time the request is about to leave.
      const api = new ClusterApi(unreachableKubeconfig(), () => {
        if (++checks > 1) throw new Error('fenced at send time');
      });
      await assert.rejects(write(api), /fenced at send time/);
      assert.equal(checks, 2);
    });
  }

  it('an open fence lets the request go (here: to a port where nothing listens)', async () => {
    const api = new ClusterApi(unreachableKubeconfig(), () => undefined);
    await assert.rejects(api.deleteJob('ns', 'j'), (err: Error) => !/fenced/.test(String(err)));
  });
});
