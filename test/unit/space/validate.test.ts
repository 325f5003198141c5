import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { validateSpace } from '../../../operator/space/validate.js';
import { SearchSpace } from '../../../operator/space/space.js';
import { SpecError } from '../../../operator/api/issues.js';

/** The single issue a one-parameter-problem space yields, so each rule is checked in isolation. */
function onlyIssue(parameters: unknown[]) {
  const issues = validateSpace(parameters, '/spec/parameters');
  assert.equal(issues.length, 1, `expected one issue, got ${JSON.stringify(issues, null, 1)}`);
  return issues[0]!;
}

describe('validateSpace', () => {
  it('accepts every parameter kind, with log, step and conditions', () => {
    const issues = validateSpace([
      { name: 'lr', type: 'float', min: 1e-5, max: 0.1, log: true },
      { name: 'dropout', type: 'float', min: 0, max: 0.5, step: 0.1 },
      { name: 'units', type: 'int', min: 8, max: 512, log: true },
      { name: 'layers', type: 'int', min: 1, max: 5, step: 2 },
      { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd'] },
      { name: 'momentum', type: 'float', min: 0, max: 0.99, when: { optimizer: 'sgd' } },
      { name: 'features', type: 'subset', values: ['a', 'b', 'c'], minSize: 1, maxSize: 2 },
      { name: 'bn', type: 'categorical', values: [true, false] },
    ]);
    assert.deepEqual(issues, []);
  });

  it('rejects an empty range and names the parameter and the rule', () => {
    const issue = onlyIssue([{ name: 'lr', type: 'float', min: 1, max: 1 }]);
    assert.equal(issue.code, 'empty_range');
    assert.equal(issue.path, '/spec/parameters/0/max');
    assert.match(issue.message, /parameter "lr": min \(1\) must be less than max \(1\)/);
    assert.ok(issue.hint);
  });

  it('rejects log scale with min <= 0', () => {
    const issue = onlyIssue([{ name: 'lr', type: 'float', min: 0, max: 1, log: true }]);
    assert.equal(issue.code, 'log_nonpositive');
    assert.equal(issue.path, '/spec/parameters/0/min');
    assert.match(issue.message, /"lr".*needs min > 0/);
  });

  it('rejects a step larger than the range', () => {
    const issue = onlyIssue([{ name: 'units', type: 'int', min: 1, max: 4, step: 8 }]);
    assert.equal(issue.code, 'step_too_large');
    assert.equal(issue.path, '/spec/parameters/0/step');
  });

  it('rejects non-positive steps, fractional int bounds and float log with step', () => {
    assert.equal(onlyIssue([{ name: 'x', type: 'float', min: 0, max: 1, step: 0 }]).code, 'step_nonpositive');
    assert.equal(onlyIssue([{ name: 'x', type: 'int', min: 0.5, max: 3 }]).code, 'not_integer');
    assert.equal(onlyIssue([{ name: 'x', type: 'float', min: 1, max: 10, log: true, step: 1 }]).code, 'log_with_step');
    assert.equal(onlyIssue([{ name: 'x', type: 'int', min: 1, max: 100, log: true, step: 3 }]).code, 'log_with_step');
    assert.deepEqual(validateSpace([{ name: 'x', type: 'int', min: 1, max: 100, log: true, step: 1 }]), []);
  });

  it('rejects duplicate names, pointing at the second definition', () => {
    const issue = onlyIssue([
      { name: 'lr', type: 'float', min: 0, max: 1 },
      { name: 'lr', type: 'int', min: 0, max: 1 },
    ]);
    assert.equal(issue.code, 'duplicate_name');
    assert.equal(issue.path, '/spec/parameters/1/name');
  });

  it('rejects names that would collide as environment variables', () => {
    const issue = onlyIssue([
      { name: 'learning-rate', type: 'float', min: 0, max: 1 },
      { name: 'learning_rate', type: 'float', min: 0, max: 1 },
    ]);
    assert.equal(issue.code, 'env_name_collision');
    assert.match(issue.message, /KUBETUNE_PARAM_LEARNING_RATE/);
  });

  it('rejects a condition on an unknown parent', () => {
    const issue = onlyIssue([{ name: 'momentum', type: 'float', min: 0, max: 1, when: { optimizer: 'sgd' } }]);
    assert.equal(issue.code, 'unknown_parent');
    assert.equal(issue.path, '/spec/parameters/0/when/optimizer');
    assert.match(issue.message, /"momentum" depends on "optimizer"/);
  });

  it('rejects cycles, naming their members', () => {
    const issues = validateSpace([
      { name: 'a', type: 'categorical', values: [1, 2], when: { b: 1 } },
      { name: 'b', type: 'categorical', values: [1, 2], when: { a: 1 } },
    ]);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.code, 'cycle');
    assert.match(issues[0]!.message, /"a" -> "b" -> "a"/);
    assert.equal(onlyIssue([{ name: 'a', type: 'categorical', values: [1], when: { a: 1 } }]).code, 'cycle');
  });

  it('rejects conditions that can never hold, or on a continuous parent', () => {
    const impossible = onlyIssue([
      { name: 'opt', type: 'categorical', values: ['adam', 'sgd'] },
      { name: 'm', type: 'float', min: 0, max: 1, when: { opt: 'rmsprop' } },
    ]);
    assert.equal(impossible.code, 'impossible_condition');
    const continuous = onlyIssue([
      { name: 'lr', type: 'float', min: 0, max: 1 },
      { name: 'm', type: 'float', min: 0, max: 1, when: { lr: 0.5 } },
    ]);
    assert.equal(continuous.code, 'bad_parent_type');
  });

  it('rejects empty or repeated categorical values and bad subset sizes', () => {
    assert.equal(onlyIssue([{ name: 'c', type: 'categorical', values: [] }]).code, 'empty_values');
    assert.equal(onlyIssue([{ name: 'c', type: 'categorical', values: ['a', 'a'] }]).code, 'duplicate_value');
    assert.equal(onlyIssue([{ name: 'c', type: 'categorical', values: [{}] }]).code, 'bad_value');
    // 1 and "1" are different values (YAML keeps them apart too).
    assert.deepEqual(validateSpace([{ name: 'c', type: 'categorical', values: [1, '1'] }]), []);
    assert.equal(onlyIssue([{ name: 's', type: 'subset', values: ['a', 'b'], minSize: 3 }]).code, 'bad_size');
    assert.equal(onlyIssue([{ name: 's', type: 'subset', values: ['a', 'b'], minSize: 2, maxSize: 1 }]).code, 'bad_size');
  });

  it('rejects unknown kinds, bad names, and an empty or non-list space', () => {
    assert.equal(onlyIssue([{ name: 'x', type: 'complex', min: 0, max: 1 }]).code, 'bad_type');
    assert.equal(onlyIssue([{ name: '1x', type: 'int', min: 0, max: 1 }]).code, 'bad_name');
    assert.equal(onlyIssue([]).code, 'empty_space');
    assert.equal(validateSpace({ lr: 1 })[0]!.code, 'not_a_list');
  });

  it('reports every issue at once, not only the first', () => {
    const issues = validateSpace([
      { name: 'a', type: 'float', min: 2, max: 1 },
      { name: 'b', type: 'float', min: -1, max: 1, log: true },
      { name: 'c', type: 'categorical', values: [] },
    ]);
    assert.deepEqual(issues.map((i) => i.code), ['empty_range', 'log_nonpositive', 'empty_values']);
  });

  it('SearchSpace.parse throws a SpecError carrying all issues', () => {
    assert.throws(
      () => SearchSpace.parse([{ name: 'a', type: 'float', min: 2, max: 1 }, { name: 'a', type: 'int', min: 0, max: 1 }]),
      (err: unknown) => err instanceof SpecError && err.issues.length === 2 && /\/parameters\/0\/max/.test(err.message),
    );
  });
});
