import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveStudy } from '../../../operator/api/validate.js';
import { detectGpus, GpuPool, gpuRequest, planGpus } from '../../../operator/local/gpus.js';

const spec = (resources?: Record<string, unknown>) => resolveStudy({
  apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy', metadata: { name: 'g' },
  spec: {
    objective: { metric: 'loss', goal: 'minimize' }, parameters: [{ name: 'x', type: 'float', min: 0, max: 1 }],
    algorithm: { name: 'random' }, template: { command: ['train'], ...(resources ? { resources } : {}) },
  },
});

describe('local GPUs', () => {
  it('reads the per-trial request from limits or requests', () => {
    assert.equal(gpuRequest(spec()), 0);
    assert.equal(gpuRequest(spec({ limits: { 'nvidia.com/gpu': 2 } })), 2);
    assert.equal(gpuRequest(spec({ requests: { 'nvidia.com/gpu': '1' } })), 1);
  });

  it('takes the GPU list from KUBETUNE_LOCAL_GPUS, then CUDA_VISIBLE_DEVICES', () => {
    assert.deepEqual(detectGpus({ KUBETUNE_LOCAL_GPUS: '0, 1,3' }).ids, ['0', '1', '3']);
    assert.deepEqual(detectGpus({ CUDA_VISIBLE_DEVICES: '2,5' }), { ids: ['2', '5'], source: 'CUDA_VISIBLE_DEVICES' });
  });

  it('hands out distinct GPUs and takes them back', () => {
    const pool = new GpuPool(['0', '1', '2'], 1);
    assert.deepEqual([pool.acquire(0), pool.acquire(1), pool.acquire(2), pool.acquire(3)], [['0'], ['1'], ['2'], undefined]);
    pool.release(1);
    assert.deepEqual(pool.acquire(3), ['1']);
    const pairs = new GpuPool(['0', '1', '2'], 2);
    assert.deepEqual([pairs.acquire(0), pairs.acquire(1)], [['0', '1'], undefined]);
  });

  it('runs without assignment, saying so, when fewer GPUs exist than a trial asks for', () => {
    const none = planGpus(spec({ limits: { 'nvidia.com/gpu': 1 } }), { KUBETUNE_LOCAL_GPUS: '' });
    assert.equal(none.pool, undefined);
    assert.match(none.note ?? '', /no GPU was found/);
    assert.deepEqual(planGpus(spec(), { KUBETUNE_LOCAL_GPUS: '0' }), {});
    assert.match(planGpus(spec({ limits: { 'nvidia.com/gpu': 1 } }), { KUBETUNE_LOCAL_GPUS: '0,1' }).note ?? '', /at most 2 trials at a time/);
  });
});
