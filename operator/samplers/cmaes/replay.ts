/**
 * Rebuilding the CMA-ES run from a study's history, so that the sampler keeps no state between
 * calls and a restarted operator decides exactly as before (design §3).
 *
 * **The rule the sampler follows** (Optuna's CmaEsSampler, asynchronous): every trial is drawn
 * from the newest distribution, with an rng keyed by `(seed, generation, trial index, attempt)`.
 * Generation g is updated ("told") as soon as λ of its trials have succeeded — the first λ
 * successes in index order — whatever other trials of g are still running; failed, pruned and NaN
 * trials never count, and new trials keep coming from g until λ succeed, so failures cost trials,
 * never progress. Trials of g that finish after the update are not used (as in Optuna).
 *
 * **Replaying it.** Which trials had succeeded when g was told is not in the history: a trial
 * running then may have succeeded since. So the replay asks the trials themselves. Walking the
 * history in index order, each trial is re-drawn from the distributions it may have come from and
 * tagged with the one that reproduces its parameters (this also recovers the raw point the update
 * needs — for discrete coordinates the point before rounding, as CMA-ES with Margin requires). The
 * candidates are g itself and g + 1 built from a hypothetical set of λ successes: first the first
 * λ successes now known (nothing was running), then sets that leave out one, two, … of those
 * successes (they were still running then), up to `hypothesisBudget` sets per trial. A trial
 * that no candidate reproduces — planned by another sampler, edited, the random configuration the
 * duplicate guard fell back to, or drawn after more stragglers than the budget can explain — is
 * left out of the updates; if the first trials of g + 1 are lost that way, later calls simply
 * start g + 1 afresh from the successes they see.
 *
 * **Cost.** A replay re-draws each trial about twice (d² work each) and decomposes C once per
 * generation (d³), plus once per hypothesis tried when stragglers were skipped. A replayer keeps
 * its last run: the next call compares the history with the one it saw (index, state, value and
 * parameters of each trial) and resumes from the last generation boundary inside the unchanged
 * prefix, so a steady study pays only for its new trials.
 */
import type { SearchSpace } from '../../space/space.js';
import type { Params, ParamValue } from '../../space/types.js';
import type { UnitCube } from '../../space/unit-cube.js';
import { Rng } from '../rng.js';
import { type Goal, isComplete, lossOf, type TrialRecord } from '../types.js';
import type { Coordinate } from './coordinates.js';
import { applyMargin } from './margin.js';
import { type Draw, drawPoint, type Layout } from './sample.js';
import { type CmaConstants, type CmaState, type Scored, tell } from './strategy.js';

/**
 * Hypothetical sets of λ successes tried on one trial before it is given up on: as many as about
 * 0.1 s of CMA-ES updates allows (an update costs some 10 d³ + λ d² operations), between 64 and
 * 1024. The answer is remembered per trial (and per set of successes seen before it).
 */
export function hypothesisBudget(dim: number, lambda: number): number {
  return Math.max(64, Math.min(1024, Math.floor(1e8 / (10 * dim ** 3 + lambda * dim ** 2 + 1000))));
}

/** Trials per generation whose hypotheses may all fail before the search stops for that generation. */
const MAX_FUTILE_SEARCHES = 1;

/** Successor distributions kept per generation (each holds a few d × d matrices): a full search. */
const MAX_CACHED_SUCCESSORS = 1024;

/** Everything that fixes a study's CMA-ES run apart from its history. */
export interface RunConfig {
  readonly space: SearchSpace;
  readonly cube: UnitCube;
  readonly layout: Layout;
  /** Undefined when nothing is searched (every coordinate fixed or free). */
  readonly constants: CmaConstants | undefined;
  readonly initial: CmaState;
  readonly margin: number;
  readonly maxResample: number;
  /** Proposals per trial the duplicate guard may have made (1 outside all-discrete spaces). */
  readonly attempts: number;
  readonly seed: number;
  readonly goal: Goal;
}

/** Trial `index`'s point when drawn from `state` on proposal `attempt`. */
export function drawFor(cfg: RunConfig, state: CmaState, index: number, attempt: number): Draw {
  return drawPoint(state, cfg.layout, new Rng(cfg.seed, 'cmaes', state.generation, index, attempt), cfg.maxResample);
}

export interface ReplayResult {
  /** The distribution of every generation that has drawn a trial (or the initial one). */
  readonly states: readonly CmaState[];
  /** The distribution the next trial is drawn from: the last of `states`, or its successor once λ of its trials have succeeded. */
  readonly next: CmaState;
  /** Generation of each trial given (in index order), or -1 when no candidate reproduces it. */
  readonly tags: readonly number[];
}

