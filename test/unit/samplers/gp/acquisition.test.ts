/** Log expected improvement: equal to log(EI) where EI is computable, finite and smooth beyond. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { logEi, logEiWithGrad, logH, STABILIZING_NOISE } from '../../../../operator/samplers/gp/acquisition.js';
import { normCdf, normPdf } from '../../../../operator/samplers/gp/normal.js';

/** h(z) = φ(z) + zΦ(z) the naive way; accurate for z ≥ -5. */
const naiveH = (z: number) => normPdf(z) + z * normCdf(z);

describe('logEI', () => {
  it('equals log(φ(z) + zΦ(z)) where the plain form is accurate (z in [-5, 5])', () => {
    for (let z = -5; z <= 5; z += 0.25) {
      const want = Math.log(naiveH(z));
      assert.ok(Math.abs(logH(z) - want) < 1e-9 * Math.max(1, Math.abs(want)), `z=${z}: ${logH(z)} vs ${want}`);
    }
  });

  it('matches a direct Monte-Carlo-free check: EI of N(μ, σ²) above best is σ·h((μ - best)/σ)', () => {
    const [mean, variance, best] = [0.3, 0.49, 0.5];
    const sigma = Math.sqrt(variance + STABILIZING_NOISE);
    assert.ok(Math.abs(logEi(mean, variance, best) - Math.log(sigma * naiveH((mean - best) / sigma))) < 1e-12);
  });

  it('stays finite, increasing and close to the asymptote far in the tail, where EI underflows to 0', () => {
    let previous = Number.NEGATIVE_INFINITY;
    for (const z of [-1e12, -1e9, -1e8, -1e6, -1e4, -1e3, -100, -40, -38, -30, -10, -1.0001, -1, -0.9999]) {
      const v = logH(z);
      assert.ok(Number.isFinite(v), `z=${z}`);
      assert.ok(v > previous, `not increasing at z=${z}`);
      previous = v;
    }
    assert.equal(naiveH(-40), 0); // what plain EI would give
    // log h(z) ≈ -z²/2 - log√(2π) - 2 log|z| for z → -∞.
    const z = -1e3;
    const asymptote = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z);
    assert.ok(Math.abs(logH(z) - asymptote) < 1e-5);
    // Continuous across the regime switches.
    for (const edge of [-1, -1 / Math.sqrt(Number.EPSILON)]) {
      assert.ok(Math.abs(logH(edge * (1 + 1e-12)) - logH(edge * (1 - 1e-12))) < 1e-6 * Math.abs(logH(edge)), `jump at ${edge}`);
    }
  });

  it('has derivatives that agree with finite differences, tail included', () => {
    for (const [mean, variance, best] of [
      [0.1, 0.2, 0.5],
      [1.2, 0.05, 0.5],
      [-3, 0.01, 1], // z ≈ -40
      [-30, 1e-4, 1], // z ≈ -3100
    ] as const) {
      const { value, dMean, dVariance } = logEiWithGrad(mean, variance, best);
      assert.equal(value, logEi(mean, variance, best));
      const hm = 1e-6 * Math.max(1, Math.abs(mean));
      const hv = 1e-6 * variance;
      const fdMean = (logEi(mean + hm, variance, best) - logEi(mean - hm, variance, best)) / (2 * hm);
      const fdVar = (logEi(mean, variance + hv, best) - logEi(mean, variance - hv, best)) / (2 * hv);
      assert.ok(Math.abs(dMean - fdMean) < 1e-5 * Math.max(1, Math.abs(fdMean)), `dMean ${dMean} vs ${fdMean}`);
      assert.ok(Math.abs(dVariance - fdVar) < 1e-4 * Math.max(1, Math.abs(fdVar)), `dVariance ${dVariance} vs ${fdVar}`);
    }
  });
});
