/**
 * `kubetune train …`: the built-in trainer behind the CLI. The flags reach the trainer's own
 * parser untouched, and the trial contract is unchanged: metric lines, the result document on
 * the termination-message path, and the trainer's exit status (0, 2 for a bad parameter, 143
 * after SIGTERM). Runs the real CLI from source in child processes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatMetricLine, parseMetricLine } from '../../../operator/api/trial-contract.js';
import { repoRoot, runTrainer } from '../trainer/run-trainer.js';

const CLI_TRAIN = ['operator/cli/main.ts', 'train'];

describe('kubetune train', () => {
  it('trains on a shipped dataset with the flags passed through, and reports by the trial contract', async () => {
    const run = await runTrainer(['--dataset', 'iris', '--param', 'epochs=15', '--param', 'batch_size=16', '-p', 'learning_rate=0.01', '--seed', '7'], { entry: CLI_TRAIN });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.reports.length, 15);
    for (const report of run.reports) assert.deepEqual(parseMetricLine(formatMetricLine(report)), report);
    assert.equal(run.result?.status, 'succeeded');
    assert.ok((run.result?.metrics.test_accuracy ?? 0) >= 0.8, `test_accuracy ${run.result?.metrics.test_accuracy}`);
  });

  it('gives exactly the metric lines the trainer entry point gives for the same seed', async () => {
    const args = ['--dataset', 'wine', '--param', 'epochs=2', '--param', 'dropout=0.3'];
    const env = { KUBETUNE_SEED: '3' };
    const [viaCli, direct] = [await runTrainer(args, { env, entry: CLI_TRAIN }), await runTrainer(args, { env })];
    assert.equal(viaCli.code, 0, viaCli.stderr);
    assert.equal(viaCli.reports.length, 2);
    assert.deepEqual(viaCli.reports, direct.reports);
  });

  it('fails a bad parameter with exit status 2 and the reason in the termination message', async () => {
    const run = await runTrainer(['--dataset', 'iris', '--param', 'batch_size=12.5'], { env: { KUBETUNE_PARAM_LERNING_RATE: '0.1' }, entry: CLI_TRAIN });
    assert.equal(run.code, 2);
    assert.equal(run.result?.status, 'failed');
    assert.equal(run.result?.reason, 'InvalidParameter');
    assert.match(run.result?.message ?? '', /"lerning_rate".*unknown parameter/);
    assert.equal(run.reports.length, 0);
  });

  it('fails an unknown trainer flag as a bad config (exit 2), not as a CLI usage error', async () => {
    const run = await runTrainer(['--dataset', 'iris', '--epochz', '3'], { entry: CLI_TRAIN });
    assert.equal(run.code, 2);
    assert.equal(run.result?.reason, 'InvalidConfig');
    assert.match(run.result?.message ?? '', /--epochz/);
  });

  it('writes the partial result and exits 143 on SIGTERM', async () => {
    const run = await runTrainer(['--dataset', 'digits', '--param', 'epochs=1000', '--param', 'batch_size=8'], {
      entry: CLI_TRAIN,
      onFirstReport: (child) => child.kill('SIGTERM'),
    });
    assert.equal(run.code, 143);
    assert.equal(run.result?.status, 'pruned');
    assert.ok(run.reports.length >= 1 && run.reports.length < 1000);
    assert.equal(run.result?.step, run.reports.length);
  });

  it("shows the trainer's own help under its CLI name", () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'operator/cli/main.ts'), 'train', '--help'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: kubetune train \[options\]/);
    assert.match(r.stdout, /--param <name=value>/);
    assert.match(r.stdout, /--result-file <path>/);
  });
});
