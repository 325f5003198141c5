/**
 * `kubetune get <study>`'s detail view: the algorithm line says which sampler `auto` runs on the
 * study and why, as `validate` and `run` do locally.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { TuningStudy } from '../../../operator/api/types.js';
import { studyDetail } from '../../../operator/cli/views/cluster.js';

function study(spec: Record<string, unknown>): TuningStudy {
  return {
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name: 'bowl', namespace: 'ml' },
    spec: {
      objective: { metric: 'loss', goal: 'minimize' },
      parameters: [{ name: 'x', type: 'float', min: 0, max: 1 }, { name: 'y', type: 'float', min: 0, max: 1 }],
      budget: { maxTrials: 40, parallelism: 2 },
      template: { image: 'busybox', command: ['sh', '-c', 'echo loss=1'] },
      ...spec,
    },
  } as unknown as TuningStudy;
}

const algorithmLine = (text: string) => text.split('\n').find((l) => /^\s*algorithm\b/.test(l)) ?? '';

describe('cluster study detail', () => {
  it('names the sampler auto chose, and why', () => {
    const line = algorithmLine(studyDetail(study({ algorithm: { name: 'auto', seed: 3 } }), Date.now()));
    assert.match(line, /auto → gp \(2 unconditional parameters and a budget of 40 trials\), seed 3/);
  });

  it('shows any other algorithm by name', () => {
    assert.match(algorithmLine(studyDetail(study({ algorithm: { name: 'tpe', seed: 1 } }), Date.now())), /algorithm:\s+tpe, seed 1$/);
  });

  it('falls back to the bare name when the spec does not resolve', () => {
    const line = algorithmLine(studyDetail(study({ algorithm: { name: 'auto' }, parameters: [] }), Date.now()));
    assert.match(line, /algorithm:\s+auto$/);
  });
});
