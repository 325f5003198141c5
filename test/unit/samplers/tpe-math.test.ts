/**
 * The math half of TPE: erf and the truncated normal against SciPy (an oracle exported once,
 * see fixtures/truncnorm.py), the bandwidth rule, the named defaults, and the Parzen estimator
 * as a density (it integrates to one, and matches a case worked by hand).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Rng } from '../../../operator/samplers/rng.js';
import { neighbourGapSigmas, sortedOrder } from '../../../operator/samplers/tpe/bandwidth.js';
import { defaultGamma, defaultWeights } from '../../../operator/samplers/tpe/defaults.js';
import { erfc } from '../../../operator/samplers/tpe/erf.js';
import { type Dimension, ParzenEstimator } from '../../../operator/samplers/tpe/parzen.js';
import { logGaussMass, logNdtr, logPdf, ppf } from '../../../operator/samplers/tpe/truncnorm.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/truncnorm.json', import.meta.url), 'utf8')) as {
  erfc: [number, number][];
  log_ndtr: [number, number][];
  truncnorm_logpdf: [number, number, number, number][];
  truncnorm_ppf: [number, number, number, number][];
  optuna_parzen: { observations: Record<string, number[]>; points: Record<string, number[]>; log_pdf: number[] }[];
};

function close(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= rel, `${what}: got ${actual}, SciPy ${expected} (relative error ${err.toExponential(2)})`);
}

describe('erfc and the truncated normal, against SciPy', () => {
  it('erfc agrees with scipy.special.erfc to 1e-14', () => {
    for (const [x, v] of fixture.erfc) close(erfc(x), v, 1e-14, `erfc(${x})`);
  });

  it('log Φ agrees with scipy.special.log_ndtr to 1e-13, deep into both tails', () => {
    for (const [x, v] of fixture.log_ndtr) close(logNdtr(x), v, 1e-13, `logNdtr(${x})`);
  });

  it('the truncated log density agrees with scipy.stats.truncnorm.logpdf to 1e-12', () => {
    for (const [x, a, b, v] of fixture.truncnorm_logpdf) close(logPdf(x, a, b, 0, 1), v, 1e-12, `logpdf(${x}; ${a}, ${b})`);
  });

  it('the truncated quantile agrees with scipy.stats.truncnorm.ppf to 1e-8', () => {
    // 1e-8, not tighter: q = 1 - 1e-9 itself carries a relative error of 1e-7 in 1 - q.
    for (const [q, a, b, v] of fixture.truncnorm_ppf) {
      const c = ppf(q, a, b);
      assert.ok(Math.abs(c - v) <= 1e-8 * Math.max(1, Math.abs(v)), `ppf(${q}; ${a}, ${b}) = ${c}, SciPy ${v}`);
    }
  });

  it('keeps the mass of far tails finite and ordered', () => {
    const far = logGaussMass(40, 41);
    assert.ok(Number.isFinite(far) && far < -790);
    assert.ok(logGaussMass(-41, -40) === far);
    assert.equal(logGaussMass(-50, 50), 0);
  });
});

describe('defaultGamma and defaultWeights (Optuna 5.0 values)', () => {
  it('counts the best 10%, rounded up, at most 25', () => {
    assert.deepEqual([0, 1, 9, 10, 11, 100, 240, 250, 251, 5000].map((n) => defaultGamma(n)), [0, 1, 1, 1, 2, 10, 24, 25, 25, 25]);
  });

  it('weighs every observation 1 below 25, then ramps the older ones from 1/n', () => {
    assert.deepEqual([...defaultWeights(0)], []);
    assert.deepEqual([...defaultWeights(24)], Array(24).fill(1));
    assert.deepEqual([...defaultWeights(25)], Array(25).fill(1));
    const w = defaultWeights(30); // numpy.linspace(1/30, 1, 5) then 25 ones
    [1 / 30, 1 / 30 + (29 / 30) / 4, 1 / 30 + (2 * 29) / 30 / 4, 1 / 30 + (3 * 29) / 30 / 4, 1].forEach((v, i) => close(w[i] as number, v, 1e-15, `w[${i}]`));
    assert.deepEqual([...w.subarray(5)], Array(25).fill(1));
  });
});

describe('neighbour-gap bandwidths', () => {
  const opts = { magicClip: true, endpoints: false };

  it('takes the larger gap to a neighbour, the inner gap at the ends, clipped to [range/min(100, n+2), range]', () => {
    // Sorted: 1, 2, 6 in [0, 10]; range/(3+2) = 2 is the floor.
    const sigmas = neighbourGapSigmas(Float64Array.of(6, 1, 2), 0, 10, opts);
    assert.deepEqual([...sigmas], [4, 2, 4]);
    // With endpoints the outer observations also see the bounds: 1 → max(1, 1), 6 → max(4, 4).
    assert.deepEqual([...neighbourGapSigmas(Float64Array.of(6, 1, 2), 0, 10, { magicClip: false, endpoints: true })], [4, 1, 4]);
  });

  it('uses the bounds as neighbours for a single observation', () => {
    assert.deepEqual([...neighbourGapSigmas(Float64Array.of(3), 0, 10, opts)], [7]);
  });

  it('gives the same sigmas from cells as from sorting (the fast path above 64 observations)', () => {
    // The sorted rule written out plainly, as the reference.
    const reference = (mus: number[], low: number, high: number, endpoints: boolean) => {
      const n = mus.length;
      const idx = mus.map((_, i) => i).sort((a, b) => (mus[a] as number) - (mus[b] as number) || a - b);
      const s = idx.map((i) => mus[i] as number);
      const range = high - low;
      const floor = range / Math.min(100, n + 2);
      const out: number[] = new Array(n).fill(0);
      idx.forEach((i, p) => {
        const left = (s[p] as number) - (p === 0 ? low : (s[p - 1] as number));
        const right = (p === n - 1 ? high : (s[p + 1] as number)) - (s[p] as number);
        let sigma = Math.max(left, right);
        if (!endpoints && p === 0) sigma = right;
        if (!endpoints && p === n - 1) sigma = left;
        out[i] = Math.min(range, Math.max(floor, sigma));
      });
      return out;
    };
    const rng = new Rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const n = 65 + rng.int(300);
      const kind = trial % 4;
      const mus = Array.from({ length: n }, () =>
        kind === 0 ? rng.uniform(-5, 5) : kind === 1 ? Math.round(rng.uniform(-5, 5) * 2) / 2 : kind === 2 ? (rng.next() < 0.9 ? 1 + 0.05 * rng.next() : rng.uniform(-5, 5)) : rng.next() < 0.5 ? -5 : 5,
      );
      const endpoints = trial % 2 === 0;
      const got = neighbourGapSigmas(Float64Array.from(mus), -5, 5, { magicClip: true, endpoints });
      const want = reference(mus, -5, 5, endpoints);
      for (let i = 0; i < n; i++) assert.ok(Math.abs((got[i] as number) - (want[i] as number)) < 1e-12, `trial ${trial}, observation ${i}`);
    }
  });

  it('sorts indices by value with ties in index order', () => {
    const rng = new Rng(3);
    const values = Float64Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? 0.5 : Math.floor(rng.next() * 50) / 7));
    const expected = [...values.keys()].sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
    assert.deepEqual([...sortedOrder(values)], expected);
  });
});

describe('ParzenEstimator', () => {
  const opts = { priorWeight: 1, magicClip: true, endpoints: false };

  /** Riemann sum of exp(logPdf) over [low, high] with `steps` midpoints. */
  function integrate1d(pe: ParzenEstimator, low: number, high: number, steps: number): number {
    const h = (high - low) / steps;
    const pts = Float64Array.from({ length: steps }, (_, i) => low + (i + 0.5) * h);
    return pe.logPdf(pts, steps).reduce((s, lp) => s + Math.exp(lp) * h, 0);
  }

  it('is a density: integrates to 1 over a continuous dimension', () => {
    const dim: Dimension = { kind: 'continuous', low: -2, high: 3 };
    const obs = Float64Array.of(-1.9, 0.1, 0.15, 2.9, 1.2);
    const pe = new ParzenEstimator([dim], obs, 5, Float64Array.of(1, 2, 1, 0.5, 1), opts);
    close(integrate1d(pe, -2, 3, 20000), 1, 1e-6, 'integral');
  });

  it('is a density in two dimensions too (product kernels)', () => {
    const dims: Dimension[] = [
      { kind: 'continuous', low: 0, high: 1 },
      { kind: 'continuous', low: -1, high: 1 },
    ];
    const obs = Float64Array.of(0.2, 0.25, 0.9, /* second dim */ -0.5, 0.9, 0);
    const pe = new ParzenEstimator(dims, obs, 3, undefined, opts);
    const m = 400;
    const pts = new Float64Array(m * m * 2);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) pts.set([(i + 0.5) / m, -1 + (2 * (j + 0.5)) / m], 2 * (i * m + j));
    const total = pe.logPdf(pts, m * m).reduce((s, lp) => s + (Math.exp(lp) * 2) / (m * m), 0);
    close(total, 1, 1e-4, 'integral');
  });

  it('gives discrete and categorical dimensions masses that sum to 1', () => {
    const grid: Dimension = { kind: 'discrete', low: 0.5, high: 10.5, min: 1, max: 10, step: 1, log: false };
    const pe = new ParzenEstimator([grid], Float64Array.of(2, 2, 7), 3, undefined, opts);
    const values = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    close(pe.logPdf(values, 10).reduce((s, lp) => s + Math.exp(lp), 0), 1, 1e-12, 'discrete total');
    const logGrid: Dimension = { kind: 'discrete', low: Math.log(0.5), high: Math.log(64.5), min: 1, max: 64, step: 1, log: true };
    const pl = new ParzenEstimator([logGrid], Float64Array.of(3, 40), 2, undefined, opts);
    const all = Float64Array.from({ length: 64 }, (_, i) => i + 1);
    close(pl.logPdf(all, 64).reduce((s, lp) => s + Math.exp(lp), 0), 1, 1e-12, 'log-discrete total');
    const cat = new ParzenEstimator([{ kind: 'categorical', choices: 3 }], Float64Array.of(0, 2, 2), 3, undefined, opts);
    close(cat.logPdf(Float64Array.of(0, 1, 2), 3).reduce((s, lp) => s + Math.exp(lp), 0), 1, 1e-12, 'categorical total');
  });

  it('matches a case worked by hand: one observation and the prior', () => {
    // Observation at 2 in [0, 10]: sigma = max(2, 8) = 8 (clip floor 10/3); prior N(5, 10²).
    // Mixture weights 1/2 each; both normals truncated to [0, 10].
    const pe = new ParzenEstimator([{ kind: 'continuous', low: 0, high: 10 }], Float64Array.of(2), 1, undefined, opts);
    const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const mass = (mu: number, s: number) => Math.exp(logGaussMass((0 - mu) / s, (10 - mu) / s));
    const x = 4;
    const expected = 0.5 * (phi((x - 2) / 8) / 8 / mass(2, 8)) + 0.5 * (phi((x - 5) / 10) / 10 / mass(5, 10));
    close(Math.exp(pe.logPdf(Float64Array.of(x), 1)[0] as number), expected, 1e-13, 'density at 4');
    // Categorical by hand: observed 1 of 3 with prior weight 1: row (1/2, 1 + 1/2, 1/2) / 2.5,
    // prior row uniform; mixture 1/2 each.
    const cat = new ParzenEstimator([{ kind: 'categorical', choices: 3 }], Float64Array.of(1), 1, undefined, opts);
    close(Math.exp(cat.logPdf(Float64Array.of(1), 1)[0] as number), 0.5 * (1.5 / 2.5) + 0.5 / 3, 1e-14, 'P(category 1)');
  });

  it('skips only negligible kernels: with thousands of observations it equals the plain mixture sum', () => {
    const rng = new Rng(8);
    const n = 3000;
    const dims: Dimension[] = [
      { kind: 'continuous', low: -5, high: 5 },
      { kind: 'continuous', low: 0, high: 1 },
      { kind: 'categorical', choices: 3 },
    ];
    const obs = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) (obs[i] = rng.uniform(-5, 5)), (obs[n + i] = rng.next() ** 3), (obs[2 * n + i] = rng.int(3));
    const weights = defaultWeights(n);
    const pe = new ParzenEstimator(dims, obs, n, weights, opts);
    // The plain sum, kernel by kernel, with the same sigmas (recomputed from the same rule).
    const s0 = neighbourGapSigmas(obs.subarray(0, n), -5, 5, opts);
    const s1 = neighbourGapSigmas(obs.subarray(n, 2 * n), 0, 1, opts);
    const total = weights.reduce((a, b) => a + b, 0) + 1;
    const points = Float64Array.of(0.3, 0.2, 1, -4.99, 0.999, 0, 4.2, 0.01, 2);
    const got = pe.logPdf(points, 3);
    for (let c = 0; c < 3; c++) {
      const [x, y, j] = [points[3 * c] as number, points[3 * c + 1] as number, points[3 * c + 2] as number];
      let sum = 0;
      for (let k = 0; k <= n; k++) {
        const prior = k === n;
        const w = (prior ? 1 : (weights[k] as number)) / total;
        const m0 = prior ? 0 : (obs[k] as number);
        const sg0 = prior ? 10 : (s0[k] as number);
        const m1 = prior ? 0.5 : (obs[n + k] as number);
        const sg1 = prior ? 1 : (s1[k] as number);
        const pCat = prior ? 1 / 3 : ((obs[2 * n + k] === j ? 1 : 0) + 1 / (n + 1)) / (1 + 3 / (n + 1));
        sum += w * Math.exp(logPdf(x, (-5 - m0) / sg0, (5 - m0) / sg0, m0, sg0) + logPdf(y, (0 - m1) / sg1, (1 - m1) / sg1, m1, sg1)) * pCat;
      }
      close(got[c] as number, Math.log(sum), 1e-9, `log density at point ${c}`);
    }
  });

  it("equals Optuna 5.0's Parzen estimator (an oracle exported once) on floats, log floats, ints, log ints and categories", () => {
    const opts1 = { priorWeight: 1, magicClip: true, endpoints: false };
    const [floats, discrete] = fixture.optuna_parzen as [(typeof fixture.optuna_parzen)[0], (typeof fixture.optuna_parzen)[0]];
    const columns = (obs: Record<string, number[]>, names: string[], transform: (name: string, v: number) => number) =>
      Float64Array.from(names.flatMap((name) => (obs[name] as number[]).map((v) => transform(name, v))));
    const rows = (pts: Record<string, number[]>, names: string[], transform: (name: string, v: number) => number) => {
      const count = (pts[names[0] as string] as number[]).length;
      return Float64Array.from({ length: count * names.length }, (_, i) => transform(names[i % names.length] as string, (pts[names[i % names.length] as string] as number[])[Math.floor(i / names.length)] as number));
    };
    // Floats: the log float enters on its internal (log) scale.
    const logLr = (name: string, v: number) => (name === 'lr' ? Math.log(v) : v);
    const fDims: Dimension[] = [
      { kind: 'continuous', low: 0, high: 1 },
      { kind: 'continuous', low: -5, high: 5 },
      { kind: 'continuous', low: Math.log(1e-4), high: 0 },
    ];
    const n = (floats.observations.x as number[]).length;
    const pf = new ParzenEstimator(fDims, columns(floats.observations, ['x', 'y', 'lr'], logLr), n, defaultWeights(n), opts1);
    pf.logPdf(rows(floats.points, ['x', 'y', 'lr'], logLr), floats.log_pdf.length).forEach((v, i) => close(v, floats.log_pdf[i] as number, 1e-12, `floats, point ${i}`));
    // Ints (grid values) and a categorical (indices).
    const same = (_: string, v: number) => v;
    const dDims: Dimension[] = [
      { kind: 'discrete', low: 0.5, high: 10.5, min: 1, max: 10, step: 1, log: false },
      { kind: 'discrete', low: Math.log(0.5), high: Math.log(256.5), min: 1, max: 256, step: 1, log: true },
      { kind: 'categorical', choices: 3 },
    ];
    const m = (discrete.observations.k as number[]).length;
    const pd = new ParzenEstimator(dDims, columns(discrete.observations, ['k', 'u', 'c'], same), m, defaultWeights(m), opts1);
    pd.logPdf(rows(discrete.points, ['k', 'u', 'c'], same), discrete.log_pdf.length).forEach((v, i) => close(v, discrete.log_pdf[i] as number, 1e-12, `discrete, point ${i}`));
  });

  it('draws samples inside the bounds, on the grid, with the density it reports', () => {
    const dims: Dimension[] = [
      { kind: 'continuous', low: -1, high: 1 },
      { kind: 'discrete', low: -0.25, high: 2.25, min: 0, max: 2, step: 0.5, log: false },
      { kind: 'categorical', choices: 4 },
    ];
    const pe = new ParzenEstimator(dims, Float64Array.of(0.9, 0.95, 1, 1.5, 3, 3), 2, undefined, opts);
    const n = 20000;
    const xs = pe.sample(new Rng(11), n);
    let nearOne = 0;
    for (let c = 0; c < n; c++) {
      const [x, g, k] = [xs[3 * c] as number, xs[3 * c + 1] as number, xs[3 * c + 2] as number];
      assert.ok(x >= -1 && x <= 1);
      assert.ok([0, 0.5, 1, 1.5, 2].includes(g));
      assert.ok(Number.isInteger(k) && k >= 0 && k < 4);
      if (x > 0.5) nearOne++;
    }
    // Exact probability of x > 0.5 from the reported density (Riemann sum), vs the draws.
    const h = 1e-4;
    let p = 0;
    const one = new ParzenEstimator([dims[0] as Dimension], Float64Array.of(0.9, 0.95), 2, undefined, opts);
    for (let x = 0.5 + h / 2; x < 1; x += h) p += Math.exp(one.logPdf(Float64Array.of(x), 1)[0] as number) * h;
    const sd = Math.sqrt((p * (1 - p)) / n);
    assert.ok(Math.abs(nearOne / n - p) < 5 * sd, `P(x > 0.5): sampled ${nearOne / n}, density says ${p}`);
  });
});
