/**
 * The fashion family's table reader and replay (bench/pruners/fashion.ts): a missing or malformed
 * table is a clear error naming the file; a trial's curve is, epoch by epoch, the
 * inverse-distance-weighted mean of the 4 nearest recorded configurations with the same optimizer
 * (ties: the lowest index), so a recorded point gets its own curve and a point between two their
 * weighted mean; diverged epochs enter the mean as a loss no better than any finite one; regret
 * is measured against the table's best final loss, which no replayed loss goes below.
 * Also the resource settings each family carries (bench/pruners/families.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { FAMILIES } from '../../../bench/pruners/families.js';
import { FASHION_EPOCHS, FASHION_NEIGHBOURS, type FashionConfig, FashionCurves, fashionCurves, parseFashionTable, readFashionTable } from '../../../bench/pruners/fashion.js';
import { CURVE_PARAMETERS, unitCoordinates } from '../../../bench/pruners/curves.js';
import { sampleUniform } from '../../../operator/samplers/random.js';
import { Rng } from '../../../operator/samplers/rng.js';
import { SearchSpace } from '../../../operator/space/space.js';
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
  const ramp = (from: number) => Array.from({ length: FASHION_EPOCHS }, (_, e) => from + 0.01 * e);
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
  const curves = new FashionCurves([
    config(0, { lr: 1e-3, width: 64, dropout: 0.1, optimizer: 'adam' }, ramp(0.5)),
    config(1, { lr: 1e-1, width: 64, dropout: 0.1, optimizer: 'adam' }, ramp(0.9)),
    config(2, { lr: 1e-3, width: 64, dropout: 0.1, optimizer: 'sgd' }, flat(0.8)),
    config(3, { lr: 0.5, width: 1024, dropout: 0.5, optimizer: 'adam' }, [3.5, 7.25, ...flat(null).slice(2)]),
    config(4, { lr: 1e-4, width: 16, dropout: 0, optimizer: 'sgd' }, flat(0.3)),
  ]);

  it('gives a recorded point its own curve, diverged epochs included', () => {
    for (const c of curves.configs) {
      const filled = c.valLoss.map((v) => (v === null ? curves.divergedLoss : v));
      curves.curve(c.params).forEach((v, e) => close(v, filled[e]!, `config ${c.index} epoch ${e + 1}`));
    }
  });

  it('gives a point between two recorded ones their inverse-squared-distance weighted mean, epoch by epoch', () => {
    // Only two adam configurations here with width 64 and dropout 0.1, at x = 0.25 and x = 0.75 (lr 1e-3 and 1e-1).
    const mid = { lr: 1e-2, width: 64, dropout: 0.1, optimizer: 'adam' };
    // Three adam configurations in all: the midpoint averages 0 and 1 (equal weights) and the far, diverged 3 by its small weight.
    const near = curves.neighbours(mid);
    assert.deepEqual(near.map((n) => n.index), [0, 1, 3]);
    const w = near.map((n) => 1 / (n.distance2 + 1e-12));
    for (const step of [1, 2, 14, 27]) {
      const v = [0, 1, 3].map((i) => curves.lossAt(curves.configs[i]!.params, step));
      close(curves.lossAt(mid, step), (w[0]! * v[0]! + w[1]! * v[1]! + w[2]! * v[2]!) / (w[0]! + w[1]! + w[2]!), `midpoint epoch ${step}`);
    }
    // Without the far diverged one: a midpoint gives the plain mean, a point a quarter of the way weights 9 : 1.
    const two = new FashionCurves([curves.configs[0]!, { ...curves.configs[1]!, index: 1 }]);
    for (const step of [1, 9, 27]) {
      const a = 0.5 + 0.01 * (step - 1);
      const b = 0.9 + 0.01 * (step - 1);
      close(two.lossAt(mid, step), (a + b) / 2, `plain midpoint epoch ${step}`);
      // x = 0.375: distances 0.125 and 0.375, weights 64 and 64 / 9.
      close(two.lossAt({ ...mid, lr: 10 ** -2.5 }, step), (9 * a + b) / 10, `quarter point epoch ${step}`);
    }
  });

  it('averages only the 4 nearest with the same optimizer, ties in distance to the lowest index', () => {
    const p = { lr: 1e-2, width: 128, dropout: 0.3, optimizer: 'adam' };
    // Six copies of one configuration (all at distance 0) and one with another optimizer: the first four copies are averaged.
    const copies = Array.from({ length: 6 }, (_, i) => config(i, p, flat(0.4 + 0.1 * i)));
    const table = new FashionCurves([...copies, config(6, { ...p, optimizer: 'sgd' }, flat(0.1))]);
    assert.equal(FASHION_NEIGHBOURS, 4);
    assert.deepEqual(table.neighbours(p).map((n) => n.index), [0, 1, 2, 3]);
    close(table.lossAt(p, 5), (0.4 + 0.5 + 0.6 + 0.7) / 4, 'four tied copies');
    assert.equal(table.nearest(p), 0);
    assert.equal(table.lossAt({ ...p, optimizer: 'sgd' }, 5), 0.1);
    // A point that is not recorded: its curve comes only from its 4 nearest, far ones do not move it.
    const far = new FashionCurves([...curves.configs, config(5, { lr: 1e-4, width: 16, dropout: 0, optimizer: 'adam' }, flat(0.2))]);
    const q = { lr: 2e-3, width: 80, dropout: 0.12, optimizer: 'adam' };
    assert.deepEqual(far.neighbours(q).map((n) => n.index), [0, 1, 5, 3]);
    const fewer = new FashionCurves(curves.configs.slice(0, 2));
    assert.notEqual(far.lossAt(q, 3), fewer.lossAt(q, 3));
  });

  it('replays a diverged epoch as the worst finite loss in the table (at least ln 10), and blends towards it nearby', () => {
    assert.equal(curves.divergedLoss, 7.25);
    const fast = { lr: 0.5, width: 1024, dropout: 0.5, optimizer: 'adam' };
    [3.5, 7.25, 7.25, 7.25].forEach((v, i) => close(curves.lossAt(fast, [1, 2, 3, 27][i]!), v, `diverged epoch ${[1, 2, 3, 27][i]}`));
    const nearby = { lr: 0.4, width: 900, dropout: 0.45, optimizer: 'adam' };
    const late = curves.lossAt(nearby, 27);
    assert.ok(late < 7.25 && late > 0.9 + 0.26, `near a diverged run: ${late}`);
    assert.equal(new FashionCurves([config(0, good[0]!.params, [0.5, ...flat(null).slice(1)]), good[1]!]).divergedLoss, Math.LN10);
  });

  it('measures regret against the best final loss in the table, and knows only epochs 1..27', () => {
    assert.equal(curves.lowerBound, 0.3);
    assert.throws(() => curves.lossAt(good[0]!.params, 0), RangeError);
    assert.throws(() => curves.lossAt(good[0]!.params, 28), RangeError);
    assert.throws(() => new FashionCurves([good[1]!]).nearest(good[0]!.params), /no configuration with optimizer "adam"/);
  });

  it('never replays a loss below the committed table\'s smallest at that epoch, nor above its diverged loss', () => {
    const table = fashionCurves();
    const floor = Array.from({ length: FASHION_EPOCHS }, (_, e) => Math.min(...table.configs.map((c) => c.valLoss[e] ?? Infinity)));
    assert.equal(floor[FASHION_EPOCHS - 1], table.lowerBound);
    const space = SearchSpace.parse(CURVE_PARAMETERS);
    const points = [
      ...Array.from({ length: 400 }, (_, i) => sampleUniform(space, new Rng(21, i, 'fashion-floor'))),
      ...table.configs.map((c) => c.params),
    ];
    // Also a point just beside the best recorded configuration, where the bound is nearly reached.
    const bestIndex = table.configs.findIndex((c) => c.valLoss[FASHION_EPOCHS - 1] === table.lowerBound);
    const bestParams = table.configs[bestIndex]!.params;
    points.push({ ...bestParams, lr: (bestParams.lr as number) * 1.001 });
    for (const p of points) {
      table.curve(p).forEach((v, e) => {
        assert.ok(v >= floor[e]!, `${JSON.stringify(p)} epoch ${e + 1}: ${v} below the table's ${floor[e]}`);
        assert.ok(v <= table.divergedLoss, `${JSON.stringify(p)} epoch ${e + 1}: ${v} above ${table.divergedLoss}`);
      });
    }
    close(table.lossAt(bestParams, FASHION_EPOCHS), table.lowerBound, 'the best recorded point');
    assert.ok(unitCoordinates(bestParams).every((x) => x >= 0 && x <= 1));
  });
});

describe('the families\' resource settings', () => {
  it('keep the synthetic families at 100 steps, ASHA from step 2 with η 4, and Hyperband 1..100 with η 3', () => {
    for (const f of ['crossing', 'ranked'] as const) {
      assert.deepEqual(oursFor(f), {
        none: {}, median: { startupTrials: 5, warmupSteps: 0 },
        asha: { minResource: 2, reductionFactor: 4, maxResource: 100 }, hyperband: { minResource: 1, maxResource: 100, reductionFactor: 3 },
      });
      assert.deepEqual(Object.keys(diagnosticsFor(f)), ['none-random', 'asha-random', 'asha-told-final', 'none-tpe-optuna', 'asha-tpe-optuna', 'asha-r1', 'asha-r4', 'asha-r8', 'asha-r16']);
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
