/**
 * `kubetune run` end to end, as a user runs it: the real CLI in a child process, real trial
 * processes, a real results directory. Trials are tiny scripts (fixtures/behave.mjs), so the
 * whole file runs in seconds. No test asserts a duration.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readResults } from '../../../operator/local/results-reader.js';
import { runCli, tempDir, writeStudy } from './helpers.js';

describe('kubetune run', { timeout: 120_000 }, () => {
  it('runs a study to completion and records every trial in the results directory', async (t) => {
    const dir = tempDir(t);
    const file = writeStudy(dir, 'complete', { budget: { maxTrials: 5, parallelism: 2 } });
    const results = join(dir, 'results');
    const run = await runCli(['run', file, '--results-dir', results, '--json'], { BEHAVE_STEP_MS: '1' });
    assert.equal(run.code, 0, run.stderr);

    const record = readResults(results);
    assert.deepEqual(record.trials.map((x) => x.index), [0, 1, 2, 3, 4]);
    for (const trial of record.trials) {
      assert.equal(trial.state, 'succeeded');
      const x = trial.params.x as number;
      assert.ok(Math.abs((trial.value as number) - ((x - 0.2) ** 2 + 1 / 3)) < 1e-12, 'value is the last reported loss');
      assert.equal(trial.reports.length, 3);
    }
    assert.equal(record.finished?.reason, 'MaxTrials');
    assert.ok(existsSync(join(results, 'study.yaml')));
    assert.ok(existsSync(join(results, 'trials', '0', 'attempt-1', 'stdout.log')));

    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    assert.equal(lines.filter((l) => l.type === 'trial-finished').length, 5);
    const last = lines.at(-1) as { type: string; end: string; counts: { succeeded: number } };
    assert.equal(last.type, 'run-ended');
    assert.equal(last.end, 'finished');
    assert.equal(last.counts.succeeded, 5);
    assert.match(run.stderr, /completed \(MaxTrials/);
  });

  it('records a trial that crashes, exits, is killed, hangs, prints NaN or breaks the contract, each with its reason', async (t) => {
    const dir = tempDir(t);
    const modes = ['ok', 'crash', 'exit', 'signal', 'hang', 'nan', 'missing', 'garbled'];
    const file = writeStudy(dir, 'outcomes', {
      parameters: [{ name: 'mode', type: 'categorical', values: modes }],
      algorithm: { name: 'grid', seed: 1 },
      budget: { maxTrials: modes.length, parallelism: modes.length, trialTimeout: '1s' },
    });
    const results = join(dir, 'results');
    const run = await runCli(['run', file, '--results-dir', results, '--grace', '0.2']);
    assert.equal(run.code, 0, run.stderr);

    const byMode = new Map(readResults(results).trials.map((x) => [x.params.mode as string, x]));
    const outcome = (mode: string) => {
      const trial = byMode.get(mode);
      assert.ok(trial, `a trial ran mode ${mode}`);
      return { state: trial.state, reason: trial.reason };
    };
    assert.deepEqual(outcome('ok'), { state: 'succeeded', reason: undefined });
    assert.deepEqual(outcome('crash'), { state: 'failed', reason: 'DatasetError' });
    assert.deepEqual(outcome('exit'), { state: 'failed', reason: 'ExitCode' });
    assert.deepEqual(outcome('signal'), { state: 'failed', reason: 'Signal' });
    assert.deepEqual(outcome('hang'), { state: 'failed', reason: 'Timeout' });
    assert.deepEqual(outcome('nan'), { state: 'failed', reason: 'MetricNaN' });
    assert.deepEqual(outcome('missing'), { state: 'failed', reason: 'MetricMissing' });
    assert.deepEqual(outcome('garbled'), { state: 'failed', reason: 'BadMetricLine' });
    assert.equal(byMode.get('crash')?.exitCode, 3);
    assert.equal(byMode.get('signal')?.signal, 'SIGKILL');
    assert.match(byMode.get('crash')?.message ?? '', /no such file: data.csv/);
    assert.match(run.stderr, /failures: .*Timeout ×1/);
  });

  it('fails the study once more trials failed than maxFailedTrials allows, exit code 1', async (t) => {
    const dir = tempDir(t);
    const file = writeStudy(dir, 'failing', {
      parameters: [{ name: 'mode', type: 'categorical', values: ['exit'] }, { name: 'x', type: 'float', min: 0, max: 1 }],
      budget: { maxTrials: 10, parallelism: 1, maxFailedTrials: 1 },
    });
    const results = join(dir, 'results');
    const run = await runCli(['run', file, '--results-dir', results]);
    assert.equal(run.code, 1, run.stderr);
    const record = readResults(results);
    assert.equal(record.finished?.reason, 'MaxFailedTrials');
    assert.equal(record.trials.length, 2);
  });

  it('refuses to resume when the search space changed, and starts over with --fresh', async (t) => {
    const dir = tempDir(t);
    const results = join(dir, 'results');
    const file = writeStudy(dir, 'changing', { budget: { maxTrials: 1, parallelism: 1 } });
    assert.equal((await runCli(['run', file, '--results-dir', results], { BEHAVE_STEP_MS: '1' })).code, 0);

    writeStudy(dir, 'changing', { budget: { maxTrials: 1, parallelism: 1 }, parameters: [{ name: 'x', type: 'float', min: 0, max: 2 }] });
    const refused = await runCli(['run', file, '--results-dir', results]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /parameters changed/);
    assert.match(refused.stderr, /--fresh/);

    const fresh = await runCli(['run', file, '--results-dir', results, '--fresh'], { BEHAVE_STEP_MS: '1' });
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.equal(readResults(results).trials.length, 1);
    assert.ok(readdirSync(dir).some((name) => name.startsWith('results.replaced-')), 'the old results were moved aside');
  });

  it('names the recorded sampler when a resumed study now resolves to another one (a new default)', async (t) => {
    const dir = tempDir(t);
    const results = join(dir, 'results');
    const file = writeStudy(dir, 'pinned', { algorithm: { name: 'tpe', seed: 3 }, budget: { maxTrials: 1, parallelism: 1 } });
    assert.equal((await runCli(['run', file, '--results-dir', results], { BEHAVE_STEP_MS: '1' })).code, 0);

    writeStudy(dir, 'pinned', { algorithm: { seed: 3 }, budget: { maxTrials: 2, parallelism: 1 } });
    const refused = await runCli(['run', file, '--results-dir', results]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /algorithm changed since the trials in .* were run \(run with tpe, now auto\)/);
    assert.match(refused.stderr, /name their algorithm in the study/);
    assert.equal(readResults(results).trials.length, 1, 'the recorded trial is kept');
  });

  it('extends a finished study when --max-trials is raised, keeping the trials it has', async (t) => {
    const dir = tempDir(t);
    const results = join(dir, 'results');
    const file = writeStudy(dir, 'extend', { budget: { maxTrials: 2, parallelism: 2 } });
    assert.equal((await runCli(['run', file, '--results-dir', results], { BEHAVE_STEP_MS: '1' })).code, 0);
    const before = readResults(results).trials;
    const more = await runCli(['run', file, '--results-dir', results, '--max-trials', '4'], { BEHAVE_STEP_MS: '1' });
    assert.equal(more.code, 0, more.stderr);
    const after = readResults(results).trials;
    assert.deepEqual(after.map((x) => x.index), [0, 1, 2, 3]);
    assert.deepEqual(after.slice(0, 2).map((x) => x.params), before.map((x) => x.params));
  });

  it('exits 1 naming the field when the study is invalid, and 2 for a bad flag', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'apiVersion: kubetune.io/v1alpha1\nkind: TuningStudy\nmetadata: {name: bad}\nspec:\n  objective: {metric: loss, goal: minimize}\n  parameters: [{name: x, type: float, min: 1, max: 0}]\n  algorithm: {name: random}\n  template: {command: [node]}\n');
    const bad = await runCli(['run', file]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad\.yaml:6 \/spec\/parameters\/0\/max: parameter "x": min \(1\) must be less than max \(0\)/);
    const usage = await runCli(['run', file, '--max-trials', 'many']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--max-trials must be a positive integer/);
  });
});