/** A succeeded trial of the newest generation. */
interface Win extends Scored {
  readonly index: number;
}

interface Checkpoint {
  /** Number of trials processed. */
  readonly at: number;
  readonly generations: number;
  /** Successes of the newest generation so far. */
  readonly wins: readonly Win[];
}

/** Replays one study (one space, seed and goal); keeps its last run to resume from. */
export class Replayer {
  private trials: TrialRecord[] = [];
  private states: CmaState[];
  private tags: number[] = [];
  private checkpoints: Checkpoint[] = [{ at: 0, generations: 1, wins: [] }];
  /** Per distribution: its successors by the successes told, and trials already identified. */
  private readonly memo = new WeakMap<CmaState, { successors: Map<string, CmaState>; identified: Map<string, { found: Identified | undefined; searched: boolean }> }>();

  constructor(readonly cfg: RunConfig) {
    this.states = [cfg.initial];
  }

  /** Replays `history` (any order; the trials planned before the one being suggested). */
  run(history: readonly TrialRecord[]): ReplayResult {
    const trials = [...history].sort((a, b) => a.index - b.index);
    let same = 0;
    while (same < trials.length && same < this.trials.length && sameRecord(trials[same] as TrialRecord, this.trials[same] as TrialRecord)) same++;
    while ((this.checkpoints[this.checkpoints.length - 1] as Checkpoint).at > same) this.checkpoints.pop();
    const from = this.checkpoints[this.checkpoints.length - 1] as Checkpoint;
    this.states.length = from.generations;
    this.tags.length = from.at;
    this.trials = trials;

    const k = this.cfg.constants;
    let wins = from.wins.slice();
    // Trials of the newest generation that no hypothesis explained. Past `MAX_FUTILE_SEARCHES`
    // the search stops for the rest of the generation, so that a study run with far more parallel
    // trials than λ cannot make every call expensive. (Deterministic: a generation is always
    // replayed from its start, as checkpoints sit at generation boundaries.)
    let futile = 0;
    for (let pos = from.at; pos < trials.length; pos++) {
      const t = trials[pos] as TrialRecord;
      if (k === undefined) {
        this.tags.push(0); // nothing is searched: there is only the initial distribution
        continue;
      }
      const current = this.states[this.states.length - 1] as CmaState;
      const { found, searched } = this.identify(k, t, current, wins, futile < MAX_FUTILE_SEARCHES);
      if (found === undefined) {
        if (searched) futile++;
        this.tags.push(-1);
        continue;
      }
      const x = found.x;
      const successor = found.successor;
      if (successor !== undefined) {
        this.states.push(successor);
        wins = [];
        futile = 0;
        // Only the newest generations are ever searched again; let the older memos go.
        const stale = this.states[this.states.length - 3];
        if (stale !== undefined) this.memo.delete(stale);
      }
      this.tags.push(this.states.length - 1);
      if (isComplete(t)) wins.push({ index: t.index, x, loss: lossOf(t.value, this.cfg.goal) });
      if (successor !== undefined) this.checkpoints.push({ at: pos + 1, generations: this.states.length, wins: wins.slice() });
    }
    const newest = this.states[this.states.length - 1] as CmaState;
    const next = k !== undefined && wins.length >= k.lambda ? this.successor(k, newest, wins.slice(0, k.lambda)) : newest;
    return { states: this.states.slice(), next, tags: this.tags.slice() };
  }

  /**
   * Which distribution drew `t`, given the newest one and its successes so far. Candidates in
   * order of likelihood: the successor told with the first λ successes, the newest itself, then
   * successors told while some of those successes were still running. Remembered per
   * distribution, successes and trial, as it is a function of exactly those.
   */
  private identify(k: CmaConstants, t: TrialRecord, current: CmaState, wins: readonly Win[], search: boolean): { found: Identified | undefined; searched: boolean } {
    const memo = this.memoOf(current);
    const key = `${t.index}|${search}|${JSON.stringify(t.params)}|${winsKey(wins)}`;
    const known = memo.identified.get(key);
    if (known !== undefined) return known;
    let found: Identified | undefined;
    const first = wins.length >= k.lambda ? this.successor(k, current, wins.slice(0, k.lambda)) : undefined;
    const x = first === undefined ? undefined : this.reproduce(t, first);
    if (x !== undefined) found = { x, successor: first };
    if (found === undefined) {
      const y = this.reproduce(t, current);
      if (y !== undefined) found = { x: y, successor: undefined };
    }
    const searched = found === undefined && search && wins.length > k.lambda;
    if (searched) {
      for (const told of stragglerHypotheses(wins, k.lambda, hypothesisBudget(k.dim, k.lambda))) {
        const successor = this.successor(k, current, told);
        const z = this.reproduce(t, successor);
        if (z !== undefined) {
          found = { x: z, successor };
          break;
        }
      }
    }
    const result = { found, searched };
    memo.identified.set(key, result);
    return result;
  }

