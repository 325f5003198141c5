import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCsv } from '../../../trainer/data/csv.js';
import { parseIdx, readIdxFile } from '../../../trainer/data/idx.js';
import { loadSource } from '../../../trainer/data/source.js';
import { kFolds, splitIndices } from '../../../trainer/data/split.js';
import { fitPreprocessor, transformRow } from '../../../trainer/data/tabular.js';
import { TrainerError } from '../../../trainer/errors.js';
import { tempDir } from './run-trainer.js';

describe('trainer data', () => {
  it('splits the same way for the same seed, into disjoint sets covering every row', () => {
    const a = splitIndices(100, 0.2, 0.1, 5);
    assert.deepEqual(a, splitIndices(100, 0.2, 0.1, 5));
    assert.notDeepEqual(a.train, splitIndices(100, 0.2, 0.1, 6).train);
    assert.deepEqual([a.train.length, a.validation.length, a.test.length], [70, 20, 10]);
    assert.deepEqual([...a.train, ...a.validation, ...a.test].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  });

  it('makes k folds whose validation parts partition the rows and whose sizes differ by at most one', () => {
    const rows = splitIndices(23, 0, 0, 1).train;
    const folds = kFolds(rows, 5);
    assert.deepEqual(folds.map((f) => f.validation.length).sort(), [4, 4, 5, 5, 5]);
    assert.deepEqual(folds.flatMap((f) => [...f.validation]).sort((x, y) => x - y), [...rows].sort((x, y) => x - y));
    for (const f of folds) assert.equal(f.train.length + f.validation.length, 23);
    assert.throws(() => kFolds(rows, 1), RangeError);
  });

  it('fits scalers on the training rows only and one-hot encodes categorical columns', () => {
    const columns = [
      { name: 'x', values: ['1', '3', '100', ''] },
      { name: 'colour', values: ['red', 'blue', 'green', 'red'] },
    ];
    const pre = fitPreprocessor(columns, [0, 1, 3]);
    // Mean and std of the training values 1 and 3 (row 3 is missing), not of 100 from row 2.
    assert.deepEqual(pre.columns[0], { name: 'x', kind: 'numeric', mean: 2, std: 1 });
    assert.deepEqual(pre.columns[1], { name: 'colour', kind: 'categorical', categories: ['blue', 'red'] });
    assert.equal(pre.width, 3);
    const out = new Float32Array(3);
    transformRow(pre, columns, 2, out, 0);
    assert.deepEqual([...out], [98, 0, 0]); // 'green' was never seen in training: all zeros
    transformRow(pre, columns, 3, out, 0);
    assert.deepEqual([...out], [0, 0, 1]); // a missing number becomes the training mean
  });

  it('forces numeric-looking columns to categorical when told to', () => {
    const pre = fitPreprocessor([{ name: 'sex', values: ['1', '2', '2'] }], [0, 1, 2], { categorical: ['sex'] });
    assert.deepEqual(pre.columns[0], { name: 'sex', kind: 'categorical', categories: ['1', '2'] });
  });

  it('reads CSV with quoting and rejects ragged rows, empty files and duplicate columns', () => {
    assert.deepEqual(parseCsv('a,"b, c"\n1,"x,y"\n', 't').rows, [['1', 'x,y']]);
    assert.throws(() => parseCsv('a,b\n1\n', 't'), (e: unknown) => e instanceof TrainerError && e.reason === 'DatasetError');
    assert.throws(() => parseCsv('a,b\n', 't'), /header row and at least one data row/);
    assert.throws(() => parseCsv('a,a\n1,2\n', 't'), /names column "a" twice/);
  });

  it('reads IDX files, plain and gzip-compressed, and rejects a bad magic number', () => {
    const bytes = Buffer.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(parseIdx(bytes, 't').shape, [2, 3]);
    const dir = tempDir();
    writeFileSync(join(dir, 'a.gz'), gzipSync(bytes));
    const read = readIdxFile(join(dir, 'a.gz'));
    assert.deepEqual([...read.data], [1, 2, 3, 4, 5, 6]);
    assert.throws(() => parseIdx(Buffer.from([1, 2, 8, 1]), 't'), /bad magic number/);
    assert.throws(() => parseIdx(Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 't'), /type 0xd is not supported/);
  });

  it('loads IDX images scaled to [0, 1] with their labels', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'img'), Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255, 51, 102]));
    writeFileSync(join(dir, 'lab'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 1, 0]));
    const source = loadSource({ kind: 'idx', trainImages: join(dir, 'img'), trainLabels: join(dir, 'lab') }, { task: 'classification', featureSubset: null, limit: 0 });
    const [all] = source.build(Int32Array.of(0, 1), [Int32Array.of(1, 0)]).sets;
    assert.deepEqual(all?.featureShape, [1, 2, 1]);
    assert.deepEqual([...(all?.x ?? [])].map((v) => Math.round(v * 100) / 100), [0.2, 0.4, 0, 1]);
    assert.deepEqual([...(all?.y ?? [])], [0, 1]);
    assert.deepEqual(source.classes, ['0', '1']);
  });

  it('loads the shipped digits set as 8x8 images and orders numeric class labels numerically', () => {
    const source = loadSource(
      { kind: 'csv', path: join('trainer', 'datasets', 'digits.csv.gz'), label: 'digit', imageShape: [8, 8, 1], scale: 1 / 16 },
      { task: 'classification', featureSubset: null, limit: 0 },
    );
    assert.equal(source.n, 1797);
    assert.deepEqual(source.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const [set] = source.build(Int32Array.of(0), [Int32Array.of(0)]).sets;
    assert.deepEqual(set?.featureShape, [8, 8, 1]);
    assert.ok([...(set?.x ?? [])].every((v) => v >= 0 && v <= 1));
  });
});
