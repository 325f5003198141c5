import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseDuration } from '../../../operator/api/duration.js';
import type { Issue } from '../../../operator/api/issues.js';
import { resolveStudy, validateStudy } from '../../../operator/api/validate.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function study(spec: Record<string, unknown>, name = 'unit'): Record<string, unknown> {
  return {
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name },
    spec: {
      objective: { metric: 'loss', goal: 'minimize' },
      parameters: [{ name: 'lr', type: 'float', min: 1e-4, max: 1e-1, log: true }],
      algorithm: { name: 'random' },
      template: { command: ['python', 'train.py'] },
      ...spec,
    },
  };
}

function issuesOf(doc: unknown): Issue[] {
  return validateStudy(doc).issues;
}

function find(issues: Issue[], path: string): Issue {
  const issue = issues.find((i) => i.path === path);
  assert.ok(issue, `an issue at ${path}; got ${JSON.stringify(issues.map((i) => i.path))}`);
  return issue;
}

describe('validateStudy', () => {
  it('accepts a minimal study and fills in every default in one place', () => {
    const spec = resolveStudy(study({}));
    assert.equal(spec.name, 'unit');
    assert.deepEqual(spec.budget, { maxTrials: 10, parallelism: 1 });
    assert.equal(spec.objective.valueFrom, 'last');
    assert.deepEqual(spec.algorithm, { name: 'random', seed: 0, settings: {} });
    assert.deepEqual(spec.earlyStopping, { name: 'none', settings: {} });
    assert.equal(spec.suspend, false);
    assert.equal(spec.workload.kind, 'template');
  });

  it('does not change the document it is given', () => {
    const doc = study({});
    const copy = structuredClone(doc);
    validateStudy(doc);
    assert.deepEqual(doc, copy);
  });

  it('parses budget durations into milliseconds', () => {
    const spec = resolveStudy(study({ budget: { maxTrials: 5, timeout: '1h30m', trialTimeout: '90s', pendingTimeout: '250ms' } }));
    assert.deepEqual(spec.budget, { maxTrials: 5, parallelism: 1, timeoutMs: 5_400_000, trialTimeoutMs: 90_000, pendingTimeoutMs: 250 });
    assert.equal(parseDuration('5 min'), undefined);
  });

  it('gives the built-in trainer its default image', () => {
    const { study: doc, issues } = validateStudy(study({ template: undefined, trainer: { config: { dataset: 'iris' } } }));
    assert.deepEqual(issues, []);
    assert.match(String((doc.spec as { trainer: { image: string } }).trainer.image), /trainer/);
  });

  it('reports every problem of a bad study at once, each at its JSON pointer', () => {
    const issues = issuesOf(study({
      objective: { metric: 'loss', goal: 'minimise' },
      parameters: [
        { name: 'lr', type: 'float', min: 0, max: 1, log: true },
        { name: 'units', type: 'int', min: 64, max: 8 },
        { name: 'act', type: 'categorical', values: [] },
        { name: 'lr', type: 'float', min: 0, max: 1 },
      ],
      budget: { maxTrials: 2, parallelism: 5, timeout: 'soon' },
    }));
    assert.match(find(issues, '/spec/objective/goal').message, /goal must be one of "maximize", "minimize"/);
    assert.equal(find(issues, '/spec/objective/goal').hint, 'did you mean "minimize"?');
    assert.match(find(issues, '/spec/parameters/0/min').message, /lr.*log-scale parameter needs min > 0/);
    assert.match(find(issues, '/spec/parameters/1/max').message, /units.*min \(64\) must be less than max \(8\)/);
    assert.ok(issues.some((i) => i.path.startsWith('/spec/parameters/2/values')));
    assert.match(find(issues, '/spec/parameters/3/name').message, /defined twice/);
    assert.match(find(issues, '/spec/budget/parallelism').message, /parallelism \(5\) is larger than maxTrials \(2\)/);
    assert.match(find(issues, '/spec/budget/timeout').hint ?? '', /duration such as 90s/);
  });

  it('names an unknown field and suggests the one that was meant', () => {
    const issue = find(issuesOf(study({ budjet: { maxTrials: 3 } })), '/spec/budjet');
    assert.equal(issue.code, 'unknown_field');
    assert.equal(issue.hint, 'did you mean "budget"?');
  });

  it('requires the top-level fields and a valid name', () => {
    const issues = issuesOf({ apiVersion: 'kubetune.io/v1', kind: 'TuningStudy', metadata: { name: 'My_Study' } });
    assert.match(find(issues, '/apiVersion').message, /must be one of "kubetune.io\/v1alpha1"/);
    assert.match(find(issues, '/spec').message, /spec is required/);
    assert.match(find(issues, '/metadata/name').hint ?? '', /lower-case/);
  });

  it('requires exactly one trial workload', () => {
    assert.match(find(issuesOf(study({ template: undefined })), '/spec').message, /neither trainer nor template/);
    assert.match(find(issuesOf(study({ trainer: { config: {} } })), '/spec').message, /both set/);
  });

  it('checks the cross-field rules the CRD states in CEL', () => {
    assert.match(find(issuesOf(study({ budget: { timeout: '1m', trialTimeout: '2m' } })), '/spec/budget/trialTimeout').message, /longer than the study timeout/);
    assert.match(find(issuesOf(study({ objective: { metric: 'loss', goal: 'minimize', additionalMetrics: ['acc', 'loss'] } })), '/spec/objective/additionalMetrics/1').message, /repeats the objective metric/);
    assert.match(find(issuesOf(study({ template: { command: ['x'], env: [{ name: 'KUBETUNE_PARAM_LR', value: '1' }] } })), '/spec/template/env/0/name').message, /reserved/);
  });

  it('asks the sampler whether it can search the space, and the pruner whether its settings make sense', () => {
    const grid = find(issuesOf(study({ algorithm: { name: 'grid' } })), '/spec/algorithm');
    assert.match(grid.message, /continuous/);
    assert.match(grid.hint ?? '', /step/);
    assert.match(find(issuesOf(study({ algorithm: { name: 'hyperopt' } })), '/spec/algorithm/name').hint ?? '', /random/);
    assert.ok(issuesOf(study({ earlyStopping: { name: 'median', settings: { warmup: 3 } } })).some((i) => i.path === '/spec/earlyStopping/settings/warmup'));
    assert.deepEqual(issuesOf(study({ earlyStopping: { name: 'median', settings: { warmupSteps: 3 } } })), []);
  });

  it('takes trial labels and annotations, refusing malformed keys and the operator\'s own, each named', () => {
    const ok = study({ template: { command: ['x'], labels: { 'kueue.x-k8s.io/queue-name': 'gpu-queue', team: 'vision' }, annotations: { 'sidecar.istio.io/inject': 'false' } } });
    assert.deepEqual(issuesOf(ok), []);
    assert.deepEqual(resolveStudy(ok).workload, { kind: 'template', template: { command: ['x'], labels: { 'kueue.x-k8s.io/queue-name': 'gpu-queue', team: 'vision' }, annotations: { 'sidecar.istio.io/inject': 'false' } } });
    const bad = issuesOf(study({ template: { command: ['x'], labels: { 'kubetune.io/study': 'other', 'app.kubernetes.io/managed-by': 'me', '-bad': 'v', 'Bad_Prefix/x': 'v' }, annotations: { 'x.kubetune.io/params': '{}' } } }));
    assert.deepEqual(bad.map((i) => [i.code, i.path]), [
      ['bad_metadata_key', '/spec/template/labels/kubetune.io~1study'],
      ['bad_metadata_key', '/spec/template/labels/app.kubernetes.io~1managed-by'],
      ['bad_metadata_key', '/spec/template/labels/-bad'],
      ['bad_metadata_key', '/spec/template/labels/Bad_Prefix~1x'],
      ['bad_metadata_key', '/spec/template/annotations/x.kubetune.io~1params'],
    ]);
    assert.match(bad[0]!.message, /set by the operator itself/);
    const badValue = issuesOf(study({ template: { command: ['x'], labels: { team: 'has space' } } }));
    assert.equal(badValue[0]?.path, '/spec/template/labels/team');
  });

  it('accepts every study in examples/', () => {
    const dir = join(ROOT, 'examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const issues = issuesOf(parse(readFileSync(join(dir, file), 'utf8')));
      assert.deepEqual(issues, [], file);
    }
  });
});
