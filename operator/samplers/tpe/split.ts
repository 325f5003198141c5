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
import { type Goal, isComplete, isPending, lossOf, type TrialRecord } from '../types.js';

export interface TrialSplit {
  /** Good trials, in index order. */
  readonly below: readonly TrialRecord[];
  /** Bad trials (pending ones included under the constant liar), in index order. */
  readonly above: readonly TrialRecord[];
  /** Succeeded plus pruned trials: the `n` of `gamma(n)`. */
  readonly finished: number;
}

/** Succeeded and pruned trials: those a model may learn from, and that start-up counts. */
export function countFinished(history: readonly TrialRecord[]): number {
  let n = 0;
  for (const t of history) if (isComplete(t) || t.state === 'pruned') n++;
  return n;
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
  const trials = isSortedByIndex(history) ? history : [...history].sort((x, y) => x.index - y.index);
  // One pass to classify: the records may come in many shapes, so each is read once.
  const role = new Uint8Array(trials.length); // 0 ignored, 1 succeeded, 2 pruned, 3 pending
  const complete: number[] = [];
  const losses: number[] = [];
  const pruned: number[] = [];
  for (let i = 0; i < trials.length; i++) {
    const t = trials[i] as TrialRecord;
    if (isComplete(t)) {
      role[i] = 1;
      complete.push(i);
      losses.push(lossOf(t.value, goal));
    } else if (t.state === 'pruned') {
      role[i] = 2;
      pruned.push(i);
    } else if (constantLiar && isPending(t)) {
      role[i] = 3;
    }
  }
  const finished = complete.length + pruned.length;
  let nBelow = Math.max(0, Math.floor(gamma(finished)));
  const good = new Uint8Array(trials.length);

  const take = Math.min(nBelow, complete.length);
  if (take > 0) {
    // The `take` smallest losses, ties going to the earlier trial (a stable sort's choice).
    const threshold = Float64Array.from(losses).sort()[take - 1] as number;
    let taken = 0;
    for (let j = 0; j < complete.length; j++) if ((losses[j] as number) < threshold) (good[complete[j] as number] = 1), taken++;
    for (let j = 0; j < complete.length && taken < take; j++) if (losses[j] === threshold) (good[complete[j] as number] = 1), taken++;
  }
  nBelow -= take;

  if (nBelow > 0 && pruned.length > 0) {
    const ranked = pruned
      .map((i) => ({ i, rank: prunedRank(trials[i] as TrialRecord, goal) }))
      .sort((x, y) => x.rank[0] - y.rank[0] || x.rank[1] - y.rank[1] || x.i - y.i);
    for (const { i } of ranked.slice(0, nBelow)) good[i] = 1;
  }

  const below: TrialRecord[] = [];
  const above: TrialRecord[] = [];
  for (let i = 0; i < trials.length; i++) {
    if (good[i] === 1) below.push(trials[i] as TrialRecord);
    else if (role[i] !== 0) above.push(trials[i] as TrialRecord);
  }
  return { below, above, finished };
}

function isSortedByIndex(history: readonly TrialRecord[]): boolean {
  for (let i = 1; i < history.length; i++) if ((history[i] as TrialRecord).index < (history[i - 1] as TrialRecord).index) return false;
  return true;
}
