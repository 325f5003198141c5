/**
 * The bounded summary of a study (counts, best trial, the top and the most recent trials), the
 * same for the operator's `status` and the CLI's final report. Bounded on purpose: whatever the
 * number of trials, the summary holds at most MAX_TOP_TRIALS + MAX_RECENT_TRIALS of them.
 */
import { MAX_RECENT_TRIALS, MAX_TOP_TRIALS } from '../api/schema.js';
import type { TrialCounts, TrialSummary, TuningStudyStatus } from '../api/types.js';
import { type CompiledStudy, samplerNow } from './compile.js';
import { rankTrials } from './objective.js';
import { rankConfigurations } from './repeats.js';
import type { EngineTrial } from './types.js';

export function countTrials(trials: readonly EngineTrial[]): TrialCounts {
  const counts: TrialCounts = { total: trials.length, finished: 0, pending: 0, running: 0, succeeded: 0, failed: 0, pruned: 0 };
  for (const t of trials) {
    counts[t.state] += 1;
    if (t.state === 'succeeded' || t.state === 'failed' || t.state === 'pruned') counts.finished += 1;
  }
  return counts;
}

export function summarizeTrial(t: EngineTrial): TrialSummary {
  const s: TrialSummary = { index: t.index, state: t.state, params: t.params };
  if (t.value !== undefined && Number.isFinite(t.value)) s.value = t.value;
  if (t.reason !== undefined) s.reason = t.reason;
  return s;
}

/** The sampler, counts, best, top and recent trials (phase and conditions are the body's to add). */
export function summarize(study: CompiledStudy, trials: readonly EngineTrial[]): Pick<TuningStudyStatus, 'sampler' | 'counts' | 'bestTrial' | 'bestConfiguration' | 'topTrials' | 'recentTrials'> {
  const ranked = rankTrials(trials, study.spec.objective.goal);
  const best = ranked[0];
  const recent = trials
    .filter((t) => t.finishedAt !== undefined)
    .sort((a, b) => (b.finishedAt as number) - (a.finishedAt as number) || b.index - a.index)
    .slice(0, MAX_RECENT_TRIALS);
  const summary: ReturnType<typeof summarize> = {
    sampler: samplerNow(study, trials),
    counts: countTrials(trials),
    topTrials: ranked.slice(0, MAX_TOP_TRIALS).map(summarizeTrial),
    recentTrials: recent.map(summarizeTrial),
  };
  if (best !== undefined) summary.bestTrial = { index: best.index, value: best.value, params: best.params, metrics: { ...(best.metrics ?? {}) } };
  // With repeats the best configuration is the best mean, with its spread (repeats.ts).
  const config = (study.repeats ?? 1) > 1 ? rankConfigurations(trials, study.repeats, study.spec.objective.goal)[0] : undefined;
  if (config !== undefined) {
    const { trials: indices, params, n, mean, std, min, max } = config;
    summary.bestConfiguration = { trials: [...indices], params, n, mean, std, min, max };
  }
  return summary;
}
