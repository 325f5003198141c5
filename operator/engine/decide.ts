/**
 * `decide(study, observed, now)`: the one brain of design.md §3. Given every trial of a study and
 * the time, it says which trials to create, which to stop and whether the study is over. It
 * reads no clock (now is an argument), touches no disk, process or cluster, and keeps no state:
 * the same arguments give the same decision, so a restarted body replays the same plan.
 *
 * The rules, in the order they apply:
 *
 *  1. The study ends early, cancelling what still runs, when
 *     - a succeeded trial meets `objective.targetValue`            → TargetReached (Completed);
 *     - more than `budget.maxFailedTrials` trials failed             → MaxFailedTrials (Failed);
 *     - `budget.timeout` has passed since the study started          → Timeout.
 *  2. Each running trial past `budget.trialTimeout` is stopped (Timeout); each pending trial
 *     past `budget.pendingTimeout` is stopped (PendingTimeout); the study's pruner
 *     (`earlyStopping`) may stop a running trial that has reported (Pruned).
 *  3. Unless `suspend` is set, new trials are planned up to `parallelism` active (pending or
 *     running) and `maxTrials` in total. Each plan gets the next index and the sampler's
 *     suggestion for it, with the whole history — pending trials and the plans made earlier in
 *     this same decision included — so parallel trials do not repeat each other. Its randomness
 *     comes from `(seed, index)`. With `algorithm.repeats: k`, trial i is repeat i mod k of
     configuration ⌊i/k⌋: repeat 0 asks the sampler (which sees one record per configuration, the
     mean of its repeats; repeats.ts), the others train the same parameters with their own seed.
 *  4. With nothing active and nothing launched, the study ends: MaxTrials when the budget is
 *     spent, SearchExhausted when the sampler has nothing new (a finished grid).
 */
import { Rng } from '../samplers/rng.js';
import type { TrialRecord } from '../samplers/types.js';
import type { CompiledStudy } from './compile.js';
import { bestTrial, objectiveSeries, reachesTarget } from './objective.js';
import { trialsToPrune } from './pruning.js';
import { configurationOf, groupForSampler, rankConfigurations } from './repeats.js';
import type { Decision, EngineTrial, Finish, Observation, StopOrder, StopReason, TrialPlan } from './types.js';

const isActive = (t: EngineTrial) => t.state === 'pending' || t.state === 'running';

/** `KUBETUNE_SEED` of trial `index`: derived, so a re-run trial gets the same seed. */
export function trialSeed(studySeed: number, index: number): number {
  return new Rng(studySeed, index, 'trial-seed').nextUint32();
}

/** What the sampler sees of a trial: its state, its objective value and intermediate values. */
export function toSamplerRecord(study: CompiledStudy, t: EngineTrial): TrialRecord {
  const intermediate = objectiveSeries(t.reports, study.spec.objective.metric);
  const record: TrialRecord = { index: t.index, params: t.params, state: t.state, intermediate };
  return t.value === undefined ? record : { ...record, value: t.value };
}

export function decide(study: CompiledStudy, observed: Observation, now: number): Decision {
  const { spec } = study;
  const trials = observed.trials;
  const active = trials.filter(isActive);

  const early = earlyFinish(study, observed, now);
  if (early !== undefined) {
    return { launch: [], stop: active.map((t) => ({ index: t.index, reason: 'Cancelled' as StopReason })), finish: early };
  }

  const stop = stopOrders(study, trials, now);
  const { launch, exhausted } = spec.suspend ? { launch: [], exhausted: undefined } : planLaunches(study, trials);

  if (active.length === 0 && launch.length === 0 && !spec.suspend) {
    if (trials.length >= spec.budget.maxTrials) {
      return { launch, stop, finish: { reason: 'MaxTrials', phase: 'Completed', message: `all ${trials.length} trials of the budget have run` } };
    }
    if (exhausted !== undefined) return { launch, stop, finish: { reason: 'SearchExhausted', phase: 'Completed', message: exhausted } };
  }
  return { launch, stop };
}

