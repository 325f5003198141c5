/**
 * A local results directory, as `operator/local/results-reader.ts` folds it, turned into the
 * report's input. Pure: the command reads the directory and the study file, this maps them.
 *
 * A trial's learning curve is its objective metric's reported values per step (the last report of
 * a step wins, as the engine reads it); trials interrupted and still pending show what their latest
 * attempt reported, which after a resume is nothing yet.
 */
import type { ResolvedSpec } from '../api/types.js';
import { objectiveSeries } from '../engine/objective.js';
import type { StudyRecord } from '../local/results-reader.js';
import type { ReportInput, ReportTrial } from './model.js';

export function reportInputFromLocal(record: StudyRecord, spec: ResolvedSpec, generatedAt: string): ReportInput {
  const iso = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? undefined : new Date(ms).toISOString());
  const trials = record.trials.map((t): ReportTrial => {
    const startedAt = iso(t.startedAt);
    const finishedAt = iso(t.finishedAt);
    return {
      index: t.index,
      params: t.params,
      state: t.state,
      ...(t.value === undefined ? {} : { value: t.value }),
      metrics: { ...(t.metrics ?? {}) },
      intermediate: objectiveSeries(t.reports, spec.objective.metric),
      ...(t.reason === undefined ? {} : { reason: t.reason }),
      ...(t.message === undefined ? {} : { message: t.message }),
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(finishedAt === undefined ? {} : { finishedAt }),
    };
  });
  return {
    study: record.study ?? spec.name,
    objective: { metric: spec.objective.metric, goal: spec.objective.goal },
    parameters: spec.parameters,
    algorithm: spec.algorithm.name,
    trials,
    generatedAt,
  };
}
