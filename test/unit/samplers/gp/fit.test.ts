/** MAP fit of the kernel hyperparameters: exact gradients, sensible lengthscales. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_MIN_NOISE, fitKernelParams, MapObjective } from '../../../../operator/samplers/gp/fit.js';
import { standardize } from '../../../../operator/samplers/gp/history.js';
import { Rng } from '../../../../operator/samplers/rng.js';

/** 1-D data on an even grid, standardised as the sampler does (negated loss). */
function data(f: (x: number) => number, n = 20): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
  return { x, y: standardize(x.map((v) => -f(v))) };
}

describe('MAP kernel fit', () => {
  it('has a gradient that matches finite differences (numeric and categorical dims)', () => {
    const rng = new Rng(5);
    const n = 15;
    const x = Float64Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? rng.next() : (rng.int(3) + 0.5) / 3));
    const y = standardize(Float64Array.from({ length: n }, () => rng.normal()));
    const objective = new MapObjective(x, y, n, 2, Uint8Array.of(0, 1), DEFAULT_MIN_NOISE, false);
    const theta = Float64Array.of(1.2, -0.3, 0.1, Math.log(0.05));
    const grad = new Float64Array(4);
    objective.evaluate(theta, grad);
    const scratch = new Float64Array(4);
    for (let k = 0; k < 4; k++) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[k] = (up[k] as number) + 1e-6;
      down[k] = (down[k] as number) - 1e-6;
      const fd = (objective.evaluate(up, scratch) - objective.evaluate(down, scratch)) / 2e-6;
      assert.ok(Math.abs((grad[k] as number) - fd) < 1e-5 * Math.max(1, Math.abs(fd)), `θ${k}: ${grad[k]} vs ${fd}`);
    }
  });

  it('finds a long lengthscale for a smooth trend and a short one for a wiggly function', () => {
    const flat = data((x) => 0.5 * x + 0.05 * x * x);
    const wiggly = data((x) => Math.sin(6 * Math.PI * x));
    const cat = Uint8Array.of(0);
    const pFlat = fitKernelParams(flat.x, flat.y, 20, 1, cat);
    const pWiggly = fitKernelParams(wiggly.x, wiggly.y, 20, 1, cat);
    const lFlat = 1 / Math.sqrt(pFlat.invSqLengthscales[0] as number);
    const lWiggly = 1 / Math.sqrt(pWiggly.invSqLengthscales[0] as number);
    assert.ok(lFlat > 0.5, `smooth trend: ℓ = ${lFlat}`);
    assert.ok(lWiggly < 0.2, `three periods on [0, 1]: ℓ = ${lWiggly}`);
    // Both explained by the function, not by noise.
    assert.ok(pFlat.noise < 0.05 && pWiggly.noise < 0.05, `noise ${pFlat.noise}, ${pWiggly.noise}`);
  });

  it('restarts: a short-lengthscale start finds a better optimum than Optuna’s start alone on a wiggly function', () => {
    const { x, y } = data((v) => Math.sin(6 * Math.PI * v));
    const cat = Uint8Array.of(0);
    const objective = new MapObjective(x, y, 20, 1, cat, DEFAULT_MIN_NOISE, false);
    const lossOf = (p: { invSqLengthscales: Float64Array; scale: number; noise: number }) =>
      objective.evaluate(Float64Array.of(Math.log(p.invSqLengthscales[0] as number), Math.log(p.scale), Math.log(p.noise - DEFAULT_MIN_NOISE)), new Float64Array(3));
    const single = fitKernelParams(x, y, 20, 1, cat, { starts: 1 });
    const restarted = fitKernelParams(x, y, 20, 1, cat, { starts: 2 });
    assert.ok(lossOf(restarted) < lossOf(single) - 1, `${lossOf(restarted)} vs ${lossOf(single)}`);
    assert.ok(single.noise > 10 * restarted.noise); // alone, it explained the wiggles as noise
  });

  it('puts the weight on the dimension that matters (ARD)', () => {
    const rng = new Rng(8);
    const n = 40;
    const x = Float64Array.from({ length: n * 2 }, () => rng.next());
    const y = standardize(Float64Array.from({ length: n }, (_, i) => -Math.sin(5 * (x[2 * i] as number))));
    const p = fitKernelParams(x, y, n, 2, Uint8Array.of(0, 0));
    assert.ok((p.invSqLengthscales[0] as number) > 10 * (p.invSqLengthscales[1] as number), `${p.invSqLengthscales}`);
  });

  it('keeps the noise at its floor for a deterministic objective, and is deterministic itself', () => {
    const { x, y } = data((v) => Math.cos(4 * v));
    const a = fitKernelParams(x, y, 20, 1, Uint8Array.of(0), { deterministic: true });
    const b = fitKernelParams(x, y, 20, 1, Uint8Array.of(0), { deterministic: true });
    assert.equal(a.noise, DEFAULT_MIN_NOISE);
    assert.deepEqual(a, b);
  });
});
