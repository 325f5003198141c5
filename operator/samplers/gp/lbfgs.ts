/**
 * A small bound-constrained quasi-Newton minimiser: L-BFGS directions on the free variables,
 * projected onto a box, with a backtracking Armijo line search along the projected path. It plays
 * the role SciPy's L-BFGS-B plays for Optuna (kernel-hyperparameter fit, acquisition local search)
 * without the Cauchy-point machinery — enough for the smooth, low-dimensional problems here, and
 * simple enough to test.
 *
 * Per iteration: variables at a bound whose gradient pushes outward are held fixed; the two-loop
 * recursion turns the free part of the gradient into a direction; the step is halved until
 * f(P(x + t d)) ≤ f(x) + c₁ ∇f·(P(x + t d) - x). A non-descent direction or a failed search
 * resets the memory and retries with steepest descent once. Stops on a small projected gradient,
 * a small relative decrease, or `maxIter`.
 *
 * Deterministic: no randomness, so a fit replays exactly.
 */

/** f(x) and its gradient (written into `grad`). */
export type ValueAndGradient = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeOptions {
  /** Lower and upper bounds per variable (±Infinity for none). Default unbounded. */
  readonly lower?: Float64Array;
  readonly upper?: Float64Array;
  /** Iterations (gradient evaluations are a small multiple). Default 100. */
  readonly maxIter?: number;
  /** Stop when the largest projected-gradient component is below this. Default 1e-5. */
  readonly gtol?: number;
  /** Stop when an iteration lowers f by less than ftol·max(1, |f|). Default 1e-9. */
  readonly ftol?: number;
  /** Correction pairs kept. Default 10. */
  readonly memory?: number;
}

export interface MinimizeResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
}

function project(x: Float64Array, lower: Float64Array | undefined, upper: Float64Array | undefined): void {
  for (let i = 0; i < x.length; i++) {
    let v = x[i] as number;
    if (lower !== undefined && v < (lower[i] as number)) v = lower[i] as number;
    if (upper !== undefined && v > (upper[i] as number)) v = upper[i] as number;
    x[i] = v;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export function minimize(fg: ValueAndGradient, x0: Float64Array, options: MinimizeOptions = {}): MinimizeResult {
  const { lower, upper } = options;
  const maxIter = options.maxIter ?? 100;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 1e-9;
  const memory = options.memory ?? 10;
  const n = x0.length;

  const x = Float64Array.from(x0);
  project(x, lower, upper);
  const g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { x, value: f, iterations: 0, evaluations };

  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const rhos: number[] = [];
  const free = new Uint8Array(n);
  const d = new Float64Array(n);
  const xn = new Float64Array(n);
  const gn = new Float64Array(n);
  const alphas = new Float64Array(memory);
  let iterations = 0;

  for (; iterations < maxIter; iterations++) {
    // Active set: a variable at a bound with the gradient pointing out of the box stays put.
    let pgMax = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const atLow = lower !== undefined && (x[i] as number) <= (lower[i] as number) && gi > 0;
      const atHigh = upper !== undefined && (x[i] as number) >= (upper[i] as number) && gi < 0;
      free[i] = atLow || atHigh ? 0 : 1;
      if (free[i]) pgMax = Math.max(pgMax, Math.abs(gi));
    }
    if (pgMax < gtol) break;

    let accepted = false;
    let fNew = f;
    for (let attempt = 0; attempt < 2 && !accepted; attempt++) {
      // Two-loop recursion on the free components of the gradient.
      for (let i = 0; i < n; i++) d[i] = free[i] ? (g[i] as number) : 0;
      for (let k = ss.length - 1; k >= 0; k--) {
        const a = (rhos[k] as number) * dot(ss[k] as Float64Array, d);
        alphas[k] = a;
        const yk = ys[k] as Float64Array;
        for (let i = 0; i < n; i++) d[i] = (d[i] as number) - a * (yk[i] as number);
      }
      if (ss.length > 0) {
        const last = ss.length - 1;
        const gamma = dot(ss[last] as Float64Array, ys[last] as Float64Array) / dot(ys[last] as Float64Array, ys[last] as Float64Array);
        for (let i = 0; i < n; i++) d[i] = (d[i] as number) * gamma;
      } else {
        // First step: scale so the largest move is at most 1 (the problems here live on O(1) scales).
        const scale = Math.min(1, 1 / pgMax);
        for (let i = 0; i < n; i++) d[i] = (d[i] as number) * scale;
      }
      for (let k = 0; k < ss.length; k++) {
        const b = (rhos[k] as number) * dot(ys[k] as Float64Array, d);
        const sk = ss[k] as Float64Array;
        for (let i = 0; i < n; i++) d[i] = (d[i] as number) + (sk[i] as number) * ((alphas[k] as number) - b);
      }
      for (let i = 0; i < n; i++) d[i] = free[i] ? -(d[i] as number) : 0;
      if (dot(d, g) >= 0) {
        // Not a descent direction (stale curvature): steepest descent instead.
        ss.length = ys.length = rhos.length = 0;
        for (let i = 0; i < n; i++) d[i] = free[i] ? -(g[i] as number) * Math.min(1, 1 / pgMax) : 0;
      }

      let t = 1;
      for (let ls = 0; ls < 30; ls++) {
        for (let i = 0; i < n; i++) xn[i] = (x[i] as number) + t * (d[i] as number);
        project(xn, lower, upper);
        let decrease = 0;
        for (let i = 0; i < n; i++) decrease += (g[i] as number) * ((xn[i] as number) - (x[i] as number));
        if (decrease >= 0) break; // the projected path no longer descends
        const fn = fg(xn, gn);
        evaluations++;
        if (Number.isFinite(fn) && fn <= f + 1e-4 * decrease) {
          accepted = true;
          fNew = fn;
          break;
        }
        t *= 0.5;
      }
      if (!accepted) {
        if (ss.length === 0) break;
        ss.length = ys.length = rhos.length = 0; // retry once with steepest descent
      }
    }
    if (!accepted) break;

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (xn[i] as number) - (x[i] as number);
      y[i] = (gn[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (ss.length === memory) {
        ss.shift();
        ys.shift();
        rhos.shift();
      }
      ss.push(s);
      ys.push(y);
      rhos.push(1 / sy);
    }
    const fOld = f;
    x.set(xn);
    g.set(gn);
    f = fNew;
    if (fOld - f < ftol * Math.max(1, Math.abs(f))) {
      iterations++;
      break;
    }
  }
  return { x, value: f, iterations, evaluations };
}
