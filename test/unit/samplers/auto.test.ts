/**
 * `auto`: the rule (grid / tpe / gp from the space and the budget), that it delegates exactly —
 * the same trials as the chosen sampler with the same seed — that its choice does not depend on
 * the history, and that the engine passes it the budget.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { resolveStudy } from '../../../operator/api/validate.js';
import { samplerSettings } from '../../../operator/engine/compile.js';
import { SpecError } from '../../../operator/api/issues.js';
import { AutoSampler, chooseSampler, DEFAULT_AUTO_OPTIONS, parseAutoOptions } from '../../../operator/samplers/auto.js';
import { createSampler } from '../../../operator/samplers/registry.js';
import { SearchSpace } from '../../../operator/space/space.js';
import type { Params } from '../../../operator/space/types.js';
import { runSequential } from './helpers.js';

const continuous = (n: number) => SearchSpace.parse(Array.from({ length: n }, (_, i) => ({ name: `x${i}`, type: 'float', min: -1, max: 1 })));
const discrete = SearchSpace.parse([
  { name: 'layers', type: 'int', min: 1, max: 4 },
  { name: 'opt', type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
  { name: 'dropout', type: 'float', min: 0, max: 0.5, step: 0.1 },
]); // 4 * 3 * 6 = 72 configurations
const conditional = SearchSpace.parse([
  { name: 'opt', type: 'categorical', values: ['adam', 'sgd'] },
  { name: 'lr', type: 'float', min: 1e-4, max: 1, log: true },
  { name: 'momentum', type: 'float', min: 0, max: 0.99, when: { opt: 'sgd' } },
]);
const opts = (budget: number) => ({ ...DEFAULT_AUTO_OPTIONS, budget });
const sphere = (p: Params) => Object.values(p).reduce<number>((s, v) => s + (typeof v === 'number' ? v * v : 0), 0);

describe('auto: the rule', () => {
  it('runs grid when every parameter is discrete and the grid fits the budget', () => {
    assert.equal(chooseSampler(discrete, opts(72)).name, 'grid');
    assert.equal(chooseSampler(discrete, opts(100)).name, 'grid');
  });

  it('does not run grid when the budget cannot cover the grid', () => {
    assert.equal(chooseSampler(discrete, opts(71)).name, 'gp');
  });

  it('runs tpe for conditional spaces, and for many parameters or long budgets that CMA-ES cannot take', () => {
    assert.equal(chooseSampler(conditional, opts(500)).name, 'tpe');
    assert.equal(chooseSampler(continuous(11), opts(50)).name, 'tpe');
    const withCategorical = SearchSpace.parse([{ name: 'x', type: 'float', min: 0, max: 1 }, { name: 'c', type: 'categorical', values: ['a', 'b'] }]);
    assert.equal(chooseSampler(withCategorical, opts(301)).name, 'tpe');
  });

  it('runs gp for small unconditional spaces, even where CMA-ES would have its 20 generations', () => {
    assert.equal(chooseSampler(continuous(2), opts(100)).name, 'gp');
    assert.equal(chooseSampler(continuous(2), opts(120)).name, 'gp');
    assert.equal(chooseSampler(continuous(10), opts(300)).name, 'gp');
    assert.equal(chooseSampler(discrete, opts(71)).name, 'gp');
    assert.match(chooseSampler(continuous(2), opts(100)).why, /2 unconditional parameters/);
  });

  it('runs cmaes past gp\'s limits for numeric spaces once the budget covers 20 generations of its population', () => {
    // Population 4 + floor(3 ln d): 6 in 2-D (120 trials), 11 in 11-D (220), 12 in 20-D (240).
    assert.equal(chooseSampler(continuous(2), opts(301)).name, 'cmaes');
    assert.equal(chooseSampler(continuous(11), opts(220)).name, 'cmaes');
    assert.equal(chooseSampler(continuous(11), opts(219)).name, 'tpe');
    assert.equal(chooseSampler(continuous(20), opts(240)).name, 'cmaes');
    assert.equal(chooseSampler(continuous(20), opts(239)).name, 'tpe');
  });

  it('assumes a budget of 200 when none is given', () => {
    assert.equal(parseAutoOptions({}).budget, 200);
  });

  it('reports every bad setting with its path', () => {
    assert.throws(() => parseAutoOptions({ budget: 0, nope: 1 }), (err: unknown) => {
      assert.ok(err instanceof SpecError);
      assert.deepEqual(err.issues.map((i) => i.path).sort(), ['/algorithm/settings/budget', '/algorithm/settings/nope']);
      return true;
    });
  });
});

describe('auto: delegation', () => {
  it('proposes exactly the trials of the sampler it chose, with the same seed', () => {
    const cases: [SearchSpace, string, number, number][] = [
      [continuous(2), 'gp', 16, 100], [continuous(2), 'cmaes', 30, 400], [conditional, 'tpe', 30, 200], [discrete, 'grid', 20, 100],
    ];
    for (const [space, name, n, budget] of cases) {
      const auto = createSampler('auto', { budget });
      assert.equal((auto as AutoSampler).choice(space), name);
      const a = runSequential(auto, space, n, sphere, 5);
      const b = runSequential(createSampler(name), space, n, sphere, 5);
      assert.deepEqual(a.map((t) => t.params), b.map((t) => t.params), name);
    }
  });

  it('keeps its choice whatever the history holds', () => {
    const auto = new AutoSampler(opts(200));
    const space = continuous(3);
    const before = auto.choice(space);
    runSequential(auto, space, 12, sphere, 1);
    assert.equal(auto.choice(space), before);
    assert.equal(new AutoSampler(opts(200)).choice(space), before);
  });
});

describe('auto: the budget comes from the spec', () => {
  const spec = (settings?: Record<string, unknown>) =>
    resolveStudy({
      apiVersion: 'kubetune.io/v1alpha1',
      kind: 'TuningStudy',
      metadata: { name: 's' },
      spec: {
        objective: { metric: 'loss', goal: 'minimize' },
        parameters: [{ name: 'x', type: 'float', min: 0, max: 1 }],
        algorithm: { name: 'auto', ...(settings ? { settings } : {}) },
        budget: { maxTrials: 500 },
        template: { command: ['true'] },
      },
    });

  it('fills settings.budget from budget.maxTrials, and leaves an explicit one alone', () => {
    assert.equal(samplerSettings(spec()).budget, 500);
    assert.equal(samplerSettings(spec({ budget: 40 })).budget, 40);
  });
});
