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

/** Loss after `step` steps (1..MAX_STEPS). */
export function lossAt(p: Params, step: number): number {
  const floor = floorOf(p);
  const u = Math.log10(p.lr as number);
  const wiggle = 0.02 * (1 - step / MAX_STEPS) * Math.exp(-step / 30) * Math.sin(2.1 * step + 7 * u + 3 * (p.dropout as number));
  return floor + (START - floor) * Math.exp(-rateOf(p) * step) + wiggle;
}
