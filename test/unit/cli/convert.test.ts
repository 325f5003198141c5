/**
 * `kubetune convert katib` as a user meets it: the study on stdout (YAML that `validate`
 * accepts), what could not be carried on stderr with Katib field paths, and the exit codes
 * (0 converted, 1 nothing usable, 2 usage).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { validateStudy } from '../../../operator/api/validate.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'operator/cli/main.ts');

function kubetune(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kubetune convert katib', () => {
  it('prints a valid TuningStudy on stdout and the notes on stderr, exit 0', () => {
    const r = kubetune(['convert', 'katib', 'examples/katib/tpe-experiment.yaml']);
    assert.equal(r.code, 0, r.stderr);
    const study = parse(r.stdout) as { kind: string };
    assert.equal(study.kind, 'TuningStudy');
    assert.deepEqual(validateStudy(study).issues, []);
    assert.match(r.stderr, /\/spec\/trialTemplate\/trialSpec\/spec\/template\/spec\/volumes: pod field volumes dropped/);
    assert.doesNotMatch(r.stdout, /dropped/, 'notes stay off stdout');
  });

  it('with --json prints the study, the notes and the validation issues as one document', () => {
    const r = kubetune(['convert', 'katib', 'examples/katib/tpe-experiment.yaml', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { study: { metadata: { name: string } }; notes: { path: string }[]; validation: unknown[] };
    assert.equal(out.study.metadata.name, 'tpe-example');
    assert.ok(out.notes.some((n) => n.path === '/spec/metricsCollectorSpec/collector/kind'));
    assert.deepEqual(out.validation, []);
  });

  it('exits 1 with nothing on stdout when nothing is usable, and 2 for an unknown format or a missing file', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetune-convert-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'nas.yaml');
    writeFileSync(file, 'apiVersion: kubeflow.org/v1beta1\nkind: Experiment\nmetadata: {name: nas}\nspec:\n  objective: {type: maximize, objectiveMetricName: acc}\n  algorithm: {algorithmName: enas}\n  nasConfig: {}\n');
    const none = kubetune(['convert', 'katib', file]);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /\/spec\/nasConfig: neural architecture search has no counterpart/);
    assert.match(none.stderr, /nothing usable/);
    assert.equal(kubetune(['convert', 'optuna', file]).code, 2);
    assert.equal(kubetune(['convert', 'katib', join(dir, 'missing.yaml')]).code, 2);
  });
});
