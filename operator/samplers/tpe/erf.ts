/**
 * erf and erfc to double precision, which JavaScript's Math lacks.
 *
 * The rational approximations are those of FreeBSD's msun `s_erf.c` (Sun Microsystems, 1993;
 * error below 1 ulp), rewritten here. Its notice, which must be kept with the coefficients:
 *
 *   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunPro, a Sun Microsystems, Inc. business.
 *   Permission to use, copy, modify, and distribute this software is freely granted,
 *   provided that this notice is preserved.
 *
 * `logErfc` extends erfc past its underflow (x > 26.5) so that the log of a Gaussian tail stays
 * finite and accurate far out, which the truncated normal of the Parzen estimator needs.
 */

const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;

// erf on [0, 0.84375): x + x * P(x²) / Q(x²)
const PP = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const QQ = [1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
// erf on [0.84375, 1.25): erx + P(s) / Q(s), s = x - 1
const PA = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const QA = [1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
// erfc on [1.25, 1/0.35): exp(-x² - 0.5625 + R(1/x²) / S(1/x²)) / x
const RA = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const SA = [1, 1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
// erfc on [1/0.35, 28): same form
const RB = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const SB = [1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

function poly(c: readonly number[], x: number): number {
  let y = 0;
  for (let i = c.length - 1; i >= 0; i--) y = y * x + (c[i] as number);
  return y;
}

// Splitting x into a 26-bit head z and a tail keeps exp(-x²) accurate: -x² = -z² + (z-x)(z+x).
const splitView = new Float64Array(1);
const splitWords = new Uint32Array(splitView.buffer);
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // little-endian?

function head(x: number): number {
  splitView[0] = x;
  splitWords[LOW_WORD] = 0;
  return splitView[0] as number;
}

/** log(erfc(x) * x) - (-x²) for x >= 1.25: the smooth part of the tail. */
function tailCorrection(x: number): number {
  const s = 1 / (x * x);
  return x < 1 / 0.35 ? poly(RA, s) / poly(SA, s) : poly(RB, s) / poly(SB, s);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const a = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  if (a < 0.84375) {
    if (a < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly(QQ, z));
  }
  if (a < 1.25) {
    const s = a - 1;
    return sign * (ERX + poly(PA, s) / poly(QA, s));
  }
  if (a >= 6) return sign; // 1 - erfc(6) rounds to 1
  return sign * (1 - erfcPositiveLarge(a));
}

/** erfc(x) for x >= 1.25. */
function erfcPositiveLarge(x: number): number {
  if (x >= 28) return 0;
  const z = head(x);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + tailCorrection(x))) / x;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = x * (poly(PP, z) / poly(QQ, z));
    return x < 0.25 ? 1 - (x + y) : 0.5 - (x - 0.5 + y);
  }
  if (a < 1.25) {
    const s = a - 1;
    const r = poly(PA, s) / poly(QA, s);
    return x >= 0 ? 1 - ERX - r : 1 + ERX + r;
  }
  if (x > 0) return erfcPositiveLarge(x);
  return x > -6 ? 2 - erfcPositiveLarge(a) : 2;
}

/**
 * log(erfc(x)), finite for every finite x. Beyond 26 erfc itself underflows, so the log is
 * taken of the asymptotic series erfc(x) ≈ exp(-x²)/(x√π) · Σ (-1)^k (2k-1)!! / (2x²)^k.
 */
export function logErfc(x: number): number {
  if (x < 1.25) return Math.log(erfc(x));
  if (x < 26) {
    const z = head(x);
    return -z * z - 0.5625 + (z - x) * (z + x) + tailCorrection(x) - Math.log(x);
  }
  const t = 1 / (2 * x * x);
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 12; k++) {
    term *= -(2 * k - 1) * t;
    sum += term;
    if (Math.abs(term) < 1e-17) break;
  }
  return -x * x - Math.log(x) - 0.5 * Math.log(Math.PI) + Math.log(sum);
}
