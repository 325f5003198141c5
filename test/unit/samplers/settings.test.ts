// Every sampler reads its settings through one SettingsReader (operator/samplers/settings.ts):
// unknown and ill-typed fields are SpecError issues naming the field and quoting the value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpecError } from '../../../operator/api/issues.js';
import { createSampler, samplerNames } from '../../../operator/samplers/registry.js';
import { SettingsReader } from '../../../operator/samplers/settings.js';

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return err.issues;
    throw err;
  }
  assert.fail('expected a SpecError');
}

describe('sampler settings', () => {
  for (const name of samplerNames()) {
    it(`${name} refuses a setting it does not have, at its path`, () => {
      const [issue] = issuesOf(() => createSampler(name, { popSize: 4 }));
      assert.equal(issue?.code, 'unknown_setting');
      assert.equal(issue?.path, '/algorithm/settings/popSize');
      assert.match(issue?.message ?? '', new RegExp(`^${name} has no setting "popSize"`));
    });
  }

  it('reports every bad field at once, quoting the value', () => {
    const issues = issuesOf(() => createSampler('tpe', { startupTrials: -1, multivariate: 'yes', gammaFraction: 0, preset: 'fast' }));
    assert.deepEqual(issues.map((i) => i.path), ['/algorithm/settings/preset', '/algorithm/settings/startupTrials', '/algorithm/settings/multivariate', '/algorithm/settings/gammaFraction']);
    assert.match(issues[1]!.message, /startupTrials must be an integer >= 0, got -1/);
    assert.match(issues[2]!.message, /multivariate must be true or false, got "yes"/);
    assert.match(issues[3]!.message, /gammaFraction must be a number in \(0, 1\], got 0/);
  });

  it('checks rules across fields and still takes the good ones', () => {
    assert.equal(issuesOf(() => createSampler('tpe', { multivariate: false, group: true }))[0]?.message, 'group needs multivariate: true');
    const r = new SettingsReader('x', { a: 2, b: true, c: 'none' });
    assert.deepEqual([r.number('a', 0, Infinity, { integer: true }), r.boolean('b'), r.choice('c', ['none', 'some'] as const), r.boolean('d')], [2, true, 'none', undefined]);
    r.done();
  });
});
