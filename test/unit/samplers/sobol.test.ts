import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { SearchExhaustedError, Study } from '../../../operator/engine/study.js';
import { createSampler } from '../../../operator/samplers/registry.js';
import { Rng } from '../../../operator/samplers/rng.js';
import { MAX_SOBOL_DIMS, SobolSampler, sobolInteger, sobolPoint } from '../../../operator/samplers/sobol.js';
import { paramsKey, SearchSpace } from '../../../operator/space/space.js';
import { UnitCube } from '../../../operator/space/unit-cube.js';

/** SciPy's unscrambled points; see fixtures/sobol-unscrambled.py for how it was made. */
interface Fixture {
  dims: number;
  first: number[][];
  points: Record<string, number[]>;
  digests: Record<string, string>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sobol-unscrambled.json', import.meta.url), 'utf8')) as Fixture;

function integers(index: number, dims: number): number[] {
  return Array.from({ length: dims }, (_, d) => sobolInteger(index, d));
}

function digest(words: readonly number[]): string {
  let h = 2166136261;
  for (const w of words) h = Math.imul((h ^ w) >>> 0, 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function askMany(study: Study, n: number) {
  return Array.from({ length: n }, () => study.ask());
}

describe('the unscrambled Sobol sequence', () => {
  it('starts 0, 0.5, 0.75, 0.25 in the first dimension and 0, 0.5, 0.25, 0.75 in the second', () => {
    const points = [0, 1, 2, 3].map((i) => Array.from(sobolPoint(i, 2)));
    assert.deepEqual(points, [
      [0, 0],
      [0.5, 0.5],
      [0.75, 0.25],
      [0.25, 0.75],
    ]);
  });

  it("matches SciPy's first 64 points in 12 dimensions", () => {
    fixture.first.forEach((row, i) => assert.deepEqual(integers(i, row.length), row, `point ${i}`));
  });

  it(`matches SciPy in all ${MAX_SOBOL_DIMS} dimensions at far indices`, () => {
    assert.equal(fixture.dims, MAX_SOBOL_DIMS);
    for (const [index, row] of Object.entries(fixture.points)) assert.deepEqual(integers(Number(index), fixture.dims), row, `point ${index}`);
    for (const [index, expected] of Object.entries(fixture.digests)) {
      assert.equal(digest(integers(Number(index), fixture.dims)), expected, `digest of point ${index}`);
    }
  });

  it('rejects indices and dimensions outside the table', () => {
    assert.throws(() => sobolInteger(-1, 0), /index/);
    assert.throws(() => sobolInteger(2 ** 32, 0), /index/);
    assert.throws(() => sobolInteger(0, MAX_SOBOL_DIMS), /dimension/);
  });
});

describe('the scrambled Sobol sequence', () => {
  const dims = 24;
  const points = (seed: number, n: number) => Array.from({ length: n }, (_, i) => sobolPoint(i, dims, seed));

  it('stays inside [0, 1)', () => {
    for (const seed of [0, 1, 12345]) {
      for (const p of points(seed, 512)) for (const x of p) assert.ok(x >= 0 && x < 1, `${x} out of range`);
    }
  });

  it('puts exactly one of the first 2^k points in each of 2^k equal cells of every coordinate', () => {
    for (const seed of [0, 7, 2 ** 31 + 5]) {
      const ps = points(seed, 256);
      for (const k of [1, 2, 4, 6, 8]) {
        for (let d = 0; d < dims; d++) {
          const cells = new Set(ps.slice(0, 2 ** k).map((p) => Math.floor((p[d] as number) * 2 ** k)));
          assert.equal(cells.size, 2 ** k, `seed ${seed}, k ${k}, dimension ${d}`);
        }
      }
    }
  });

  it('keeps the first two coordinates a (0, m, 2)-net: one point in every dyadic box of area 2^-m', () => {
    const m = 8;
    const ps = points(3, 2 ** m);
    for (let a = 0; a <= m; a++) {
      const boxes = new Set(ps.map((p) => `${Math.floor((p[0] as number) * 2 ** a)},${Math.floor((p[1] as number) * 2 ** (m - a))}`));
      assert.equal(boxes.size, 2 ** m, `boxes of 2^-${a} x 2^-${m - a}`);
    }
  });

  it('is a pure function of (seed, index): the same seed gives the same points in any order', () => {
    const forward = points(42, 64);
    const backward = Array.from({ length: 64 }, (_, i) => sobolPoint(63 - i, dims, 42)).reverse();
    assert.deepEqual(forward, backward);
  });

  it('differs between seeds and from the unscrambled sequence', () => {
    const a = points(1, 16).flatMap((p) => Array.from(p));
    const b = points(2, 16).flatMap((p) => Array.from(p));
    const plain = Array.from({ length: 16 }, (_, i) => Array.from(sobolPoint(i, dims))).flat();
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(a, plain);
    assert.ok(a.every((x, i) => x !== b[i]), 'every coordinate moves with the seed');
  });

  it('uses full double precision, not multiples of 2^-32', () => {
    assert.ok(points(5, 32).some((p) => Array.from(p).some((x) => !Number.isInteger(x * 2 ** 32))));
  });
});

describe('SobolSampler', () => {
  const objective = { metric: 'loss', goal: 'minimize' } as const;
  const continuous = [
    { name: 'lr', type: 'float', min: 1e-5, max: 1, log: true },
    { name: 'dropout', type: 'float', min: 0, max: 0.5 },
    { name: 'layers', type: 'int', min: 1, max: 8 },
  ];

  it('is registered as "sobol"', () => {
    assert.equal(createSampler('sobol').name, 'sobol');
  });

  it('gives trial i the decoded point number i of the sequence scrambled with the study seed', () => {
    const study = new Study({ objective, parameters: continuous, algorithm: { name: 'sobol', seed: 9 } });
    const cube = new UnitCube(study.space);
    for (const { index, params } of askMany(study, 20)) assert.deepEqual(params, cube.decode(sobolPoint(index, cube.dims, 9)));
  });

  it('gives pending trials distinct points, and replays the same plan after a restart', () => {
    const first = new Study({ objective, parameters: continuous, algorithm: { name: 'sobol', seed: 3 } });
    const pending = askMany(first, 32);
    assert.equal(new Set(pending.map((t) => paramsKey(t.params))).size, 32);

    // A restarted engine sees the same history (some trials told, some still pending) and the
    // same trial indices, so it plans the same next points.
    const again = new Study({ objective, parameters: continuous, algorithm: { name: 'sobol', seed: 3 } });
    const replay = askMany(again, 16);
    replay.forEach((t, i) => again.tell(t.index, i));
    replay.push(...askMany(again, 16));
    assert.deepEqual(replay, pending);
  });

  it('never leaves the space and honours conditions and subsets', () => {
    const parameters = [
      { name: 'model', type: 'categorical', values: ['linear', 'mlp', 'cnn'] },
      { name: 'units', type: 'int', min: 8, max: 512, log: true, when: { model: ['mlp', 'cnn'] } },
      { name: 'kernel', type: 'int', min: 1, max: 7, step: 2, when: { model: 'cnn' } },
      { name: 'features', type: 'subset', values: ['a', 'b', 'c', 'd', 'e'], minSize: 2, maxSize: 3 },
      { name: 'lr', type: 'float', min: 0.001, max: 0.1, step: 0.001 },
    ];
    const study = new Study({ objective, parameters, algorithm: { name: 'sobol', seed: 11 } });
    const models = new Set<unknown>();
    for (const { params } of askMany(study, 64)) {
      assert.deepEqual(study.space.check(params), [], JSON.stringify(params));
      models.add(params.model);
    }
    assert.equal(models.size, 3);
  });

  it('covers a categorical evenly: 2^k trials split over 2^j values equally', () => {
    const parameters = [{ name: 'c', type: 'categorical', values: ['a', 'b', 'c', 'd'] }, { name: 'x', type: 'float', min: 0, max: 1 }];
    const study = new Study({ objective, parameters, algorithm: { name: 'sobol', seed: 21 } });
    const counts = new Map<unknown, number>();
    for (const { params } of askMany(study, 64)) counts.set(params.c, (counts.get(params.c) ?? 0) + 1);
    assert.deepEqual([...counts.values()], [16, 16, 16, 16]);
  });

  it('never repeats a configuration of a discrete space and then says it is exhausted', () => {
    const parameters = [
      { name: 'opt', type: 'categorical', values: ['sgd', 'adam', 'rmsprop'] },
      { name: 'batch', type: 'int', min: 16, max: 64, step: 16 },
      { name: 'bn', type: 'categorical', values: [true, false] },
    ];
    const study = new Study({ objective, parameters, algorithm: { name: 'sobol', seed: 5 } });
    const trials = askMany(study, 24);
    assert.equal(new Set(trials.map((t) => paramsKey(t.params))).size, 24);
    assert.throws(() => study.ask(), SearchExhaustedError);
  });

  it('fills coordinates past the direction table with seeded random values', () => {
    // Subsets hold at most 1,024 values, so two of them pass the table's 1,111 coordinates.
    const values = Array.from({ length: 600 }, (_, i) => `f${i}`);
    const space = SearchSpace.parse([
      { name: 'left', type: 'subset', values },
      { name: 'right', type: 'subset', values },
    ]);
    assert.ok(new UnitCube(space).dims > MAX_SOBOL_DIMS);
    const sampler = new SobolSampler();
    const ctx = (index: number) => ({ index, seed: 1, goal: 'minimize' as const, rng: new Rng(1, index, 'sobol') });
    const a = sampler.suggest(space, [], ctx(4));
    assert.deepEqual(a, sampler.suggest(space, [], ctx(4)));
    assert.ok('params' in a && space.check(a.params).length === 0);
    assert.notDeepEqual(a, sampler.suggest(space, [], ctx(5)));
  });

  it('rejects settings it does not have, naming the field', () => {
    assert.throws(() => createSampler('sobol', { scramble: 'yes' }), /\/algorithm\/settings\/scramble: .*true or false/);
    assert.throws(() => createSampler('sobol', { skip: 1 }), /\/algorithm\/settings\/skip: sobol has no setting "skip"/);
  });

  it('gives the plain sequence with { scramble: false }', () => {
    const parameters = [{ name: 'x', type: 'float', min: 0, max: 8 }];
    const study = new Study({ objective, parameters, algorithm: { name: 'sobol', settings: { scramble: false } } });
    assert.deepEqual(askMany(study, 4).map((t) => t.params.x), [0, 4, 6, 2]);
  });
});
