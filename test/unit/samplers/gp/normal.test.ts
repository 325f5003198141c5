/**
 * The normal tail functions against reference values. erfc values are CPython's `math.erfc`
 * (libm, ~1 ulp), printed with:
 *   python3 -c "import math; [print(x, repr(math.erfc(x))) for x in [0, 0.1, ...]]"
 * erfcx far in the tail is checked against its asymptotic series, which is exact to double
 * precision there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { erfc, erfcx, normCdf } from '../../../../operator/samplers/gp/normal.js';

const ERFC: [number, number][] = [
  [0, 1.0],
  [0.1, 0.8875370839817152],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [1.5, 0.033894853524689274],
  [2, 0.004677734981047265],
  [2.4, 0.0006885138966450789],
  [2.5, 0.0004069520174449589],
  [3, 2.2090496998585438e-5],
  [4, 1.541725790028002e-8],
  [5, 1.5374597944280351e-12],
  [6, 2.1519736712498916e-17],
  [10, 2.088487583762545e-45],
  [20, 5.3958656116079005e-176],
  [-0.5, 1.5204998778130465],
  [-2, 1.9953222650189528],
  [-5, 1.9999999999984626],
];

/** exp(x²)·erfc(x) from CPython for moderate x (exp(x²) is exact enough below x = 5). */
const ERFCX: [number, number][] = [
  [0.5, 0.6156903441929259],
  [2, 0.2553956763105057],
  [2.5, 0.21080636406114356],
  [3, 0.17900115118138993],
  [4, 0.13699945762506138],
  [5, 0.11070463773306866],
];

/** erfcx(x) ~ 1/(x√π) Σ (-1)^n (2n-1)!! / (2x²)^n, accurate to rounding for x ≥ 30 with 8 terms. */
function erfcxAsymptotic(x: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 8; n++) {
    term *= -(2 * n - 1) / (2 * x * x);
    sum += term;
  }
  return sum / (x * Math.sqrt(Math.PI));
}

const close = (a: number, b: number, rel: number) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);

describe('erfc and erfcx', () => {
  it('match libm erfc to 1e-12 relative, across the series/continued-fraction switch', () => {
    for (const [x, want] of ERFC) close(erfc(x), want, 1e-12);
  });

  it('erfcx matches exp(x²)·erfc(x) where that is computable, and the asymptotic series in the far tail', () => {
    for (const [x, want] of ERFCX) close(erfcx(x), want, 1e-12);
    for (const x of [30, 100, 1e4, 1e8]) close(erfcx(x), erfcxAsymptotic(x), 1e-14);
  });

  it('erfcx is continuous and decreasing across x = 2.5', () => {
    const below = erfcx(2.5 - 1e-9);
    const above = erfcx(2.5 + 1e-9);
    close(below, above, 1e-9);
    assert.ok(erfcx(2.4) > erfcx(2.6));
  });

  it('normCdf is symmetric and right at a few quantiles', () => {
    close(normCdf(0), 0.5, 1e-15);
    close(normCdf(1.959963984540054), 0.975, 1e-12);
    close(normCdf(-1.959963984540054), 0.025, 1e-11);
  });
});
