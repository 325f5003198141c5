/**
 * Parameter importance by PED-ANOVA (Watanabe, Bansal & Hutter, "PED-ANOVA: Efficiently
 * Quantifying Hyperparameter Importance in Arbitrary Subspaces", IJCAI 2023, arXiv:2304.10255),
 * the method behind Optuna's `PedAnovaImportanceEvaluator`.
 *
 * The idea in three sentences. Take the trials whose objective is in the best `baselineQuantile`
 * (the "top" set) and all completed trials (the "local" set). For each parameter, fit a 1-D
 * density of its values in either set (`parzen1d.ts`). A parameter matters as much as its top
 * density departs from its overall density — measured by the Pearson divergence
 * `Σ p_local · (p_top / p_local − 1)²` — and the divergences are normalised to sum to 1.
 *
 * Why this and not fANOVA: fANOVA fits a random forest and marginalises over it, which needs a
 * forest implementation and is slow and seed-dependent; PED-ANOVA is closed-form, deterministic,
 * linear in the number of trials, and answers the question a report reader asks ("which
 * parameters did the good trials agree on?"). What it does not promise: interactions are not
 * separated from main effects, and with fewer than ~5 trials in the top set the answer is noisy.
 *
 * Our choices where the paper leaves room:
 *  - numeric parameters are binned on a grid of at most `gridSteps` points over `[min, max]` (on a
 *    log scale when the parameter is), fewer when an int or stepped range has fewer values;
 *  - a `subset` parameter is treated as a categorical over the subsets actually observed;
 *  - a conditional parameter is judged on the trials where it is active; if fewer than
 *    `minTopTrials` of the top set have it, its importance is 0;
 *  - a parameter with a single possible value has importance 0.
 *
 * Pure: parameters and (params, loss) pairs in, numbers out.
 */
import type { ParamSpec, ParamValue, Params } from '../space/types.js';
import { categoricalDensity, orderedDensity } from './parzen1d.js';

export interface ImportanceOptions {
  /** Share of trials, best first, that form the top set (default 0.1: "what got us to the top 10%"). */
  baselineQuantile?: number;
  /** Most bins of a numeric parameter's grid (default 50). */
  gridSteps?: number;
  /** Weight of the prior kernel in each density (default 1). */
  priorWeight?: number;
  /** Fewest trials in the top set, whatever the quantile says (default 2). */
  minTopTrials?: number;
}

export const DEFAULT_IMPORTANCE_OPTIONS: Required<ImportanceOptions> = {
  baselineQuantile: 0.1,
  gridSteps: 50,
  priorWeight: 1,
  minTopTrials: 2,
};

/** One completed trial as importance sees it: its parameters and the loss (lower is better). */
export interface ImportanceObservation {
  params: Params;
  loss: number;
}

export interface ParamImportance {
  name: string;
  /** Share of the total importance, in [0, 1]; the shares sum to 1 (or are all 0 with no data). */
  importance: number;
}

export interface ImportanceResult {
  method: 'PED-ANOVA';
  baselineQuantile: number;
  /** Completed trials used. */
  trials: number;
  /** Trials in the top set. */
  topTrials: number;
  /** When the numbers carry no information (too few trials), why. */
  note?: string;
  /** Most important first; ties keep the order of the search space. */
  importances: ParamImportance[];
}

/** PED-ANOVA importance of every parameter, from completed trials' parameters and losses. */
export function pedAnovaImportance(
  parameters: readonly ParamSpec[],
  observations: readonly ImportanceObservation[],
  options: ImportanceOptions = {},
): ImportanceResult {
  const opts = { ...DEFAULT_IMPORTANCE_OPTIONS, ...options };
  if (!(opts.baselineQuantile > 0 && opts.baselineQuantile <= 1)) {
    throw new RangeError(`baselineQuantile must be in (0, 1], got ${opts.baselineQuantile}`);
  }
  const obs = observations.filter((o) => Number.isFinite(o.loss));
  const variable = parameters.filter((p) => !isSingleValued(p));
  const result = (importances: ParamImportance[], topTrials: number, note?: string): ImportanceResult => ({
    method: 'PED-ANOVA',
    baselineQuantile: opts.baselineQuantile,
    trials: obs.length,
    topTrials,
    ...(note === undefined ? {} : { note }),
    importances: sortByImportance(importances),
  });
  const zeroFor = (ps: readonly ParamSpec[]) => ps.filter((p) => isSingleValued(p)).map((p) => ({ name: p.name, importance: 0 }));

  if (variable.length === 0) return result(zeroFor(parameters), 0, 'no parameter takes more than one value');
  if (obs.length <= opts.minTopTrials) {
    const equal = variable.map((p) => ({ name: p.name, importance: 1 / variable.length }));
    return result([...equal, ...zeroFor(parameters)], obs.length, `only ${obs.length} completed trials: shares are equal`);
  }

  const top = topSet(obs, opts.baselineQuantile, opts.minTopTrials);
  const raw = variable.map((p) => ({ name: p.name, importance: pearsonDivergence(p, top, obs, opts) }));
  const sum = raw.reduce((a, r) => a + r.importance, 0);
  const shares = sum > 0 ? raw.map((r) => ({ name: r.name, importance: r.importance / sum })) : raw.map((r) => ({ name: r.name, importance: 1 / raw.length }));
  const note = top.length === obs.length ? 'every trial is in the top set: shares are equal' : undefined;
  return result([...shares, ...zeroFor(parameters)], top.length, note);
}

