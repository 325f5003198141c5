/**
 * The synthetic learning curves of `npm run bench -- pruners`: a family of training runs whose
 * final loss and convergence rate both depend on the configuration, written once here and once in
 * curves.py (Optuna's side); test/unit/bench/pruner-curves.test.ts checks both agree.
 *
 * A configuration is a learning rate (log scale), a width (log-scaled int), a dropout rate and an
 * optimiser. Its loss after `t` of `MAX_STEPS` steps is
 *
 *     loss(t) = floor + (START - floor) * exp(-rate * t) + wiggle(t)
 *
 * with `floor` (where the run would end up given time) smallest at lr = 10^-2.5, width 256,
 * dropout 0.2, adam, and `rate` growing with the learning rate — so a large learning rate looks
 * best early and ends worse, and curves cross, which is what makes early stopping a gamble. The
 * wiggle is a deterministic, decaying oscillation standing in for minibatch noise.
 * Regret is the best final loss (at `MAX_STEPS`) of the completed trials minus `LOWER_BOUND`
 * (0.05, the smallest floor): the bound is not reached in 100 steps, so regret is never 0, but
 * both sides are measured against the same number.
 *
 * That family (`crossing`) is adversarial on purpose: the rate is tied to the learning rate, not
 * to quality, so at step 2 the ranking of configurations is close to the ranking of their learning
 * rates. A second family, `ranked`, stands for the more common case that learning-curve
 * benchmarks such as LCBench show: a configuration's early rank predicts its final rank, up to
 * noise. Same parameters, same floor (so the same optimum and lower bound), same wiggle; only
 * the rate differs:
 *
 *     rate = 0.25 * exp(0.5 * z - 2 * (floor - LOWER_BOUND))
 *
 * Better configurations train somewhat faster (the `-2 (floor - bound)` term: a learning rate too
 * small or a network too narrow is both slow and worse), and `z` — a smooth, unit-variance sum of
 * three sines over the unit-cube coordinates, fixed constants with no meaning — makes the speed
 * vary independently of quality by a factor of e^±0.5 or so, so curves of similar floors still
 * cross. The constants were chosen once from that description, before any pruner ran on it;
 * `rankCorrelation` measures how far early ranks predict final ones in each family (the
 * benchmark's report prints it).
 */
import type { Params } from '../../operator/space/types.js';

export const MAX_STEPS = 100;
export const START = 2.5;
export const LOWER_BOUND = 0.05;

export const CURVE_PARAMETERS = [
  { name: 'lr', type: 'float', min: 1e-4, max: 1, log: true },
  { name: 'width', type: 'int', min: 16, max: 1024, log: true },
  { name: 'dropout', type: 'float', min: 0, max: 0.6 },
  { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd'] },
] as const;

export function floorOf(p: Params): number {
  const u = Math.log10(p.lr as number);
  const w = Math.log2(p.width as number);
  const d = p.dropout as number;
  return LOWER_BOUND + 0.08 * (u + 2.5) ** 2 + 0.02 * (w - 8) ** 2 + 0.6 * (d - 0.2) ** 2 + (p.optimizer === 'sgd' ? 0.05 : 0);
}

export function rateOf(p: Params): number {
  const u = Math.log10(p.lr as number);
  const d = p.dropout as number;
  return 0.4 * 10 ** (0.15 * (u + 2.5)) * (p.optimizer === 'sgd' ? 0.6 : 1) * (1 - 0.5 * d);
}

/** The decaying oscillation standing in for minibatch noise; 0 at `MAX_STEPS`. */
function wiggle(p: Params, step: number): number {
  const u = Math.log10(p.lr as number);
  return 0.02 * (1 - step / MAX_STEPS) * Math.exp(-step / 30) * Math.sin(2.1 * step + 7 * u + 3 * (p.dropout as number));
}

/** Loss after `step` steps (1..MAX_STEPS), crossing family. */
export function lossAt(p: Params, step: number): number {
  const floor = floorOf(p);
  return floor + (START - floor) * Math.exp(-rateOf(p) * step) + wiggle(p, step);
}

/**
 * A configuration's numeric parameters on the unit cube of `CURVE_PARAMETERS` (lr and width on
 * their log scales): where the ranked family's speed varies and the fashion replay measures
 * distances.
 */
export function unitCoordinates(p: Params): [x: number, w: number, d: number] {
  return [(Math.log10(p.lr as number) + 4) / 4, (Math.log2(p.width as number) - 4) / 6, (p.dropout as number) / 0.6];
}

/** The ranked family's speed perturbation: smooth in the unit cube, mean ~0, variance ~1. */
export function speedNoiseOf(p: Params): number {
  const [x, w, d] = unitCoordinates(p);
  const o = p.optimizer === 'sgd' ? 1 : 0;
  return (Math.sin(5.1 * x + 1.3 + 2.0 * o) + Math.sin(4.3 * w + 7.9 * d + 0.4) + Math.sin(6.7 * d + 3.1 * x + 2.2)) / Math.sqrt(1.5);
}

export function rankedRateOf(p: Params): number {
  return 0.25 * Math.exp(0.5 * speedNoiseOf(p) - 2 * (floorOf(p) - LOWER_BOUND));
}

/** Loss after `step` steps (1..MAX_STEPS), ranked family. */
export function rankedLossAt(p: Params, step: number): number {
  const floor = floorOf(p);
  return floor + (START - floor) * Math.exp(-rankedRateOf(p) * step) + wiggle(p, step);
}

export type CurveFamily = 'crossing' | 'ranked';
export const CURVE_FAMILIES: Record<CurveFamily, (p: Params, step: number) => number> = { crossing: lossAt, ranked: rankedLossAt };

/**
 * Spearman rank correlation between the losses at `step` and at `MAX_STEPS` of `configs`: how well
 * a rung at `step` ranks configurations as the end of training does (1: perfectly).
 */
export function rankCorrelation(family: CurveFamily, configs: readonly Params[], step: number): number {
  const loss = CURVE_FAMILIES[family];
  return spearman(configs.map((p) => loss(p, step)), configs.map((p) => loss(p, MAX_STEPS)));
}

/** Spearman rank correlation of two equally long lists (ties ranked by position). */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  const ranks = (vs: readonly number[]) => {
    const order = vs.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(vs.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const a = ranks(xs);
  const b = ranks(ys);
  const n = xs.length;
  const d2 = a.reduce((sum, r, i) => sum + (r - (b[i] as number)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}
