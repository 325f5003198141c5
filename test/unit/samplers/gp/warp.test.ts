/** Output warping: Yeo-Johnson with a maximum-likelihood λ, order kept, tails shrunk. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitYeoJohnsonLambda, warpLosses, yeoJohnson, yeoJohnsonLogLikelihood } from '../../../../operator/samplers/gp/warp.js';
import { Rng } from '../../../../operator/samplers/rng.js';

const zScores = (v: Float64Array) => {
  const n = v.length;
  const m = v.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / n);
  return v.map((x) => (x - m) / s);
};

describe('Yeo-Johnson output warp', () => {
  it('is the identity at λ = 1, log(1 + z) at λ = 0 and continuous in λ there', () => {
    for (const z of [-3, -0.5, 0, 0.7, 4]) {
      assert.ok(Math.abs(yeoJohnson(z, 1) - z) < 1e-12);
      assert.ok(Math.abs(yeoJohnson(z, 1e-6) - yeoJohnson(z, 0)) < 1e-4);
      assert.ok(Math.abs(yeoJohnson(z, 2 - 1e-6) - yeoJohnson(z, 2)) < 1e-4);
    }
    assert.equal(yeoJohnson(3, 0), Math.log(4));
    assert.equal(yeoJohnson(-3, 2), -Math.log(4));
  });

  it('finds λ ≈ 1 for Gaussian data, λ < 1 for a long right tail and λ > 1 for a long left one', () => {
    const rng = new Rng(3);
    const gauss = Float64Array.from({ length: 400 }, () => rng.normal());
    const lognormal = gauss.map((g) => Math.exp(1.5 * g));
    assert.ok(Math.abs(fitYeoJohnsonLambda(zScores(gauss)) - 1) < 0.2);
    assert.ok(fitYeoJohnsonLambda(zScores(lognormal)) < 0.5);
    assert.ok(fitYeoJohnsonLambda(zScores(lognormal.map((v) => -v))) > 1.5);
  });

  it('picks the λ of largest likelihood (checked on a grid)', () => {
    const rng = new Rng(8);
    const z = zScores(Float64Array.from({ length: 60 }, () => Math.exp(rng.normal()) + 0.3 * rng.normal()));
    const lambda = fitYeoJohnsonLambda(z);
    const best = yeoJohnsonLogLikelihood(z, lambda);
    for (let l = -3; l <= 5; l += 0.05) assert.ok(yeoJohnsonLogLikelihood(z, l) <= best + 1e-9, `λ=${l}`);
  });

  it('keeps the order of the losses and shrinks a huge outlier', () => {
    const losses = Float64Array.of(1.2, 0.9, 3, 1e6, 0.4, 2.5, 1.1, 40);
    const w = warpLosses(losses, 'yeo-johnson');
    for (let i = 0; i < losses.length; i++) {
      for (let j = 0; j < losses.length; j++) if ((losses[i] as number) < (losses[j] as number)) assert.ok((w[i] as number) < (w[j] as number));
    }
    // Standardised, the good losses are no longer a hair apart: the best and the median trial
    // differ by a sizeable fraction of the spread.
    const z = zScores(w);
    const plain = zScores(losses);
    assert.ok((z[1] as number) - (z[4] as number) > 5 * ((plain[1] as number) - (plain[4] as number)));
  });

  it('returns short, constant or unwarped input unchanged', () => {
    const two = Float64Array.of(1, 2);
    assert.equal(warpLosses(two, 'yeo-johnson'), two);
    const flat = Float64Array.of(4, 4, 4);
    assert.equal(warpLosses(flat, 'yeo-johnson'), flat);
    const some = Float64Array.of(3, 1, 2, 8);
    assert.equal(warpLosses(some, 'none'), some);
  });
});
