import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { problems, regretOf } from '../../../bench/samplers/problems.js';
import { Rng } from '../../../operator/samplers/rng.js';
import { sampleUniform } from '../../../operator/samplers/random.js';
import { SearchSpace } from '../../../operator/space/space.js';
import type { Params } from '../../../operator/space/types.js';

const pythonProblems = fileURLToPath(new URL('../../../bench/samplers/problems.py', import.meta.url));
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;

/** Known minimisers: evaluating there must give the recorded f* (to the precision it is known). */
const minimisers: Record<string, Params> = {
  branin: { x1: Math.PI, x2: 2.275 },
  hartmann6: { x1: 0.20168951, x2: 0.15001069, x3: 0.47687397, x4: 0.27533243, x5: 0.31165162, x6: 0.65730053 },
  rosenbrock4: { x1: 1, x2: 1, x3: 1, x4: 1 },
  ackley5: { x1: 0, x2: 0, x3: 0, x4: 0, x5: 0 },
  'styblinski-tang10': Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x${i + 1}`, -2.903534027771177])),
  'mixed-conditional': { model: 'branin', x1: -Math.PI, x2: 12.275, units: 32, lr: 10 ** -2.5 },
};

describe('the samplers benchmark problems', () => {
  it('have valid spaces and reach their recorded minimum at the known minimiser', () => {
    assert.deepEqual(problems.map((p) => p.name).sort(), Object.keys(minimisers).sort());
    for (const p of problems) {
      const space = SearchSpace.parse(p.parameters);
      const x = minimisers[p.name] as Params;
      assert.deepEqual(space.check(x), [], p.name);
      assert.ok(Math.abs(p.evaluate(x) - p.fStar) < 1e-9, `${p.name}: f(x*) = ${p.evaluate(x)}, f* = ${p.fStar}`);
    }
  });

  it('never go below their minimum on random points, and regret is never negative', () => {
    for (const p of problems) {
      const space = SearchSpace.parse(p.parameters);
      for (let i = 0; i < 500; i++) {
        const value = p.evaluate(sampleUniform(space, new Rng(1, i, p.name)));
        assert.ok(value >= p.fStar - 1e-9, `${p.name}: ${value} < ${p.fStar}`);
        assert.ok(regretOf(p, value) >= 0);
      }
    }
  });

  it('compute the same values in TypeScript and in Python (the Optuna side)', { skip: python === undefined && 'python3 not found' }, () => {
    const points = problems.flatMap((p) => {
      const space = SearchSpace.parse(p.parameters);
      const random = Array.from({ length: 20 }, (_, i) => sampleUniform(space, new Rng(7, i, p.name)));
      return [minimisers[p.name] as Params, ...random].map((params) => ({ problem: p.name, params }));
    });
    // Every branch of the conditional problem must be exercised.
    const models = new Set(points.filter((x) => x.problem === 'mixed-conditional').map((x) => x.params.model));
    assert.equal(models.size, 3);
    const out = spawnSync(python as string, [pythonProblems], { input: JSON.stringify(points), encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const theirs = JSON.parse(out.stdout) as number[];
    points.forEach((x, i) => {
      const ours = problems.find((p) => p.name === x.problem)!.evaluate(x.params);
      const diff = Math.abs(ours - (theirs[i] as number));
      assert.ok(diff <= 1e-12 * Math.max(1, Math.abs(ours)), `${x.problem} ${JSON.stringify(x.params)}: ${ours} vs ${theirs[i]}`);
    });
  });
});