/**
 * The best `quantile` of observations, at least `minTop` of them, ties at the cutoff included
 * (so equal losses are never split arbitrarily between "top" and "rest").
 */
export function topSet(obs: readonly ImportanceObservation[], quantile: number, minTop: number): ImportanceObservation[] {
  const losses = obs.map((o) => o.loss).sort((a, b) => a - b);
  const k = Math.min(losses.length, Math.max(minTop, Math.ceil(quantile * losses.length)));
  const cutoff = losses[k - 1] as number;
  return obs.filter((o) => o.loss <= cutoff);
}

function pearsonDivergence(
  param: ParamSpec,
  top: readonly ImportanceObservation[],
  all: readonly ImportanceObservation[],
  opts: Required<ImportanceOptions>,
): number {
  const binner = makeBinner(param, all, opts.gridSteps);
  const binsOf = (set: readonly ImportanceObservation[]) => {
    const counts = new Array<number>(binner.size).fill(0);
    for (const o of set) {
      const value = o.params[param.name];
      const bin = value === undefined ? undefined : binner.bin(value);
      if (bin !== undefined) counts[bin] = (counts[bin] as number) + 1;
    }
    return counts;
  };
  const topCounts = binsOf(top);
  if (topCounts.reduce((a, b) => a + b, 0) < opts.minTopTrials) return 0;
  const density = binner.ordered ? orderedDensity : categoricalDensity;
  const pTop = density(topCounts, opts.priorWeight);
  const pAll = density(binsOf(all), opts.priorWeight);
  let divergence = 0;
  for (let k = 0; k < binner.size; k++) {
    const local = (pAll[k] as number) + 1e-12;
    const ratio = ((pTop[k] as number) + 1e-12) / local;
    divergence += local * (ratio - 1) ** 2;
  }
  return divergence;
}

interface Binner {
  size: number;
  /** True when bins have an order (numbers), false for categories. */
  ordered: boolean;
  bin(value: ParamValue): number | undefined;
}

function makeBinner(param: ParamSpec, all: readonly ImportanceObservation[], gridSteps: number): Binner {
  switch (param.type) {
    case 'float':
    case 'int': {
      const log = param.log === true && param.min > 0;
      const scale = log ? Math.log : (x: number) => x;
      let size = gridSteps;
      if (param.type === 'int' && log) size = Math.min(size, Math.ceil(Math.log2(param.max - param.min + 1)) + 1);
      else if (param.type === 'int' || param.step !== undefined) {
        const step = param.step ?? 1;
        size = Math.min(size, Math.round((param.max - param.min) / step) + 1);
      }
      const lo = scale(param.min);
      const width = (scale(param.max) - lo) / Math.max(1, size - 1);
      return {
        size,
        ordered: true,
        bin: (v) => {
          if (typeof v !== 'number' || !Number.isFinite(v) || (log && v <= 0)) return undefined;
          const k = Math.round((scale(v) - lo) / width);
          return Math.min(size - 1, Math.max(0, k));
        },
      };
    }
    case 'categorical': {
      const index = new Map(param.values.map((v, i) => [categoryKey(v), i]));
      return { size: param.values.length, ordered: false, bin: (v) => index.get(categoryKey(v)) };
    }
    case 'subset': {
      const keys = [...new Set(all.flatMap((o) => (o.params[param.name] === undefined ? [] : [categoryKey(o.params[param.name] as ParamValue)])))].sort();
      const index = new Map(keys.map((k, i) => [k, i]));
      return { size: Math.max(1, keys.length), ordered: false, bin: (v) => index.get(categoryKey(v)) };
    }
  }
}

/** Category identity that keeps `1` and `'1'` apart. */
function categoryKey(v: ParamValue): string {
  return JSON.stringify(v);
}

function isSingleValued(p: ParamSpec): boolean {
  switch (p.type) {
    case 'float':
    case 'int':
      return p.min === p.max;
    case 'categorical':
      return p.values.length <= 1;
    case 'subset':
      return p.values.length <= 1 && (p.minSize ?? 1) >= p.values.length;
  }
}

function sortByImportance(list: ParamImportance[]): ParamImportance[] {
  // Array.prototype.sort is stable, so equal shares keep the search space's order.
  return [...list].sort((a, b) => b.importance - a.importance);
}
