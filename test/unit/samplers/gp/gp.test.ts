/**
 * The GP posterior on a case small enough to do by hand: two training points in 1-D with fixed
 * hyperparameters, where C is 2 × 2 and its inverse is written out. Also the Matérn-5/2 formula,
 * the gradients, the batched prediction and the kriging believer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GpPosterior } from '../../../../operator/samplers/gp/gp.js';
import { crossKernel, type KernelParams, matern52, matern52Deriv } from '../../../../operator/samplers/gp/kernel.js';
import { Rng } from '../../../../operator/samplers/rng.js';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

describe('Matérn-5/2 kernel', () => {
  it('equals (1 + √5 r + 5/3 r²) exp(-√5 r) (values from Python)', () => {
    close(matern52(0), 1, 0);
    close(matern52(0.25), 0.8286491424181253, 1e-15, 'r=0.5');
    close(matern52(1), 0.5239941088318203, 1e-15, 'r=1');
    close(matern52(4), 0.13866021913850426, 1e-15, 'r=2');
  });

  it('has the derivative in r² that finite differences give, finite at 0', () => {
    close(matern52Deriv(0), -5 / 6, 1e-15);
    for (const r2 of [0.01, 0.3, 2]) close(matern52Deriv(r2), (matern52(r2 + 1e-7) - matern52(r2 - 1e-7)) / 2e-7, 1e-7, `r2=${r2}`);
  });

  it('uses Hamming distance on categorical coordinates and ARD lengthscales on numeric ones', () => {
    const params: KernelParams = { invSqLengthscales: Float64Array.of(4, 2), scale: 2, noise: 0 };
    const out = new Float64Array(2);
    // Point (0.1, 0.25) against (0.6, 0.25) [same category] and (0.1, 0.75) [other category].
    crossKernel(Float64Array.of(0.1, 0.25), 0, Float64Array.of(0.6, 0.25, 0.1, 0.75), 2, 2, Uint8Array.of(0, 1), params, out);
    close(out[0] as number, 2 * matern52(0.25 * 4), 1e-15);
    close(out[1] as number, 2 * matern52(1 * 2), 1e-15);
  });
});

describe('GP posterior', () => {
  // Two points, fixed hyperparameters: ℓ = 0.3, scale 1.5, noise 0.01.
  const params: KernelParams = { invSqLengthscales: Float64Array.of(1 / 0.09), scale: 1.5, noise: 0.01 };
  const x = Float64Array.of(0.2, 0.7);
  const y = Float64Array.of(1, -0.5);
  const k = (a: number, b: number) => 1.5 * matern52(((a - b) * (a - b)) / 0.09);

  /** Closed form with the 2 × 2 inverse [[c, -b], [-b, c]] / (c² - b²). */
  function byHand(t: number): { mean: number; variance: number } {
    const c = 1.5 + 0.01;
    const b = k(0.2, 0.7);
    const det = c * c - b * b;
    const k1 = k(t, 0.2);
    const k2 = k(t, 0.7);
    const w1 = (c * k1 - b * k2) / det; // (C⁻¹ k*)₁
    const w2 = (-b * k1 + c * k2) / det;
    return { mean: w1 * 1 + w2 * -0.5, variance: 1.5 - (w1 * k1 + w2 * k2) };
  }

  const gp = GpPosterior.condition(x, y, 2, 1, Uint8Array.of(0), params);

  it('has the closed-form mean and variance at test points', () => {
    for (const t of [0, 0.2, 0.45, 0.7, 1]) {
      const got = gp.predict(Float64Array.of(t), 0);
      const want = byHand(t);
      close(got.mean, want.mean, 1e-12, `mean at ${t}`);
      close(got.variance, want.variance, 1e-12, `variance at ${t}`);
    }
    // Sanity of the hand formula itself: near-interpolation at a training point, prior far away.
    close(byHand(0.2).mean, 1, 0.02);
    const far = GpPosterior.condition(x, y, 2, 1, Uint8Array.of(0), params).predict(Float64Array.of(50), 0);
    close(far.mean, 0, 1e-12);
    close(far.variance, 1.5, 1e-12);
  });

  it('gives gradients of mean and variance that agree with finite differences', () => {
    const rng = new Rng(3);
    const n = 12;
    const d = 3;
    const xs = Float64Array.from({ length: n * d }, () => rng.next());
    const ys = Float64Array.from({ length: n }, () => rng.normal());
    const p: KernelParams = { invSqLengthscales: Float64Array.of(5, 1, 20), scale: 0.8, noise: 1e-4 };
    const model = GpPosterior.condition(xs, ys, n, d, new Uint8Array(d), p);
    const at = Float64Array.of(0.3, 0.6, 0.45);
    const gm = new Float64Array(d);
    const gv = new Float64Array(d);
    const { mean, variance } = model.predictWithGrad(at, gm, gv);
    close(mean, model.predict(at, 0).mean, 1e-12);
    close(variance, model.predict(at, 0).variance, 1e-12);
    for (let j = 0; j < d; j++) {
      const up = Float64Array.from(at);
      const down = Float64Array.from(at);
      up[j] = (up[j] as number) + 1e-6;
      down[j] = (down[j] as number) - 1e-6;
      const a = model.predict(up, 0);
      const b = model.predict(down, 0);
      close(gm[j] as number, (a.mean - b.mean) / 2e-6, 1e-5, `dmean/dx${j}`);
      close(gv[j] as number, (a.variance - b.variance) / 2e-6, 1e-5, `dvar/dx${j}`);
    }
  });

  it('predicts a batch exactly as point by point', () => {
    const rng = new Rng(4);
    const n = 9;
    const xs = Float64Array.from({ length: n * 2 }, () => rng.next());
    const model = GpPosterior.condition(xs, Float64Array.from({ length: n }, () => rng.normal()), n, 2, Uint8Array.of(0, 1), params2());
    const count = 19; // two blocks of eight and a remainder
    const cand = Float64Array.from({ length: count * 2 }, () => rng.next());
    const means = new Float64Array(count);
    const vars = new Float64Array(count);
    model.predictBatch(cand, count, means, vars);
    for (let r = 0; r < count; r++) {
      const one = model.predict(cand, r);
      close(means[r] as number, one.mean, 1e-12);
      close(vars[r] as number, one.variance, 1e-12);
    }
  });

  it('kriging believer: the mean is unchanged everywhere, the variance collapses at the pending point', () => {
    const pending = Float64Array.of(0.45);
    const believed = gp.withBelieved(pending, 1);
    for (const t of [0, 0.3, 0.45, 0.9]) close(believed.predict(Float64Array.of(t), 0).mean, gp.predict(Float64Array.of(t), 0).mean, 1e-10, `mean at ${t}`);
    const before = gp.predict(pending, 0).variance;
    const after = believed.predict(pending, 0).variance;
    assert.ok(before > 0.1, `${before}`);
    assert.ok(after < 0.011, `${after}`); // about the noise variance
    assert.equal(gp.withBelieved(new Float64Array(0), 0), gp);
  });
});

function params2(): KernelParams {
  return { invSqLengthscales: Float64Array.of(3, 1), scale: 1, noise: 1e-3 };
}
