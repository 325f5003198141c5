/**
 * Our side of the pruners benchmark: one ask/tell `Study` (TPE, default settings, the study seed)
 * per (pruner, seed) on the synthetic curves of curves.ts. Each trial reports its loss at every
 * step, and after each report the pruner built by the registry from the same settings a
 * TuningStudy's `earlyStopping` would carry is asked about it with the study's whole history —
 * exactly the call `trialsToPrune` in operator/engine/pruning.ts makes for each running trial
 * inside `decide` — and the trial stops at once on "prune" (a runtime stops it within one report).
 */
import { Study } from '../../operator/engine/study.js';
import { createPruner } from '../../operator/pruners/registry.js';
import { CURVE_PARAMETERS, LOWER_BOUND, lossAt, MAX_STEPS } from './curves.js';

/** Our pruners in the benchmark with their settings (Optuna's counterparts in optuna_runner.py). */
export const OUR_PRUNERS: Record<string, Record<string, number>> = {
  none: {},
  median: { startupTrials: 5, warmupSteps: 0 },
  asha: { minResource: 2, reductionFactor: 4, maxResource: MAX_STEPS },
  hyperband: { minResource: 1, maxResource: MAX_STEPS, reductionFactor: 3 },
};

export interface PrunedRun {
  /** Training steps run in all (a trial pruned after reporting step s used s steps). */
  steps: number;
  /** Best final loss of the completed trials minus the curves' lower bound. */
  regret: number;
  pruned: number;
}

export function runPruned(pruner: string, seed: number, trials: number): PrunedRun {
  const study = new Study({ objective: { metric: 'loss', goal: 'minimize' }, parameters: CURVE_PARAMETERS, algorithm: { name: 'tpe', seed } });
  const policy = createPruner(pruner, OUR_PRUNERS[pruner] ?? {});
  let steps = 0;
  let best = Infinity;
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
    if (stopped) {
      study.tell(index, { pruned: true });
      pruned++;
    } else {
      const value = lossAt(params, MAX_STEPS);
      study.tell(index, value);
      best = Math.min(best, value);
    }
  }
  return { steps, regret: best - LOWER_BOUND, pruned };
}
