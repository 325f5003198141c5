import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { pedAnovaImportance, topSet, type ImportanceObservation } from '../../../operator/report/importance.js';
import { categoricalDensity, normalCdf, orderedDensity } from '../../../operator/report/parzen1d.js';
import { Rng } from '../../../operator/samplers/rng.js';
import type { ParamSpec, Params } from '../../../operator/space/types.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** `n` uniformly random parameter sets over floats in [0, 1] and the given categoricals. */
function randomObservations(n: number, names: string[], loss: (p: Record<string, number>) => number, seed = 7): ImportanceObservation[] {
  const rng = new Rng(seed, 'importance-test');
  const out: ImportanceObservation[] = [];
  for (let i = 0; i < n; i++) {
    const p: Record<string, number> = {};
    for (const name of names) p[name] = rng.next();
    out.push({ params: p, loss: loss(p) });
  }
  return out;
}

const unitFloat = (name: string): ParamSpec => ({ name, type: 'float', min: 0, max: 1 });
const share = (r: ReturnType<typeof pedAnovaImportance>, name: string) => r.importances.find((i) => i.name === name)?.importance ?? NaN;

describe('parzen1d densities', () => {
  it('computes the normal CDF closely enough', () => {
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalCdf(1.96) - 0.975) < 1e-4);
    assert.ok(Math.abs(normalCdf(-1.96) - 0.025) < 1e-4);
  });

  it('gives a probability per bin that sums to one, peaked where the counts are', () => {
    const pdf = orderedDensity([0, 0, 10, 0, 0, 0, 0, 0]);
    assert.ok(Math.abs(sum(pdf) - 1) < 1e-9);
    assert.equal(pdf.indexOf(Math.max(...pdf)), 2);
    const cat = categoricalDensity([5, 0, 1]);
    assert.ok(Math.abs(sum(cat) - 1) < 1e-9);
    assert.ok(cat[0]! > cat[2]! && cat[2]! > cat[1]! && cat[1]! > 0, 'the prior keeps unseen categories above zero');
  });
});

describe('pedAnovaImportance', () => {
  it('ranks the only parameter the objective depends on first', () => {
    const obs = randomObservations(300, ['x1', 'x2', 'x3'], (p) => (p.x1! - 0.3) ** 2);
    const r = pedAnovaImportance([unitFloat('x1'), unitFloat('x2'), unitFloat('x3')], obs);
    assert.equal(r.importances[0]!.name, 'x1');
    assert.ok(share(r, 'x1') > 0.8, `x1 share ${share(r, 'x1')}`);
    assert.ok(Math.abs(sum(r.importances.map((i) => i.importance)) - 1) < 1e-9);
    assert.equal(r.trials, 300);
    assert.equal(r.topTrials, 30);
  });

  it('orders parameters by how strongly the objective depends on them', () => {
    const obs = randomObservations(400, ['a', 'b', 'c'], (p) => 10 * Math.abs(p.a! - 0.5) + 2 * Math.abs(p.b! - 0.5));
    const r = pedAnovaImportance([unitFloat('c'), unitFloat('b'), unitFloat('a')], obs);
    assert.deepEqual(r.importances.map((i) => i.name), ['a', 'b', 'c']);
  });

  it('treats lower loss as better, so a maximised objective arrives negated', () => {
    const obs = randomObservations(200, ['x1', 'x2'], (p) => -p.x2!);
    const r = pedAnovaImportance([unitFloat('x1'), unitFloat('x2')], obs);
    assert.equal(r.importances[0]!.name, 'x2');
  });

  it('finds an important categorical and handles log-scale and int parameters', () => {
    const rng = new Rng(3, 'cat');
    const kinds = ['adam', 'sgd', 'rmsprop'];
    const obs: ImportanceObservation[] = [];
    for (let i = 0; i < 300; i++) {
      const params: Params = { opt: kinds[rng.int(3)]!, lr: Math.exp(rng.uniform(Math.log(1e-5), Math.log(1e-1))), layers: 1 + rng.int(4) };
      obs.push({ params, loss: (params.opt === 'sgd' ? 0 : 1) + 0.01 * rng.next() });
    }
    const parameters: ParamSpec[] = [
      { name: 'lr', type: 'float', min: 1e-5, max: 1e-1, log: true },
      { name: 'layers', type: 'int', min: 1, max: 4 },
      { name: 'opt', type: 'categorical', values: kinds },
    ];
    const r = pedAnovaImportance(parameters, obs);
    assert.equal(r.importances[0]!.name, 'opt');
    assert.ok(share(r, 'opt') > 0.7, `opt share ${share(r, 'opt')}`);
  });

  it('gives a single-valued parameter zero and shares equally when there are too few trials', () => {
    const parameters: ParamSpec[] = [unitFloat('x'), { name: 'fixed', type: 'categorical', values: ['only'] }, unitFloat('y')];
    const few = pedAnovaImportance(parameters, [
      { params: { x: 0.1, fixed: 'only', y: 0.2 }, loss: 1 },
      { params: { x: 0.7, fixed: 'only', y: 0.9 }, loss: 2 },
    ]);
    assert.deepEqual(few.importances, [
      { name: 'x', importance: 0.5 },
      { name: 'y', importance: 0.5 },
      { name: 'fixed', importance: 0 },
    ]);
    assert.match(few.note ?? '', /only 2 completed trials/);
  });

  it('judges a conditional parameter on the trials where it is active', () => {
    const rng = new Rng(11, 'cond');
    const obs: ImportanceObservation[] = [];
    for (let i = 0; i < 300; i++) {
      const kind = rng.next() < 0.5 ? 'a' : 'b';
      const params: Params = kind === 'a' ? { kind, depth: rng.next(), noise: rng.next() } : { kind, noise: rng.next() };
      obs.push({ params, loss: kind === 'a' ? Math.abs((params.depth as number) - 0.2) : 1 + rng.next() });
    }
    const r = pedAnovaImportance(
      [{ name: 'kind', type: 'categorical', values: ['a', 'b'] }, { ...unitFloat('depth'), when: { kind: 'a' } }, unitFloat('noise')],
      obs,
    );
    assert.equal(r.importances.at(-1)!.name, 'noise');
  });

  it('keeps every trial tied at the cutoff in the top set', () => {
    const obs = [1, 2, 2, 2, 3, 4, 5, 6, 7, 8].map((loss, i) => ({ params: { x: i / 10 }, loss }));
    assert.deepEqual(topSet(obs, 0.2, 2).map((o) => o.loss), [1, 2, 2, 2]);
  });

  it('ignores non-finite losses and rejects a quantile outside (0, 1]', () => {
    const obs = randomObservations(50, ['x'], (p) => p.x!);
    obs.push({ params: { x: 0.5 }, loss: Number.NaN });
    assert.equal(pedAnovaImportance([unitFloat('x')], obs).trials, 50);
    assert.throws(() => pedAnovaImportance([unitFloat('x')], obs, { baselineQuantile: 0 }), /baselineQuantile/);
  });
});
