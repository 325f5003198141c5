/**
 * Our side of the pruners benchmark: one ask/tell `Study` (TPE, default settings, the study seed)
 * per (pruner, seed) on one family of curves.ts. Each trial reports its loss at every step, and
 * after each report the pruner built by the registry from the same settings a TuningStudy's
 * `earlyStopping` would carry is asked about it with the study's whole history — exactly the call
 * `trialsToPrune` in operator/engine/pruning.ts makes for each running trial inside `decide` — and
 * the trial stops at once on "prune" (a runtime stops it within one report).
 *
 * Besides the regret, each run records `sampledRegret`: the regret of the best configuration the
 * sampler proposed, had it trained to the end (the curves are known in closed form). The gap
 * between the two is what the pruner threw away (the best proposal stopped at a rung); the gap
 * between `sampledRegret` and the unpruned study's regret is what the sampler lost by learning
 * from pruned trials. The `asha-told-final` diagnostic row runs ASHA but tells the sampler every
 * pruned trial's final loss — impossible in practice — to measure the first gap alone; the
 * `asha-r<k>` rows move ASHA's first rung; the `-tpe-optuna` rows run TPE with `preset: 'optuna'`
 * (Optuna's kernel-width floor), to show how much of the difference from Optuna is the sampler's.
 */
import { Study } from '../../operator/engine/study.js';
import { createPruner } from '../../operator/pruners/registry.js';
import { CURVE_FAMILIES, CURVE_PARAMETERS, type CurveFamily, LOWER_BOUND, MAX_STEPS } from './curves.js';

/** Our pruners in the benchmark with their settings (Optuna's counterparts in optuna_runner.py). */
export const OUR_PRUNERS: Record<string, Record<string, number>> = {
  none: {},
  median: { startupTrials: 5, warmupSteps: 0 },
  asha: { minResource: 2, reductionFactor: 4, maxResource: MAX_STEPS },
  hyperband: { minResource: 1, maxResource: MAX_STEPS, reductionFactor: 3 },
};

/**
 * Diagnostic rows, ours only: `asha-told-final` is the benchmark's ASHA whose pruned trials the
 * sampler sees with their final loss; `asha-r<k>` is ASHA with its first rung at step k (η 4),
 * to show what moving the first rung buys and costs.
 */
export const DIAGNOSTICS: Record<string, { rule: string; settings: Record<string, number>; toldFinal: boolean; tpe?: Record<string, string> }> = {
  'asha-told-final': { rule: 'asha', settings: OUR_PRUNERS.asha!, toldFinal: true },
  'none-tpe-optuna': { rule: 'none', settings: {}, toldFinal: false, tpe: { preset: 'optuna' } },
  'asha-tpe-optuna': { rule: 'asha', settings: OUR_PRUNERS.asha!, toldFinal: false, tpe: { preset: 'optuna' } },
  ...Object.fromEntries([1, 4, 8, 16].map((r) => [`asha-r${r}`, { rule: 'asha', settings: { ...OUR_PRUNERS.asha!, minResource: r }, toldFinal: false }])),
};

export interface PrunedRun {
  /** Training steps run in all (a trial pruned after reporting step s used s steps). */
  steps: number;
  /** Best final loss of the completed trials minus the curves' lower bound. */
  regret: number;
  /** Best final loss of every proposed configuration, pruned ones included, minus the lower bound. */
  sampledRegret: number;
  pruned: number;
}

export function runPruned(pruner: string, seed: number, trials: number, family: CurveFamily = 'crossing'): PrunedRun {
  const lossAt = CURVE_FAMILIES[family];
  const diagnostic = DIAGNOSTICS[pruner];
  const toldFinal = diagnostic?.toldFinal ?? false;
  const study = new Study({ objective: { metric: 'loss', goal: 'minimize' }, parameters: CURVE_PARAMETERS, algorithm: { name: 'tpe', seed, ...(diagnostic?.tpe === undefined ? {} : { settings: diagnostic.tpe }) } });
  const policy = diagnostic !== undefined ? createPruner(diagnostic.rule, diagnostic.settings) : createPruner(pruner, OUR_PRUNERS[pruner] ?? {});
  let steps = 0;
  let best = Infinity;
  let bestSampled = Infinity;
  let pruned = 0;
  for (let t = 0; t < trials; t++) {
    const { index, params } = study.ask();
    let stopped = false;
    for (let step = 1; step <= MAX_STEPS; step++) {
      const value = lossAt(params, step);
      steps++;
      study.report(index, step, value);
      if (step === MAX_STEPS) break;
      const trial = study.trials[index]!;
      if (policy.decide(trial, study.trials, { goal: 'minimize', seed }).prune) {
        stopped = true;
        break;
      }
    }
    const final = lossAt(params, MAX_STEPS);
    bestSampled = Math.min(bestSampled, final);
    if (stopped) {
      // The diagnostic tells the sampler the loss the trial would have ended with.
      study.tell(index, toldFinal ? final : { pruned: true });
      pruned++;
    } else {
      study.tell(index, final);
      best = Math.min(best, final);
    }
  }
  return { steps, regret: best - LOWER_BOUND, sampledRegret: bestSampled - LOWER_BOUND, pruned };
}
