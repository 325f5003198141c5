import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attemptPaths } from '../../../operator/local/results-format.js';
import { renderTrialEnv } from '../../../operator/local/trial-env.js';
import { algorithmChange, changedSections, fingerprintOf } from '../../../operator/local/fingerprint.js';
import { resolveStudy } from '../../../operator/api/validate.js';

describe('renderTrialEnv', () => {
  const paths = attemptPaths('/r', 3, 2);
  const env = renderTrialEnv(
    { PATH: '/bin', KUBETUNE_PARAM_STALE: 'x', HOME: '/home/u' },
    [{ name: 'EXTRA', value: '1' }],
    { study: 'demo', index: 3, seed: 99, params: { lr: 0.001, 'hidden-units': 64, act: 'relu', bn: true, features: ['a', 'b'] } },
    paths,
  );

  it('hands the trial its identity, its parameters and the contract paths', () => {
    assert.equal(env.KUBETUNE_STUDY, 'demo');
    assert.equal(env.KUBETUNE_TRIAL_INDEX, '3');
    assert.equal(env.KUBETUNE_SEED, '99');
    assert.equal(env.KUBETUNE_PARAM_LR, '0.001');
    assert.equal(env.KUBETUNE_PARAM_HIDDEN_UNITS, '64');
    assert.equal(env.KUBETUNE_PARAM_ACT, 'relu');
    assert.equal(env.KUBETUNE_PARAM_BN, 'true');
    assert.equal(env.KUBETUNE_PARAM_FEATURES, '["a","b"]');
    assert.equal(env.KUBETUNE_PARAMS_FILE, '/r/trials/3/attempt-2/params.json');
    assert.equal(env.KUBETUNE_RESULT_FILE, '/r/trials/3/attempt-2/result.json');
    assert.equal(env.KUBETUNE_OUTPUT_DIR, '/r/trials/3/attempt-2/output');
  });

  it('keeps the runner\'s environment and the template\'s env, but drops stale contract variables', () => {
    assert.equal(env.PATH, '/bin');
    assert.equal(env.EXTRA, '1');
    assert.equal(env.KUBETUNE_PARAM_STALE, undefined);
  });
});

describe('study fingerprint', () => {
  const doc = (spec: Record<string, unknown>) => ({
    apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy', metadata: { name: 'f' },
    spec: { objective: { metric: 'loss', goal: 'minimize' }, parameters: [{ name: 'x', type: 'float', min: 0, max: 1 }], algorithm: { name: 'random' }, template: { command: ['a'] }, ...spec },
  });
  it('ignores the budget and the command, and names the section that changed', () => {
    const base = fingerprintOf(resolveStudy(doc({})));
    assert.deepEqual(changedSections(base, fingerprintOf(resolveStudy(doc({ budget: { maxTrials: 50 }, template: { command: ['b'] } })))), []);
    assert.deepEqual(changedSections(base, fingerprintOf(resolveStudy(doc({ parameters: [{ max: 2, min: 0, type: 'float', name: 'x' }] })))), ['parameters']);
    assert.deepEqual(changedSections(base, fingerprintOf(resolveStudy(doc({ algorithm: { name: 'random', seed: 1 } })))), ['algorithm']);
    assert.deepEqual(changedSections(base, fingerprintOf(resolveStudy(doc({ parameters: [{ type: 'float', name: 'x', max: 1, min: 0 }] })))), [], 'key order does not matter');
  });

  it('says which sampler the recorded trials came from when the name changed, e.g. to a new default', () => {
    const random = fingerprintOf(resolveStudy(doc({})));
    const { algorithm: _, ...specWithoutAlgorithm } = doc({}).spec;
    const byDefault = fingerprintOf(resolveStudy({ ...doc({}), spec: specWithoutAlgorithm }));
    assert.equal(byDefault.algorithm, 'auto');
    assert.deepEqual(changedSections(random, byDefault), ['algorithm']);
    assert.equal(algorithmChange(random, byDefault), 'run with random, now auto');
    assert.equal(algorithmChange(random, fingerprintOf(resolveStudy(doc({ algorithm: { name: 'random', seed: 1 } })))), undefined, 'same sampler, other seed');
    const { algorithm: __, ...older } = random; // results written before the name was recorded
    assert.equal(algorithmChange(older, byDefault), undefined);
  });
});
