/**
 * The `kubetune` command as a user meets it: help, exit codes, and `validate` naming every
 * problem of a set of bad studies with its field path, line and hint. Runs the real CLI from
 * source in child processes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'operator/cli/main.ts');

function kubetune(args: string[], env: NodeJS.ProcessEnv = {}, preload: string[] = []) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...preload, CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubetune-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const HEADER = 'apiVersion: kubetune.io/v1alpha1\nkind: TuningStudy\n';

/** Bad studies, each with the field path its problem must be reported at. */
const BAD: Record<string, { yaml: string; path: string; says: RegExp }> = {
  'empty-range': {
    yaml: `${HEADER}metadata: {name: a}\nspec:\n  objective: {metric: loss, goal: minimize}\n  parameters:\n    - {name: lr, type: float, min: 0.1, max: 0.01}\n  algorithm: {name: random}\n  template: {command: [python, train.py]}\n`,
    path: '/spec/parameters/0/max', says: /min \(0\.1\) must be less than max \(0\.01\)/,
  },
  'log-zero': {
    yaml: `${HEADER}metadata: {name: b}\nspec:\n  objective: {metric: loss, goal: minimize}\n  parameters:\n    - {name: lr, type: float, min: 0, max: 1, log: true}\n  algorithm: {name: random}\n  template: {command: [python, train.py]}\n`,
    path: '/spec/parameters/0/min', says: /log-scale parameter needs min > 0/,
  },
  'bad-goal': {
    yaml: `${HEADER}metadata: {name: c}\nspec:\n  objective: {metric: loss, goal: lowest}\n  parameters: [{name: x, type: int, min: 1, max: 3}]\n  algorithm: {name: random}\n  template: {command: [python, train.py]}\n`,
    path: '/spec/objective/goal', says: /goal must be one of/,
  },
  'parallelism': {
    yaml: `${HEADER}metadata: {name: d}\nspec:\n  objective: {metric: loss, goal: minimize}\n  parameters: [{name: x, type: int, min: 1, max: 3}]\n  algorithm: {name: random}\n  budget: {maxTrials: 2, parallelism: 3}\n  template: {command: [python, train.py]}\n`,
    path: '/spec/budget/parallelism', says: /parallelism \(3\) is larger than maxTrials \(2\)/,
  },
  'typo': {
    yaml: `${HEADER}metadata: {name: e}\nspec:\n  objective: {metric: loss, goal: minimize}\n  parameters: [{name: x, type: int, min: 1, max: 3}]\n  algorithm: {name: random}\n  templat: {command: [python, train.py]}\n`,
    path: '/spec/templat', says: /unknown field "templat"/,
  },
  'grid-continuous': {
    yaml: `${HEADER}metadata: {name: f}\nspec:\n  objective: {metric: loss, goal: minimize}\n  parameters: [{name: x, type: float, min: 0, max: 1}]\n  algorithm: {name: grid}\n  template: {command: [python, train.py]}\n`,
    path: '/spec/algorithm', says: /grid.*continuous/,
  },
  'unknown-parent': {
    yaml: `${HEADER}metadata: {name: g}\nspec:\n  objective: {metric: loss, goal: minimize}\n  parameters:\n    - {name: x, type: int, min: 1, max: 3, when: {optimizer: sgd}}\n  algorithm: {name: random}\n  template: {command: [python, train.py]}\n`,
    path: '/spec/parameters/0/when/optimizer', says: /"optimizer", which is not a parameter/,
  },
  'yaml-syntax': {
    yaml: `${HEADER}metadata: {name: h\nspec: [\n`,
    path: '', says: /YAML/,
  },
};

describe('kubetune CLI', () => {
  it('prints help without loading tfjs or the Kubernetes client', (t) => {
    const trace = join(tempDir(t), 'loads.txt');
    writeFileSync(trace, '');
    const r = kubetune(['--help'], { TRACE_LOADS: trace }, ['--import', join(ROOT, 'test/unit/cli/fixtures/trace-loads.mjs')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /run \[options\] <study>/);
    assert.match(r.stdout, /validate/);
    const loaded = readFileSync(trace, 'utf8');
    assert.ok(loaded.includes('commander'), 'the trace saw modules load');
    assert.ok(!loaded.includes('@tensorflow'), 'tfjs not loaded');
    assert.ok(!loaded.includes('@kubernetes'), 'client-node not loaded');
    assert.ok(!loaded.includes('/samplers/'), 'no sampler loaded');
  });

  it('exits 2 on an unknown command or option', () => {
    assert.equal(kubetune(['frobnicate']).code, 2);
    assert.equal(kubetune(['run', '--no-such-flag', 'x.yaml']).code, 2);
  });

  it('validate: checks every file even when one cannot be read', () => {
    const r = kubetune(['validate', 'no-such-study.yaml', 'examples/quadratic.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read no-such-study.yaml: no such file/);
    assert.match(r.stdout, /quadratic.yaml: valid/);
  });

  it('validate: exits 0 and summarises a valid study', () => {
    const r = kubetune(['validate', 'examples/quadratic.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /examples\/quadratic.yaml: valid — study "quadratic": 3 parameters/);
  });

  it('validate: says which sampler the default algorithm, auto, picks for the study and why', (t) => {
    const file = join(tempDir(t), 'default.yaml');
    const text = readFileSync('examples/quadratic.yaml', 'utf8').replace(/\n  algorithm:\n    name: tpe\n    seed: 42\n/, '\n');
    assert.doesNotMatch(text, /algorithm:/, 'the example still names its algorithm where this test expects it');
    writeFileSync(file, text);
    const r = kubetune(['validate', file]);
    assert.equal(r.code, 0, r.stderr);
    // x, y and shape (a categorical): 3 unconditional parameters, the example's budget of 20 trials.
    assert.match(r.stdout, /valid — study "quadratic": 3 parameters, auto → gp \(3 unconditional parameters and a budget of 20 trials\), seed 0,/);
  });

  it('validate: names the field of every bad study, with its line and a hint, and exits 1', (t) => {
    const dir = tempDir(t);
    const files = Object.entries(BAD).map(([name, bad]) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, bad.yaml);
      return file;
    });
    const json = kubetune(['validate', '--json', ...files]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { file: string; valid: boolean; issues: { path: string; message: string; location: string }[] }[];
    for (const [name, bad] of Object.entries(BAD)) {
      const entry = report.find((r) => r.file.endsWith(`/${name}.yaml`));
      assert.ok(entry && !entry.valid, `${name} is invalid`);
      const issue = entry.issues.find((i) => i.path === bad.path);
      assert.ok(issue, `${name}: an issue at ${bad.path}; got ${JSON.stringify(entry.issues)}`);
      assert.match(issue.message, bad.says, name);
      assert.match(issue.location, new RegExp(`${name}\\.yaml:\\d+$`), `${name}: located by line`);
    }

    const human = kubetune(['validate', files[0] as string, files[4] as string]);
    assert.equal(human.code, 1);
    assert.match(human.stderr, /empty-range\.yaml:7 \/spec\/parameters\/0\/max: parameter "lr": min \(0\.1\) must be less than max \(0\.01\)\n    hint: /);
    assert.match(human.stderr, /typo\.yaml:\d+ \/spec\/templat: unknown field "templat"\n    hint: did you mean "template"\?/);
  });
});
