/**
 * The pruners benchmark's learning curves: the same numbers in TypeScript (our side) and Python
 * (Optuna's side), a floor that is the family's lower bound at the best configuration, and curves
 * that cross (a fast, worse configuration leads early and loses at the end) — the property that
 * makes early stopping a real decision.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { CURVE_PARAMETERS, floorOf, LOWER_BOUND, lossAt, MAX_STEPS } from '../../../bench/pruners/curves.js';
import { sampleUniform } from '../../../operator/samplers/random.js';
import { Rng } from '../../../operator/samplers/rng.js';
import { SearchSpace } from '../../../operator/space/space.js';

const pythonCurves = fileURLToPath(new URL('../../../bench/pruners/curves.py', import.meta.url));
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;
const best = { lr: 10 ** -2.5, width: 256, dropout: 0.2, optimizer: 'adam' };

describe('the pruners benchmark curves', () => {
  it('have their lower bound at the best configuration and never go below it at the end', () => {
    assert.ok(Math.abs(floorOf(best) - LOWER_BOUND) < 1e-12);
    const space = SearchSpace.parse(CURVE_PARAMETERS);
    for (let i = 0; i < 300; i++) assert.ok(lossAt(sampleUniform(space, new Rng(3, i, 'curves')), MAX_STEPS) >= LOWER_BOUND - 1e-12);
  });

  it('cross: a large learning rate leads early and ends worse', () => {
    const fast = { ...best, lr: 0.3 };
    assert.ok(lossAt(fast, 2) < lossAt(best, 2));
    assert.ok(lossAt(fast, MAX_STEPS) > lossAt(best, MAX_STEPS));
  });

  it('compute the same losses in TypeScript and in Python', { skip: python === undefined && 'python3 not found' }, () => {
    const space = SearchSpace.parse(CURVE_PARAMETERS);
    const points = Array.from({ length: 40 }, (_, i) => ({ params: sampleUniform(space, new Rng(9, i, 'curves')), step: 1 + ((i * 7) % MAX_STEPS) }));
    points.push({ params: best, step: MAX_STEPS });
    const out = spawnSync(python as string, [pythonCurves], { input: JSON.stringify(points), encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const theirs = JSON.parse(out.stdout) as number[];
    points.forEach((x, i) => {
      const ours = lossAt(x.params, x.step);
      assert.ok(Math.abs(ours - (theirs[i] as number)) <= 1e-12 * Math.max(1, Math.abs(ours)), `${JSON.stringify(x)}: ${ours} vs ${theirs[i]}`);
    });
  });
});
