/**
 * The curve families of the pruners benchmark with the resource settings each carries: how many
 * steps a trial runs, the bound regret is measured against, and the ASHA and Hyperband settings
 * both sides use on it (bench/pruners/ours.ts, and optuna_runner.py's `FAMILIES`, which must
 * match). The synthetic families (curves.ts) run 100 steps with ASHA's first rung at step 2 and
 * η 4 (rungs 2, 8, 32); the recorded `fashion` family (fashion.ts) runs 27 epochs with ASHA's
 * first rung at epoch 1 and η 3 (rungs 1, 3, 9), and Hyperband from 1 to 27 with η 3.
 */
import type { Params } from '../../operator/space/types.js';
import { CURVE_FAMILIES, LOWER_BOUND, MAX_STEPS, spearman } from './curves.js';
import { FASHION_EPOCHS, fashionCurves } from './fashion.js';

export type Family = 'crossing' | 'ranked' | 'fashion';
export const FAMILY_NAMES: readonly Family[] = ['crossing', 'ranked', 'fashion'];

export interface FamilySpec {
  lossAt(p: Params, step: number): number;
  maxSteps: number;
  /** Regret = best final loss of the completed trials minus this. */
  lowerBound(): number;
  /** ASHA's first rung and reduction factor (its maximum resource is `maxSteps`). */
  asha: { minResource: number; reductionFactor: number };
  hyperband: { minResource: number; reductionFactor: number };
  /** ASHA's rungs below `maxSteps`: where the report measures early-vs-final rank correlation. */
  rungs: number[];
  /** First rungs of the `asha-r<k>` diagnostic rows. */
  firstRungs: number[];
}

const synthetic = (family: 'crossing' | 'ranked'): FamilySpec => ({
  lossAt: CURVE_FAMILIES[family],
  maxSteps: MAX_STEPS,
  lowerBound: () => LOWER_BOUND,
  asha: { minResource: 2, reductionFactor: 4 },
  hyperband: { minResource: 1, reductionFactor: 3 },
  rungs: [2, 8, 32],
  firstRungs: [1, 4, 8, 16],
});

export const FAMILIES: Record<Family, FamilySpec> = {
  crossing: synthetic('crossing'),
  ranked: synthetic('ranked'),
  fashion: {
    lossAt: (p, step) => fashionCurves().lossAt(p, step),
    maxSteps: FASHION_EPOCHS,
    lowerBound: () => fashionCurves().lowerBound,
    asha: { minResource: 1, reductionFactor: 3 },
    hyperband: { minResource: 1, reductionFactor: 3 },
    rungs: [1, 3, 9],
    firstRungs: [3, 9],
  },
};

export function isFamily(name: string): name is Family {
  return (FAMILY_NAMES as readonly string[]).includes(name);
}

/**
 * Spearman rank correlation between the losses at `step` and at the family's last step of
 * `configs`: how well a rung at `step` ranks configurations as the end of training does.
 */
export function familyRankCorrelation(family: Family, configs: readonly Params[], step: number): number {
  const { lossAt, maxSteps } = FAMILIES[family];
  return spearman(configs.map((p) => lossAt(p, step)), configs.map((p) => lossAt(p, maxSteps)));
}
