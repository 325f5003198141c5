/**
 * The TypeScript types of the API (types.ts) and the schema (schema.ts) must describe the same
 * resource: a study that uses every field, written against the types, passes the schema, and a
 * status written against the types passes it too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TuningStudy, TuningStudyStatus } from '../../../operator/api/types.js';
import { validateStudy } from '../../../operator/api/validate.js';

const full: TuningStudy = {
  apiVersion: 'kubetune.io/v1alpha1',
  kind: 'TuningStudy',
  metadata: { name: 'everything' },
  spec: {
    objective: { metric: 'val_accuracy', goal: 'maximize', targetValue: 0.99, additionalMetrics: ['val_loss'], valueFrom: 'best' },
    parameters: [
      { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd'] },
      { name: 'lr', type: 'float', min: 1e-4, max: 1e-1, log: true },
      { name: 'momentum', type: 'float', min: 0, max: 0.9, step: 0.1, when: { optimizer: 'sgd' } },
      { name: 'layers', type: 'int', min: 1, max: 4 },
      { name: 'features', type: 'subset', values: ['a', 'b', 'c'], minSize: 1, maxSize: 2 },
    ],
    algorithm: { name: 'tpe', seed: 5, settings: { startupTrials: 4 } },
    earlyStopping: { name: 'median', settings: { warmupSteps: 2 } },
    budget: { maxTrials: 20, parallelism: 4, maxFailedTrials: 3, timeout: '2h', trialTimeout: '30m', pendingTimeout: '10m' },
    suspend: false,
    template: {
      image: 'python:3.12',
      command: ['python', 'train.py'],
      args: ['--epochs', '5'],
      workingDir: '.',
      env: [{ name: 'PYTHONUNBUFFERED', value: '1' }],
      resources: { limits: { 'nvidia.com/gpu': 1, memory: '8Gi' }, requests: { cpu: '500m' } },
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      priorityClassName: 'batch-low',
    },
  },
};

const status: TuningStudyStatus = {
  phase: 'Running',
  observedGeneration: 2,
  conditions: [{ type: 'Ready', status: 'False', reason: 'Running', message: '3/20', lastTransitionTime: '2026-01-01T00:00:00.000Z', observedGeneration: 2 }],
  startTime: '2026-01-01T00:00:00.000Z',
  counts: { total: 5, finished: 3, pending: 0, running: 2, succeeded: 2, failed: 1, pruned: 0 },
  bestTrial: { index: 1, value: 0.9, params: { lr: 0.01 }, metrics: { val_accuracy: 0.9 } },
  topTrials: [{ index: 1, state: 'succeeded', value: 0.9, params: { lr: 0.01 } }],
  recentTrials: [{ index: 2, state: 'failed', reason: 'ExitCode' }],
};

describe('API types and schema', () => {
  it('a study using every spec field, typed, passes the schema and every other check', () => {
    assert.deepEqual(validateStudy(full).issues, []);
  });

  it('a status written against the types passes the schema', () => {
    assert.deepEqual(validateStudy({ ...full, status }).issues, []);
  });
});
