/**
 * Our side of the pruners benchmark: one ask/tell `Study` (TPE, default settings, the study seed)
 * per (pruner, seed) on one family of families.ts. Each trial reports its loss at every step, and
 * after each report the pruner built by the registry from the same settings a TuningStudy's
 * `earlyStopping` would carry is asked about it with the study's whole history — exactly the call
 * `trialsToPrune` in operator/engine/pruning.ts makes for each running trial inside `decide` — and
 * the trial stops at once on "prune" (a runtime stops it within one report).
 *
 * Besides the regret, each run records `sampledRegret`: the regret of the best configuration the
 * sampler proposed, had it trained to the end (the curves are known in closed form, or recorded). The gap
 * between the two is what the pruner threw away (the best proposal stopped at a rung); the gap
 * between `sampledRegret` and the unpruned study's regret is what the sampler lost by learning
 * from pruned trials. Each run also records its `progress` (the steps trained when the best
 * completed regret fell, and to what), from which the report reads a study's regret at any step
 * budget: an unpruned study's regret after as many steps as a pruned one used is the equal-compute
 * comparison. The `-random` rows run the random sampler instead of TPE, the setting ASHA and
 * Hyperband were designed and published with. The `asha-told-final` diagnostic row runs ASHA but tells the sampler every
 * pruned trial's final loss — impossible in practice — to measure the first gap alone; the
 * `asha-r<k>` rows move ASHA's first rung; the `-tpe-optuna` rows run TPE with `preset: 'optuna'`
 * (Optuna's kernel-width floor), to show how much of the difference from Optuna is the sampler's.
 */
import { Study } from '../../operator/engine/study.js';
import { createPruner } from '../../operator/pruners/registry.js';
import { CURVE_PARAMETERS } from './curves.js';
import { FAMILIES, type Family } from './families.js';
import { fashionCurves } from './fashion.js';

/**
 * Our pruners in the benchmark with their settings on one family (Optuna's counterparts in
 * optuna_runner.py): ASHA's and Hyperband's resources are the family's (families.ts).
 */
export function oursFor(family: Family): Record<string, Record<string, number>> {
  const f = FAMILIES[family];
  return {
    none: {},
    median: { startupTrials: 5, warmupSteps: 0 },
    asha: { minResource: f.asha.minResource, reductionFactor: f.asha.reductionFactor, maxResource: f.maxSteps },
    hyperband: { minResource: f.hyperband.minResource, maxResource: f.maxSteps, reductionFactor: f.hyperband.reductionFactor },
  };
}

export interface Diagnostic {
  rule: string;
  settings: Record<string, number>;
  toldFinal: boolean;
  tpe?: Record<string, string>;
  /** The sampler when it is not TPE. */
  sampler?: 'random';
}

/**
 * Rows besides the pruners: `none-random` and `asha-random` (both sides) are unpruned and ASHA
 * studies with the random sampler. Diagnostic rows, ours only: `asha-told-final` is the benchmark's ASHA whose pruned trials the
 * sampler sees with their final loss; `asha-r<k>` is ASHA with its first rung at step k (the
 * family's η), to show what moving the first rung buys and costs.
 */
export function diagnosticsFor(family: Family): Record<string, Diagnostic> {
  const asha = oursFor(family).asha!;
  return {
    'none-random': { rule: 'none', settings: {}, toldFinal: false, sampler: 'random' },
    'asha-random': { rule: 'asha', settings: asha, toldFinal: false, sampler: 'random' },
    'asha-told-final': { rule: 'asha', settings: asha, toldFinal: true },
    'none-tpe-optuna': { rule: 'none', settings: {}, toldFinal: false, tpe: { preset: 'optuna' } },
    'asha-tpe-optuna': { rule: 'asha', settings: asha, toldFinal: false, tpe: { preset: 'optuna' } },
    ...Object.fromEntries(FAMILIES[family].firstRungs.map((r) => [`asha-r${r}`, { rule: 'asha', settings: { ...asha, minResource: r }, toldFinal: false }])),
  };
}

/** Every row's name on our side for one family: the pruners, then the diagnostics. */
export function rowNamesFor(family: Family): string[] {
  return [...Object.keys(oursFor(family)), ...Object.keys(diagnosticsFor(family))];
}

export interface PrunedRun {
  /** Training steps run in all (a trial pruned after reporting step s used s steps). */
  steps: number;
  /** Best final loss of the completed trials minus the family's lower bound. */
  regret: number;
  /** Best final loss of every proposed configuration, pruned ones included, minus the lower bound. */
  sampledRegret: number;
  pruned: number;
  /** [steps trained so far, regret] each time a completed trial lowered the regret, in order. */
  progress: Array<[number, number]>;
  /**
   * fashion only: how many distinct recorded configurations were nearest to the study's trials
   * (what the nearest-cell replay before 2026-11-25 would have replayed them from).
   */
  cells?: number;
  /** fashion only: how many distinct curves the study's trials replayed. */
  curves?: number;
}

export function runPruned(pruner: string, seed: number, trials: number, family: Family = 'crossing'): PrunedRun {
  const { lossAt, maxSteps } = FAMILIES[family];
  const lowerBound = FAMILIES[family].lowerBound();
  const diagnostic = diagnosticsFor(family)[pruner];
  const toldFinal = diagnostic?.toldFinal ?? false;
  const study = new Study({ objective: { metric: 'loss', goal: 'minimize' }, parameters: CURVE_PARAMETERS, algorithm: { name: diagnostic?.sampler ?? 'tpe', seed, ...(diagnostic?.tpe === undefined ? {} : { settings: diagnostic.tpe }) } });
  const policy = diagnostic !== undefined ? createPruner(diagnostic.rule, diagnostic.settings) : createPruner(pruner, oursFor(family)[pruner] ?? {});
  let steps = 0;
  let best = Infinity;
  let bestSampled = Infinity;
  let pruned = 0;
  const progress: Array<[number, number]> = [];
  const cells = new Set<number>();
  const curves = new Set<string>();
  for (let t = 0; t < trials; t++) {
    const { index, params } = study.ask();
    if (family === 'fashion') {
      cells.add(fashionCurves().nearest(params));
      curves.add(fashionCurves().curve(params).join(','));
    }
    let stopped = false;
    for (let step = 1; step <= maxSteps; step++) {
      const value = lossAt(params, step);
      steps++;
      study.report(index, step, value);
      if (step === maxSteps) break;
      const trial = study.trials[index]!;
      if (policy.decide(trial, study.trials, { goal: 'minimize', seed }).prune) {
        stopped = true;
        break;
      }
    }
    const final = lossAt(params, maxSteps);
    bestSampled = Math.min(bestSampled, final);
    if (stopped) {
      // The diagnostic tells the sampler the loss the trial would have ended with.
      study.tell(index, toldFinal ? final : { pruned: true });
      pruned++;
    } else {
      study.tell(index, final);
      if (final < best) progress.push([steps, final - lowerBound]);
      best = Math.min(best, final);
    }
  }
  return { steps, regret: best - lowerBound, sampledRegret: bestSampled - lowerBound, pruned, progress, ...(family === 'fashion' ? { cells: cells.size, curves: curves.size } : {}) };
}
