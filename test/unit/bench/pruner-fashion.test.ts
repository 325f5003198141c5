/**
 * The fashion family's table reader and replay (bench/pruners/fashion.ts): a missing or malformed
 * table is a clear error naming the file; a trial gets the curve of the nearest recorded
 * configuration with the same optimizer (ties: the lowest index); diverged epochs replay as a
 * loss no better than any finite one; regret is measured against the table's best final loss.
 * Also the resource settings each family carries (bench/pruners/families.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { FAMILIES } from '../../../bench/pruners/families.js';
import { FASHION_EPOCHS, type FashionConfig, FashionCurves, parseFashionTable, readFashionTable } from '../../../bench/pruners/fashion.js';
import { diagnosticsFor, oursFor } from '../../../bench/pruners/ours.js';

const flat = (v: number | null) => Array.from({ length: FASHION_EPOCHS }, () => v);

function config(index: number, params: FashionConfig['params'], valLoss: Array<number | null>): FashionConfig {
  const first = valLoss.indexOf(null);
  return { index, params, seed: index, valLoss, valAccuracy: valLoss.map((v) => (v === null ? null : 0.5)), divergedAt: first < 0 ? null : first + 1, seconds: 1, cpuSeconds: 1 };
}

function tableText(curves: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ epochs: FASHION_EPOCHS, date: '2026-11-25T00:00:00Z', curves, ...extra });
}

const good = [
  config(0, { lr: 1e-3, width: 64, dropout: 0.1, optimizer: 'adam' }, flat(0.5)),
  config(1, { lr: 1e-1, width: 512, dropout: 0.5, optimizer: 'sgd' }, flat(0.7)),
];

describe('the fashion curves table reader', () => {
  it('reads a well-formed table', () => {
    assert.equal(parseFashionTable(tableText(good), 'x.json').curves.length, 2);
  });

  it('names the file and how to record it when the file is missing', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kubetune-fashion-')), 'absent.json');
    assert.throws(() => readFashionTable(path), (err: Error) => err.message.includes(path) && err.message.includes('ENOENT') && err.message.includes('record-fashion.ts'));
  });

  it('refuses a file that is not JSON, or not an object', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kubetune-fashion-')), 'bad.json');
    writeFileSync(path, '{"epochs": 27, "curves": [');
    assert.throws(() => readFashionTable(path), /bad\.json: is not valid JSON/);
    assert.throws(() => parseFashionTable('[1, 2]', 't.json'), /t\.json: must hold a JSON object/);
  });

  it('refuses the wrong number of epochs, no curves, or curves of the wrong length', () => {
    assert.throws(() => parseFashionTable(tableText(good, { epochs: 100 })), /records 100 epochs per configuration, the family needs 27/);
    assert.throws(() => parseFashionTable(tableText([])), /has no curves/);
    const short = { ...good[0]!, valLoss: [0.5, 0.4] };
    assert.throws(() => parseFashionTable(tableText([short])), /curve 0: valLoss must have 27 entries/);
  });

  it('refuses bad params, non-numbers, indexes out of order and inconsistent divergence', () => {
    assert.throws(() => parseFashionTable(tableText([{ ...good[0]!, params: { lr: 0.01, width: 64 } }])), /curve 0 has bad params/);
    assert.throws(() => parseFashionTable(tableText([{ ...good[0]!, valLoss: flat(0.5).map((v, i) => (i === 3 ? 'NaN' : v)) }])), /finite numbers and null/);
    assert.throws(() => parseFashionTable(tableText([good[1]!])), /curve 0 has index 1/);
    const diverged = config(0, good[0]!.params, [0.5, 0.6, ...flat(null).slice(2)]);
    assert.equal(parseFashionTable(tableText([diverged, good[1]!])).curves[0]!.divergedAt, 3);
    assert.throws(() => parseFashionTable(tableText([{ ...diverged, divergedAt: null }, good[1]!])), /divergedAt null does not match its first null loss/);
    const revived = { ...diverged, valLoss: diverged.valLoss.map((v, i) => (i === 10 ? 0.4 : v)) };
    assert.throws(() => parseFashionTable(tableText([revived, good[1]!])), /a finite loss after divergence/);
    assert.throws(() => parseFashionTable(tableText([config(0, good[0]!.params, flat(null))])), /no configuration that trained to the end/);
  });
});

describe('the fashion curves replay', () => {
  const curves = new FashionCurves([
    config(0, { lr: 1e-3, width: 64, dropout: 0.1, optimizer: 'adam' }, flat(0.5)),
    config(1, { lr: 1e-3, width: 64, dropout: 0.1, optimizer: 'adam' }, flat(0.9)), // a duplicate of 0: never chosen
    config(2, { lr: 1e-3, width: 64, dropout: 0.1, optimizer: 'sgd' }, flat(0.8)),
    config(3, { lr: 0.5, width: 1024, dropout: 0.5, optimizer: 'adam' }, [3.5, 7.25, ...flat(null).slice(2)]),
    config(4, { lr: 1e-4, width: 16, dropout: 0, optimizer: 'sgd' }, flat(0.3)),
  ]);

  it('gives a trial the curve of the nearest configuration with the same optimizer, ties to the lowest index', () => {
    assert.equal(curves.nearest({ lr: 1e-3, width: 64, dropout: 0.1, optimizer: 'adam' }), 0);
    assert.equal(curves.nearest({ lr: 1e-3, width: 64, dropout: 0.1, optimizer: 'sgd' }), 2);
    assert.equal(curves.nearest({ lr: 2e-4, width: 20, dropout: 0.05, optimizer: 'sgd' }), 4);
    assert.equal(curves.nearest({ lr: 0.3, width: 800, dropout: 0.45, optimizer: 'adam' }), 3);
    assert.equal(curves.lossAt({ lr: 1.1e-3, width: 60, dropout: 0.12, optimizer: 'adam' }, 5), 0.5);
  });

  it('replays a diverged epoch as the worst finite loss in the table (at least ln 10)', () => {
    assert.equal(curves.divergedLoss, 7.25);
    const fast = { lr: 0.5, width: 1024, dropout: 0.5, optimizer: 'adam' };
    assert.deepEqual([1, 2, 3, 27].map((s) => curves.lossAt(fast, s)), [3.5, 7.25, 7.25, 7.25]);
    assert.equal(new FashionCurves([config(0, good[0]!.params, [0.5, ...flat(null).slice(1)]), good[1]!]).divergedLoss, Math.LN10);
  });

  it('measures regret against the best final loss in the table, and knows only epochs 1..27', () => {
    assert.equal(curves.lowerBound, 0.3);
    assert.throws(() => curves.lossAt(good[0]!.params, 0), RangeError);
    assert.throws(() => curves.lossAt(good[0]!.params, 28), RangeError);
    assert.throws(() => new FashionCurves([good[1]!]).nearest(good[0]!.params), /no configuration with optimizer "adam"/);
  });
});

describe('the families\' resource settings', () => {
  it('keep the synthetic families at 100 steps, ASHA from step 2 with η 4, and Hyperband 1..100 with η 3', () => {
    for (const f of ['crossing', 'ranked'] as const) {
      assert.deepEqual(oursFor(f), {
        none: {}, median: { startupTrials: 5, warmupSteps: 0 },
        asha: { minResource: 2, reductionFactor: 4, maxResource: 100 }, hyperband: { minResource: 1, maxResource: 100, reductionFactor: 3 },
      });
      assert.deepEqual(Object.keys(diagnosticsFor(f)), ['asha-told-final', 'none-tpe-optuna', 'asha-tpe-optuna', 'asha-r1', 'asha-r4', 'asha-r8', 'asha-r16']);
      assert.deepEqual(FAMILIES[f].rungs, [2, 8, 32]);
    }
  });

  it('run the fashion family 27 epochs, ASHA from epoch 1 with η 3 (rungs 1, 3, 9)', () => {
    assert.equal(FAMILIES.fashion.maxSteps, 27);
    assert.deepEqual(oursFor('fashion').asha, { minResource: 1, reductionFactor: 3, maxResource: 27 });
    assert.deepEqual(oursFor('fashion').hyperband, { minResource: 1, maxResource: 27, reductionFactor: 3 });
    const { minResource, reductionFactor } = FAMILIES.fashion.asha;
    const rungs = [];
    for (let r = minResource; r < FAMILIES.fashion.maxSteps; r *= reductionFactor) rungs.push(r);
    assert.deepEqual(rungs, FAMILIES.fashion.rungs);
  });
});