  private memoOf(state: CmaState) {
    let memo = this.memo.get(state);
    if (memo === undefined) this.memo.set(state, (memo = { successors: new Map(), identified: new Map() }));
    return memo;
  }

  /** The distribution after telling `told` to `current`; cached per set of successes. */
  private successor(k: CmaConstants, current: CmaState, told: readonly Win[]): CmaState {
    const successors = this.memoOf(current).successors;
    const key = winsKey(told);
    let next = successors.get(key);
    if (next === undefined) {
      const searched = this.cfg.layout.searched.map((i) => this.cfg.layout.coords[i] as Coordinate);
      next = applyMargin(tell(k, current, told), searched, this.cfg.margin);
      if (successors.size >= MAX_CACHED_SUCCESSORS) successors.clear(); // a cache: forgetting only costs time
      successors.set(key, next);
    }
    return next;
  }

  /** The raw point of `t` if `state` reproduces its parameters on some attempt. */
  private reproduce(t: TrialRecord, state: CmaState): Float64Array | undefined {
    for (let attempt = 0; attempt < this.cfg.attempts; attempt++) {
      const d = drawFor(this.cfg, state, t.index, attempt);
      if (sameParams(this.cfg.cube.decode(d.u), t.params)) return d.x;
    }
    return undefined;
  }
}

/** A trial's raw point and, when it was drawn from a new generation, that generation's distribution. */
interface Identified {
  readonly x: Float64Array;
  readonly successor: CmaState | undefined;
}

function winsKey(wins: readonly Win[]): string {
  return wins.map((w) => `${w.index}:${w.loss}`).join(',');
}

/**
 * Sets of λ successes that could have been told if some of the successes now known were still
 * running at the time, most likely first. A set is fixed by its
 * last success and the ones before it that were left out; trials still running at a given moment
 * are mostly the latest launched, so sets that leave out successes close to the last one come
 * first: they are ordered by the sum of the left-out successes' distances (in positions) below the
 * last one, then by how many are left out. At most `budget` sets.
 */
export function* stragglerHypotheses<T>(wins: readonly T[], lambda: number, budget: number): Generator<T[]> {
  const maxSkip = wins.length - lambda;
  for (let sum = 0; sum <= maxSkip * (lambda + maxSkip); sum++) {
    for (let skip = 1; skip <= maxSkip && (skip * (skip - 1)) / 2 <= sum; skip++) {
      const last = lambda + skip - 1; // position of the last success told
      for (const distances of distinctParts(sum, skip, last - 1)) {
        if (budget-- <= 0) return;
        const left = new Set(distances.map((d) => last - 1 - d));
        yield wins.slice(0, last + 1).filter((_, pos) => !left.has(pos));
      }
    }
  }
}

/** Increasing sequences of `parts` distinct integers in [min, max] that sum to `sum`. */
function* distinctParts(sum: number, parts: number, max: number, min = 0): Generator<number[]> {
  if (parts === 0) {
    if (sum === 0) yield [];
    return;
  }
  for (let first = min; first <= max && first * parts + (parts * (parts - 1)) / 2 <= sum; first++) {
    for (const rest of distinctParts(sum - first, parts - 1, max, first + 1)) yield [first, ...rest];
  }
}

/** Whether the replay of `a` and `b` is the same: same record, or same index, state, value and parameters. */
function sameRecord(a: TrialRecord, b: TrialRecord): boolean {
  if (a === b) return true;
  if (a.index !== b.index || a.state !== b.state || !Object.is(a.value, b.value)) return false;
  const keys = Object.keys(a.params);
  if (keys.length !== Object.keys(b.params).length) return false;
  return keys.every((k) => {
    const x = a.params[k] as ParamValue;
    const y = b.params[k];
    return Array.isArray(x) ? Array.isArray(y) && x.length === y.length && x.every((v, i) => v === y[i]) : x === y;
  });
}

/**
 * Parameters equal up to a relative 1e-9 on numbers, so that a store which round-trips values
 * through a slightly lossy text form still lets trials be recognised.
 */
export function sameParams(a: Params, b: Params): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => sameValue(a[key] as ParamValue, b[key]));
}

function sameValue(a: ParamValue, b: ParamValue | undefined): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
}