function earlyFinish(study: CompiledStudy, observed: Observation, now: number): Finish | undefined {
  const { objective, budget } = study.spec;
  const best = bestTrial(observed.trials, objective.goal);
  if (study.repeats > 1) {
    // With repeats the target is met by a configuration's mean over all its repeats, not by one lucky seed.
    const config = rankConfigurations(observed.trials, study.repeats, objective.goal).find((c) => c.complete);
    if (config !== undefined && reachesTarget(objective, config.mean)) {
      return { reason: 'TargetReached', phase: 'Completed', message: `configuration ${config.configuration} (trials ${config.trials.join(', ')}) reached a mean ${objective.metric} = ${config.mean} (target ${String(objective.targetValue)})` };
    }
  } else if (best !== undefined && reachesTarget(objective, best.value)) {
    return { reason: 'TargetReached', phase: 'Completed', message: `trial ${best.index} reached ${objective.metric} = ${best.value} (target ${String(objective.targetValue)})` };
  }
  const failed = observed.trials.filter((t) => t.state === 'failed').length;
  if (budget.maxFailedTrials !== undefined && failed > budget.maxFailedTrials) {
    return { reason: 'MaxFailedTrials', phase: 'Failed', message: `${failed} trials failed, more than budget.maxFailedTrials (${budget.maxFailedTrials})` };
  }
  if (budget.timeoutMs !== undefined && observed.startedAt !== undefined && now - observed.startedAt >= budget.timeoutMs) {
    return {
      reason: 'Timeout', phase: best === undefined ? 'Failed' : 'Completed',
      message: `the study ran past budget.timeout${best === undefined ? ' before any trial succeeded' : ''}`,
    };
  }
  return undefined;
}

function stopOrders(study: CompiledStudy, trials: readonly EngineTrial[], now: number): StopOrder[] {
  const { budget } = study.spec;
  const stop: StopOrder[] = [];
  const timedOut = new Set<number>();
  for (const t of trials) {
    if (t.state === 'running') {
      if (budget.trialTimeoutMs !== undefined && t.startedAt !== undefined && now - t.startedAt >= budget.trialTimeoutMs) {
        stop.push({ index: t.index, reason: 'Timeout' });
        timedOut.add(t.index);
      }
    } else if (t.state === 'pending') {
      if (budget.pendingTimeoutMs !== undefined && now - (t.queuedAt ?? t.createdAt) >= budget.pendingTimeoutMs) {
        stop.push({ index: t.index, reason: 'PendingTimeout' });
      }
    }
  }
  if (study.pruner !== undefined) {
    const history = trials.map((t) => toSamplerRecord(study, t));
    for (const { index, why } of trialsToPrune(study.pruner, study.spec, history)) {
      if (!timedOut.has(index)) stop.push({ index, reason: 'Pruned', message: why });
    }
  }
  return stop;
}

function planLaunches(study: CompiledStudy, trials: readonly EngineTrial[]): { launch: TrialPlan[]; exhausted?: string } {
  const { spec, sampler, space } = study;
  const repeats = study.repeats;
  const activeCount = trials.filter(isActive).length;
  const room = Math.min(spec.budget.parallelism - activeCount, spec.budget.maxTrials - trials.length);
  const launch: TrialPlan[] = [];
  if (room <= 0) return { launch };
  // The sampler sees one record per configuration (repeats.ts); with repeats: 1, the trials.
  const records: TrialRecord[] = trials.map((t) => toSamplerRecord(study, t));
  const history = groupForSampler(records, repeats);
  const paramsOf = new Map<number, TrialPlan['params']>(trials.map((t) => [t.index, t.params]));
  let nextIndex = trials.reduce((max, t) => Math.max(max, t.index + 1), 0);
  for (let k = 0; k < room; k++, nextIndex++) {
    const index = nextIndex;
    const { configuration, repeat } = configurationOf(index, repeats);
    // A later repeat trains the configuration of its repeat 0 again, with its own seed.
    const again = repeat > 0 ? paramsOf.get(index - repeat) : undefined;
    let params = again;
    if (params === undefined) {
      const suggestion = sampler.suggest(space, history, {
        index: configuration, seed: spec.algorithm.seed, goal: spec.objective.goal, rng: new Rng(spec.algorithm.seed, configuration, sampler.name),
      });
      if ('exhausted' in suggestion) return { launch, exhausted: suggestion.exhausted };
      params = suggestion.params;
      history.push({ index: configuration, params, state: 'pending' });
    }
    launch.push({ index, params, seed: trialSeed(spec.algorithm.seed, index) });
    paramsOf.set(index, params);
  }
  return { launch };
}
