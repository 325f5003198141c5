import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatMetricLine, parseMetricLine, parseTrialResult } from '../../../operator/api/trial-contract.js';
import { gzipSync } from 'node:zlib';
import { Rng } from '../../../trainer/rng.js';
import { runTrainer, tempDir } from './run-trainer.js';

describe('kubetune-trainer (end to end, as a child process)', () => {
  it('trains an MLP on iris to a sensible accuracy and reports one contract line per epoch', async () => {
    const run = await runTrainer(['--dataset', 'iris', '--param', 'epochs=15', '--param', 'batch_size=16', '--param', 'learning_rate=0.01'], {
      env: { KUBETUNE_SEED: '7' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.reports.length, 15);
    assert.deepEqual(run.reports.map((r) => r.step), Array.from({ length: 15 }, (_, i) => i + 1));
    for (const report of run.reports) {
      assert.deepEqual(Object.keys(report.values), ['loss', 'accuracy', 'val_loss', 'val_accuracy']);
      // Each line is exactly what the contract's formatter writes, so the operator's parser reads it back losslessly.
      assert.deepEqual(parseMetricLine(formatMetricLine(report)), report);
    }
    assert.equal(run.result?.status, 'succeeded');
    assert.ok((run.result?.metrics.val_accuracy ?? 0) >= 0.85, `val_accuracy ${run.result?.metrics.val_accuracy}`);
    assert.ok((run.result?.metrics.test_accuracy ?? 0) >= 0.8, `test_accuracy ${run.result?.metrics.test_accuracy}`);
    assert.match(run.stderr, /backend wasm/);
  });

  it('gives the same metrics for the same seed, and different ones for another seed', async () => {
    const args = ['--dataset', 'wine', '--param', 'epochs=3', '--param', 'dropout=0.3', '--param', 'batch_norm=true'];
    const [a, b, c] = await Promise.all([
      runTrainer(args, { env: { KUBETUNE_SEED: '1' } }),
      runTrainer(args, { env: { KUBETUNE_SEED: '1' } }),
      runTrainer(args, { env: { KUBETUNE_SEED: '2' } }),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.deepEqual(a.reports, b.reports);
    assert.notDeepEqual(a.reports, c.reports);
  });

  it('reports MAE for a regression run, in the target units', async () => {
    const run = await runTrainer(['--dataset', 'diabetes', '--param', 'epochs=30', '--param', 'learning_rate=0.01', '--param', 'loss=mae']);
    assert.equal(run.code, 0, run.stderr);
    const last = run.reports.at(-1)?.values ?? {};
    assert.deepEqual(Object.keys(last), ['loss', 'val_loss', 'val_mae', 'val_mse']);
    const mae = run.result?.metrics.val_mae ?? Number.NaN;
    // The target spans 25..346 (std ≈ 77); predicting the mean scores an MAE of about 65.
    assert.ok(mae > 20 && mae < 60, `val_mae ${mae}`);
    assert.ok(Number.isFinite(run.result?.metrics.test_mae));
  });

  it('stops early when the monitored metric stops improving, and restores the best epoch', async () => {
    const config = join(tempDir(), 'config.yaml');
    writeFileSync(
      config,
      ['dataset: iris', 'objective: val_loss', 'earlyStopping:', '  patience: 1', '  minDelta: 0.5', 'params:', '  epochs: 50', '  learning_rate: 0.01'].join('\n'),
    );
    const run = await runTrainer(['--config', config]);
    assert.equal(run.code, 0, run.stderr);
    // minDelta 0.5 on a loss that starts near 1 allows at most one improvement, so training ends within a few epochs.
    assert.ok(run.reports.length < 50 && run.reports.length >= 2, `${run.reports.length} epochs`);
    assert.match(run.stderr, /early stopping after epoch/);
    const best = run.result?.metrics.best_epoch as number;
    assert.equal(run.result?.metrics.val_loss, run.reports[best - 1]?.values.val_loss);
  });

  it('runs k-fold cross-validation with one line per fold and the mean and spread in the result', async () => {
    const run = await runTrainer(['--dataset', 'iris', '--folds', '3', '--param', 'epochs=8', '--param', 'learning_rate=0.02', '--param', 'batch_size=16']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.reports.map((r) => r.step), [1, 2, 3]);
    const m = run.result?.metrics ?? {};
    const folds = [m.fold1_val_accuracy, m.fold2_val_accuracy, m.fold3_val_accuracy] as number[];
    assert.ok(folds.every((v) => v > 0.5 && v <= 1), JSON.stringify(m));
    const mean = folds.reduce((a, b) => a + b, 0) / 3;
    assert.ok(Math.abs((m.val_accuracy as number) - mean) < 1e-12);
    assert.ok((m.val_accuracy_std as number) >= 0);
    assert.equal(run.reports[2]?.values.cv_mean_val_accuracy, m.val_accuracy);
  });

  it('uses a subset parameter to choose the CSV feature columns and saves what reuse needs', async () => {
    const outDir = join(tempDir(), 'out');
    const run = await runTrainer(['--dataset', 'iris', '--param', 'epochs=2'], {
      env: { KUBETUNE_PARAM_FEATURES: '["petal_width","petal_length"]', KUBETUNE_OUTPUT_DIR: outDir, KUBETUNE_SEED: '3' },
    });
    assert.equal(run.code, 0, run.stderr);
    const pre = JSON.parse(readFileSync(join(outDir, 'preprocessing.json'), 'utf8'));
    // Columns keep the dataset's order, whatever order the subset lists them in.
    assert.deepEqual(pre.featureColumns, ['petal_length', 'petal_width']);
    assert.deepEqual(pre.featureShape, [2]);
    assert.deepEqual(pre.classes, ['setosa', 'versicolor', 'virginica']);
    assert.equal(pre.preprocessor.columns[0].kind, 'numeric');
    for (const file of ['model/model.json', 'model/weights.bin', 'best/model.json', 'params.json', 'run.json', 'metrics.json']) {
      assert.ok(existsSync(join(outDir, file)), file);
    }
    assert.deepEqual(JSON.parse(readFileSync(join(outDir, 'params.json'), 'utf8')).features, ['petal_width', 'petal_length']);
    assert.equal(JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')).seed, 3);
  });

  it('falls back to <output dir>/termination-log when the result path cannot be written, and says so', async () => {
    const outDir = join(tempDir(), 'out');
    const run = await runTrainer(['--dataset', 'iris', '--param', 'epochs=1'], {
      env: { KUBETUNE_RESULT_FILE: '/nonexistent-dir/termination-log', KUBETUNE_OUTPUT_DIR: outDir },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /cannot write the result to \/nonexistent-dir\/termination-log \(ENOENT\); wrote it to .*termination-log/);
    const result = parseTrialResult(readFileSync(join(outDir, 'termination-log'), 'utf8'));
    assert.equal(result.status, 'succeeded');
    assert.equal(result.step, 1);
  });

  it('trains a CNN on IDX images on the wasm backend (gzip files found by their usual names)', async () => {
    // 300 images of 6x6: class 1 when the left half is brighter than the right half.
    const dir = tempDir();
    const rng = new Rng(2);
    const n = 300;
    const pixels = Buffer.alloc(n * 36);
    const labels = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      const label = rng.next() < 0.5 ? 1 : 0;
      labels[i] = label;
      for (let p = 0; p < 36; p++) {
        const left = p % 6 < 3;
        pixels[i * 36 + p] = Math.floor(rng.next() * 120) + (left === (label === 1) ? 120 : 0);
      }
    }
    const header = (dims: number[]) => Buffer.from([0, 0, 8, dims.length, ...dims.flatMap((d) => [0, 0, d >> 8, d & 255])]);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([header([n, 6, 6]), pixels])));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(Buffer.concat([header([n]), labels])));
    const run = await runTrainer(['--dataset', dir, '--model', 'cnn', '--param', 'conv_blocks=1', '--param', 'filters=4', '--param', 'dense_units=8', '--param', 'epochs=8', '--param', 'learning_rate=0.01', '--param', 'batch_size=16']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /backend wasm/);
    assert.ok((run.result?.metrics.val_accuracy ?? 0) >= 0.9, `val_accuracy ${run.result?.metrics.val_accuracy}`);
  });
});
