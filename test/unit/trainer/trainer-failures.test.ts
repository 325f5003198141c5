import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runTrainer, tempDir } from './run-trainer.js';

describe('kubetune-trainer failures are outcomes with a reason', () => {
  it('rejects an unknown parameter, naming it', async () => {
    const run = await runTrainer(['--dataset', 'iris'], { env: { KUBETUNE_PARAM_LERNING_RATE: '0.1' } });
    assert.equal(run.code, 2);
    assert.equal(run.result?.status, 'failed');
    assert.equal(run.result?.reason, 'InvalidParameter');
    assert.match(run.result?.message ?? '', /"lerning_rate".*unknown parameter/);
    assert.equal(run.reports.length, 0);
  });

  it('rejects an ill-typed parameter from the parameters file, naming it and the value', async () => {
    const dir = tempDir();
    const paramsFile = join(dir, 'params.json');
    writeFileSync(paramsFile, JSON.stringify({ learning_rate: 0.01, batch_size: 12.5 }));
    const run = await runTrainer(['--dataset', 'iris'], { env: { KUBETUNE_PARAMS_FILE: paramsFile } });
    assert.equal(run.code, 2);
    assert.equal(run.result?.reason, 'InvalidParameter');
    assert.match(run.result?.message ?? '', /"batch_size": expected an integer, got 12.5/);
  });

  it('rejects an out-of-choice categorical parameter', async () => {
    const run = await runTrainer(['--dataset', 'iris'], { env: { KUBETUNE_PARAM_OPTIMIZER: 'lbfgs' } });
    assert.equal(run.result?.reason, 'InvalidParameter');
    assert.match(run.result?.message ?? '', /"optimizer": expected one of sgd, adam/);
  });

  it('fails cleanly on a missing dataset file', async () => {
    const run = await runTrainer(['--dataset', '/nonexistent/data.csv', '--label', 'y']);
    assert.equal(run.code, 3);
    assert.equal(run.result?.reason, 'DatasetError');
    assert.match(run.result?.message ?? '', /cannot read CSV file \/nonexistent\/data.csv: ENOENT/);
  });

  it('fails cleanly on a malformed CSV', async () => {
    const dir = tempDir();
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'a,b,label\n1,2,x\n3,4\n5,6,y\n');
    const run = await runTrainer(['--dataset', csv, '--label', 'label']);
    assert.equal(run.code, 3);
    assert.equal(run.result?.reason, 'DatasetError');
    assert.match(run.result?.message ?? '', /malformed CSV .*bad\.csv/);
  });

  it('fails cleanly on a label column that does not exist, and on a subset naming an unknown column', async () => {
    const noLabel = await runTrainer(['--dataset', join('trainer', 'datasets', 'iris.csv'), '--label', 'kind']);
    assert.equal(noLabel.result?.reason, 'DatasetError');
    assert.match(noLabel.result?.message ?? '', /label column "kind" is not in/);
    const badSubset = await runTrainer(['--dataset', 'iris'], { env: { KUBETUNE_PARAM_FEATURES: '["petal_length","colour"]' } });
    assert.equal(badSubset.result?.reason, 'InvalidParameter');
    assert.match(badSubset.result?.message ?? '', /"features": "colour" is not one of the feature columns/);
  });

  it('fails cleanly on a truncated IDX file', async () => {
    const dir = tempDir();
    // Header for 2 images of 2x2 pixels, but only 3 pixel bytes follow.
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3]));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]));
    const run = await runTrainer(['--dataset', dir]);
    assert.equal(run.result?.reason, 'DatasetError');
    assert.match(run.result?.message ?? '', /promises 8 values but the file holds 3/);
  });

  it('fails with NonFiniteLoss when training diverges', async () => {
    const run = await runTrainer(['--dataset', 'diabetes', '--param', 'optimizer=sgd', '--param', 'learning_rate=10', '--param', 'epochs=20']);
    assert.equal(run.code, 1);
    assert.equal(run.result?.reason, 'NonFiniteLoss');
    const last = run.reports.at(-1)?.values.loss ?? 0;
    assert.ok(!Number.isFinite(last), `last loss ${last}`);
  });

  it('writes a partial result with status pruned on SIGTERM and exits promptly', async () => {
    const run = await runTrainer(['--dataset', 'digits', '--param', 'epochs=1000', '--param', 'batch_size=8'], {
      onFirstReport: (child) => child.kill('SIGTERM'),
    });
    assert.equal(run.code, 143);
    assert.equal(run.result?.status, 'pruned');
    assert.ok(run.reports.length >= 1 && run.reports.length < 1000);
    assert.equal(run.result?.step, run.reports.length);
    assert.equal(run.result?.metrics.val_accuracy, run.reports.at(-1)?.values.val_accuracy);
  });
});
