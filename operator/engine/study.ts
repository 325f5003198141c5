/**
 * The library face of kubetune: an ask/tell study, as Optuna's, for code that runs its own
 * trials (a training loop in a script, a notebook, a test).
 *
 * ```ts
 * import { Study } from 'kubetune';
 *
 * const study = new Study({
 *   objective: { metric: 'loss', goal: 'minimize' },
 *   parameters: [
 *     { name: 'lr', type: 'float', min: 1e-5, max: 1e-1, log: true },
 *     { name: 'layers', type: 'int', min: 1, max: 4 },
 *   ],
 *   algorithm: { name: 'tpe', seed: 42 },
 * });
 * for (let i = 0; i < 50; i++) {
 *   const { index, params } = study.ask();
 *   study.tell(index, train(params));
 * }
 * console.log(study.best);
 * ```
 *
 * The study is pure bookkeeping: it holds the trials and asks the sampler, with every trial —
 * those asked and not yet told included — as history. The same seed and the same sequence of
 * asks and tells give the same trials.
 */
import { SpecError } from '../api/issues.js';
import { createSampler } from '../samplers/registry.js';
import { Rng } from '../samplers/rng.js';
import { type Goal, lossOf, type Sampler, type TrialRecord, type TrialState } from '../samplers/types.js';
import { SearchSpace } from '../space/space.js';
import type { Params } from '../space/types.js';

export interface Objective {
  /** Name of the metric to optimise, e.g. `val_accuracy`. */
  metric: string;
  goal: Goal;
}

export interface Algorithm {
  /** Sampler name: `random`, `grid`, `sobol`, `tpe`, … */
  name: string;
  /** Seed of every random draw (default 0). */
  seed?: number;
  /** Sampler settings, e.g. `{ startupTrials: 10 }` for TPE. */
  settings?: Record<string, unknown>;
}

export interface StudyOptions {
  objective: Objective;
  /** The search space: the same list a TuningStudy's `spec.parameters` holds. */
  parameters: unknown;
  /** Defaults to `{ name: 'auto', seed: 0 }` (`auto` assumes a budget of 200 trials unless `settings.budget` says otherwise). */
  algorithm?: Algorithm;
}

/** What `tell` accepts: the objective value, all metrics, or how the trial failed. */
export type TrialOutcome =
  | number
  | { metrics: Record<string, number> }
  | { failed: string }
  | { pruned: true; value?: number };

export interface Trial extends TrialRecord {
  /** Every metric told for the trial (the objective among them). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Why the trial failed, when it did. */
  readonly reason?: string;
}

export interface AskedTrial {
  readonly index: number;
  readonly params: Params;
}

/**
 * Every record with the same fields in the same order, present or undefined: samplers read
 * thousands of records per suggestion, and objects of one shape keep V8's property access
 * monomorphic (mixed shapes made TPE's suggestion at 2,000 trials about 2.5x slower).
 */
function trialRecord(t: Trial): Trial {
  return {
    index: t.index,
    params: t.params,
    state: t.state,
    value: t.value,
    intermediate: t.intermediate,
    metrics: t.metrics,
    reason: t.reason,
  } as Trial;
}

/** Thrown by `ask()` when the sampler has no new configuration (a finished grid). */
export class SearchExhaustedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchExhaustedError';
  }
}

export const DEFAULT_ALGORITHM = 'auto';

export class Study {
  readonly objective: Objective;
  readonly space: SearchSpace;
  readonly seed: number;
  private readonly sampler: Sampler;
  private readonly records: Trial[] = [];

  constructor(options: StudyOptions) {
    const goal = options.objective?.goal;
    if (goal !== 'minimize' && goal !== 'maximize') {
      throw new SpecError([{ code: 'bad_goal', path: '/objective/goal', message: 'goal must be minimize or maximize' }]);
    }
    this.objective = { metric: options.objective.metric, goal };
    this.space = SearchSpace.parse(options.parameters);
    const algorithm = options.algorithm ?? { name: DEFAULT_ALGORITHM };
    this.seed = algorithm.seed ?? 0;
    this.sampler = createSampler(algorithm.name, algorithm.settings ?? {});
  }

  /** Every trial so far, in index order. */
  get trials(): readonly Trial[] {
    return this.records;
  }

  /** Proposes the next trial's parameters; the trial is pending until told. */
  ask(): AskedTrial {
    const index = this.records.length;
    const suggestion = this.sampler.suggest(this.space, this.records, {
      index,
      seed: this.seed,
      goal: this.objective.goal,
      rng: new Rng(this.seed, index, this.sampler.name),
    });
    if ('exhausted' in suggestion) throw new SearchExhaustedError(suggestion.exhausted);
    this.records.push(trialRecord({ index, params: suggestion.params, state: 'pending', metrics: {} }));
    return { index, params: suggestion.params };
  }

  /** Records a trial's intermediate objective value at `step` (for pruners and reports). */
  report(index: number, step: number, value: number): void {
    const trial = this.pendingTrial(index);
    const intermediate = [...(trial.intermediate ?? []).filter(([s]) => s !== step), [step, value] as const];
    intermediate.sort((a, b) => a[0] - b[0]);
    this.records[index] = trialRecord({ ...trial, state: 'running', intermediate });
  }

  /** Records how trial `index` ended. A NaN objective counts as a failure, as in Optuna. */
  tell(index: number, outcome: TrialOutcome): Trial {
    const trial = this.pendingTrial(index);
    let told: Trial;
    if (typeof outcome === 'number') {
      told = this.finish(trial, { [this.objective.metric]: outcome });
    } else if ('metrics' in outcome) {
      told = this.finish(trial, outcome.metrics);
    } else if ('failed' in outcome) {
      told = { ...trial, state: 'failed', reason: outcome.failed };
    } else {
      const last = trial.intermediate?.at(-1)?.[1];
      const value = outcome.value ?? last;
      told = { ...trial, state: 'pruned', ...(value === undefined ? {} : { value }) };
    }
    this.records[index] = trialRecord(told);
    return this.records[index] as Trial;
  }

  /** The best succeeded trial so far, or undefined before the first. */
  get best(): Trial | undefined {
    let best: Trial | undefined;
    for (const t of this.records) {
      if (t.state !== 'succeeded' || t.value === undefined) continue;
      if (best === undefined || lossOf(t.value, this.objective.goal) < lossOf(best.value as number, this.objective.goal)) best = t;
    }
    return best;
  }

  private pendingTrial(index: number): Trial {
    const trial = this.records[index];
    if (trial === undefined) throw new RangeError(`no trial ${index} (asked ${this.records.length})`);
    if (trial.state !== 'pending' && trial.state !== 'running') {
      throw new RangeError(`trial ${index} is already ${trial.state}`);
    }
    return trial;
  }

  private finish(trial: Trial, metrics: Record<string, number>): Trial {
    const value = metrics[this.objective.metric];
    if (value === undefined) {
      return { ...trial, state: 'failed', metrics, reason: `metric "${this.objective.metric}" missing` };
    }
    if (Number.isNaN(value)) return { ...trial, state: 'failed', metrics, value, reason: `metric "${this.objective.metric}" is NaN` };
    const state: TrialState = 'succeeded';
    return { ...trial, state, metrics, value };
  }
}
