/**
 * Which trials count, and which of them are "good" — the bookkeeping half of TPE, kept apart
 * from the density math (style.md). Semantics of Optuna 5.0's `_split_trials`:
 *
 * - succeeded trials are ranked by loss (ties keep trial order) and the best `nBelow` are good;
 * - if fewer than `nBelow` succeeded, pruned trials fill the rest, ranked first by the last step
 *   they reached (further is better), then by their value at that step (NaN worst); a pruned
 *   trial that reported nothing ranks after all that did;
 * - every other succeeded or pruned trial is bad;
 * - with the constant liar, trials still pending or running are bad too: the model then
 *   believes the neighbourhood of a running trial is poor, so parallel suggestions spread out.
 *   They do not count towards `n`, the number that sets `nBelow`;
 * - failed trials (and succeeded ones without a usable value) are ignored altogether.
 */
import type { Params } from '../../space/types.js';
import { type Goal, lossOf, type TrialRecord } from '../types.js';

export interface TrialSplit {
  /** Parameters of the good trials, in index order. */
  readonly below: readonly Params[];
  /** Parameters of the bad trials (pending ones included under the constant liar), in index order. */
  readonly above: readonly Params[];
  /** Parameters of the succeeded and pruned trials, in index order. */
  readonly finishedParams: readonly Params[];
  /** Succeeded plus pruned trials: the `n` of `gamma(n)`. */
  readonly finished: number;
}

/** Sort key of a pruned trial, smaller is better: [-last step, loss at that step]. */
export function prunedRank(t: TrialRecord, goal: Goal): [number, number] {
  const last = t.intermediate?.at(-1);
  if (last === undefined) {
    // Reported nothing: after every pruned trial that did. A value told with the pruning
    // (which Optuna cannot have) orders these among themselves.
    return [1, typeof t.value === 'number' && !Number.isNaN(t.value) ? lossOf(t.value, goal) : 0];
  }
  const [step, value] = last;
  return [-step, Number.isNaN(value) ? Infinity : lossOf(value, goal)];
}

export function splitTrials(
  history: readonly TrialRecord[],
  goal: Goal,
  gamma: (n: number) => number,
  constantLiar: boolean,
): TrialSplit {
  // One pass reads every record once (records come in many shapes, so reads are not free):
  // role 0 ignored, 1 succeeded, 2 pruned, 3 pending.
  const N = history.length;
  const role = new Uint8Array(N);
  const order = new Float64Array(N);
  const complete: number[] = [];
  const losses: number[] = [];
  const pruned: number[] = [];
  let sorted = true;
  for (let i = 0; i < N; i++) {
    const t = history[i] as TrialRecord;
    order[i] = t.index;
    if (i > 0 && (order[i] as number) < (order[i - 1] as number)) sorted = false;
    const state = t.state;
    if (state === 'succeeded') {
      const value = t.value;
      if (typeof value === 'number' && !Number.isNaN(value)) {
        role[i] = 1;
        complete.push(i);
        losses.push(goal === 'minimize' ? value : -value);
      }
    } else if (state === 'pruned') {
      role[i] = 2;
      pruned.push(i);
    } else if (constantLiar && (state === 'pending' || state === 'running')) {
      role[i] = 3;
    }
  }
  if (!sorted) return splitTrials([...history].sort((x, y) => x.index - y.index), goal, gamma, constantLiar);

  const finished = complete.length + pruned.length;
  let nBelow = Math.max(0, Math.floor(gamma(finished)));
  const good = new Uint8Array(N);

  const take = Math.min(nBelow, complete.length);
  if (take > 0) {
    // The `take` smallest losses, ties going to the earlier trial (a stable sort's choice).
    const threshold = kthSmallest(losses, take);
    let taken = 0;
    for (let j = 0; j < complete.length; j++) if ((losses[j] as number) < threshold) (good[complete[j] as number] = 1), taken++;
    for (let j = 0; j < complete.length && taken < take; j++) if (losses[j] === threshold) (good[complete[j] as number] = 1), taken++;
  }
  nBelow -= take;

  if (nBelow > 0 && pruned.length > 0) {
    const ranked = pruned
      .map((i) => ({ i, rank: prunedRank(history[i] as TrialRecord, goal) }))
      .sort((x, y) => x.rank[0] - y.rank[0] || x.rank[1] - y.rank[1] || x.i - y.i);
    for (const { i } of ranked.slice(0, nBelow)) good[i] = 1;
  }

  const below: Params[] = [];
  const above: Params[] = [];
  const finishedParams: Params[] = [];
  for (let i = 0; i < N; i++) {
    const r = role[i] as number;
    if (r === 0) continue;
    const params = (history[i] as TrialRecord).params;
    if (good[i] === 1) below.push(params);
    else above.push(params);
    if (r !== 3) finishedParams.push(params);
  }
  return { below, above, finishedParams, finished };
}

/**
 * The k-th smallest of `values` (1-based): one pass keeping the k smallest in a sorted buffer,
 * cheap because k (at most 25 by default) is small and most values are rejected at a glance.
 * Infinity when there are fewer than k values.
 */
function kthSmallest(values: readonly number[], k: number): number {
  const best = new Float64Array(k).fill(Infinity);
  let worst = Infinity;
  let filled = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (filled === k && !(v < worst)) continue;
    let j = Math.min(filled, k - 1);
    while (j > 0 && (best[j - 1] as number) > v) (best[j] = best[j - 1] as number), j--;
    best[j] = v;
    if (filled < k) filled++;
    worst = best[k - 1] as number;
  }
  return worst;
}
