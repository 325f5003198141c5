/**
 * Rebuilding the CMA-ES run from a study's history, so that the sampler keeps no state between
 * calls and a restarted operator decides exactly as before (design §3).
 *
 * **Which generation a trial belongs to.** Trial i was drawn from the newest distribution the
 * sampler could build when it was planned, with an rng keyed by `(seed, generation, i, attempt)`.
 * Which generation that was depends on which trials had finished at the time — something the
 * history does not record. So the replay asks the trial itself: it re-draws trial i from each
 * candidate generation (the newest first, down to the generation of the previous tagged trial, as
 * generations never go backwards in trial order) and tags it with the one that reproduces its
 * parameters. This also recovers the raw point `x` the update needs (for discrete coordinates the
 * point before rounding, as CMA-ES with Margin requires), inactive conditional coordinates
 * included. A trial no generation reproduces — planned by another sampler, edited, or the random
 * unseen configuration the duplicate guard fell back to — is left out of the updates.
 *
 * **When a generation is complete** (the asynchronous bookkeeping). Generation g is told to
 * CMA-ES once λ of its trials have succeeded, taking the first λ successes in index order; failed,
 * pruned and NaN trials are skipped (they are final, so skipping them is stable), and new trials
 * keep being drawn from generation g until λ succeed — failures cost trials, never progress. A
 * trial of g still running *before* the λ-th success holds the update back until it finishes
 * (then it counts, or is skipped if it failed): this is what makes the grouping a function of the
 * final history, since a running trial that later succeeds would otherwise change a generation
 * already told. Meanwhile suggestions continue from generation g, so a slow trial delays learning
 * but never stalls the study; the budget's trial timeout bounds the delay. Trials of g beyond
 * the first λ successes (drawn in parallel while g was completing) are not used, as in Optuna.
 *
 * **Cost.** A replay re-draws each trial about once (d² work) and decomposes C once per
 * generation (d³). A replayer keeps its last run: the next call compares the history with the
 * one it saw (index, state, value and parameters of each trial) and resumes from the last
 * generation boundary inside the unchanged prefix, so a steady study pays only for its new trials.
 */
import type { SearchSpace } from '../../space/space.js';
import type { Params, ParamValue } from '../../space/types.js';
import type { UnitCube } from '../../space/unit-cube.js';
import { Rng } from '../rng.js';
import { type Goal, isComplete, isPending, lossOf, type TrialRecord } from '../types.js';
import type { Coordinate } from './coordinates.js';
import { applyMargin } from './margin.js';
import { type Draw, drawPoint, type Layout } from './sample.js';
import { type CmaConstants, type CmaState, type Scored, tell } from './strategy.js';

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
  /** The distribution of every generation so far; the last is the one to sample from. */
  readonly states: readonly CmaState[];
  /** Generation of each trial given (in index order), or -1 when no generation reproduces it. */
  readonly tags: readonly number[];
}

interface Checkpoint {
  /** Number of trials processed. */
  readonly at: number;
  readonly generations: number;
  readonly lastTag: number;
}

/** Replays one study (one space, seed and goal); keeps its last run to resume from. */
export class Replayer {
  private trials: TrialRecord[] = [];
  private states: CmaState[];
  private tags: number[] = [];
  private checkpoints: Checkpoint[] = [{ at: 0, generations: 1, lastTag: 0 }];

  constructor(readonly cfg: RunConfig) {
    this.states = [cfg.initial];
  }

  /** Replays `trials` (any order; those planned before the trial being suggested). */
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
    let lastTag = from.lastTag;
    let told: Scored[] = [];
    let blocked = false;
    for (let pos = from.at; pos < trials.length; pos++) {
      const t = trials[pos] as TrialRecord;
      const found = k === undefined ? { generation: 0, x: new Float64Array(0) } : this.identify(t, lastTag);
      this.tags.push(found?.generation ?? -1);
      if (found === undefined || k === undefined) continue;
      lastTag = found.generation;
      const newest = this.states.length - 1;
      if (found.generation !== newest || blocked) continue;
      if (isComplete(t)) {
        told.push({ x: found.x, loss: lossOf(t.value, this.cfg.goal) });
        if (told.length === k.lambda) {
          const searched = this.cfg.layout.searched.map((i) => this.cfg.layout.coords[i] as Coordinate);
          this.states.push(applyMargin(tell(k, this.states[newest] as CmaState, told), searched, this.cfg.margin));
          told = [];
          this.checkpoints.push({ at: pos + 1, generations: this.states.length, lastTag });
        }
      } else if (isPending(t)) {
        blocked = true;
      }
    }
    return { states: this.states.slice(), tags: this.tags.slice() };
  }

  /** The generation (newest first, not older than `oldest`) and attempt that reproduce `t`. */
  private identify(t: TrialRecord, oldest: number): { generation: number; x: Float64Array } | undefined {
    for (let g = this.states.length - 1; g >= oldest; g--) {
      for (let attempt = 0; attempt < this.cfg.attempts; attempt++) {
        const d = drawFor(this.cfg, this.states[g] as CmaState, t.index, attempt);
        if (sameParams(this.cfg.cube.decode(d.u), t.params)) return { generation: g, x: d.x };
      }
    }
    return undefined;
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
