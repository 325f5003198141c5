/** The projected L-BFGS used for the MAP fit and the acquisition's local search. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { minimize } from '../../../../operator/samplers/gp/lbfgs.js';

describe('projected L-BFGS', () => {
  it('finds the minimum of the Rosenbrock valley from the classic start', () => {
    const result = minimize(
      (x, g) => {
        const [a, b] = [x[0] as number, x[1] as number];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { maxIter: 500, gtol: 1e-8, ftol: 0 },
    );
    assert.ok(Math.abs((result.x[0] as number) - 1) < 1e-4 && Math.abs((result.x[1] as number) - 1) < 1e-4, `${result.x}`);
  });

  it('stops at the box when the unconstrained minimum lies outside it', () => {
    const result = minimize(
      (x, g) => {
        g[0] = 2 * ((x[0] as number) - 2);
        g[1] = 2 * ((x[1] as number) + 1);
        g[2] = 2 * ((x[2] as number) - 0.5);
        return ((x[0] as number) - 2) ** 2 + ((x[1] as number) + 1) ** 2 + ((x[2] as number) - 0.5) ** 2;
      },
      Float64Array.of(0.5, 0.5, 0.9),
      { lower: new Float64Array(3), upper: Float64Array.of(1, 1, 1) },
    );
    assert.deepEqual(Array.from(result.x.subarray(0, 2)), [1, 0]);
    assert.ok(Math.abs((result.x[2] as number) - 0.5) < 1e-6);
  });

  it('never evaluates outside the box and tolerates a non-finite region by backing off', () => {
    const result = minimize(
      (x, g) => {
        const v = x[0] as number;
        assert.ok(v >= -1 && v <= 3);
        g[0] = 2 * (v - 2.5);
        return v > 2.8 ? Number.POSITIVE_INFINITY : (v - 2.5) ** 2;
      },
      Float64Array.of(0),
      { lower: Float64Array.of(-1), upper: Float64Array.of(3) },
    );
    assert.ok(Math.abs((result.x[0] as number) - 2.5) < 1e-4, `${result.x}`);
  });
});
