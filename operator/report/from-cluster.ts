/**
 * A TuningStudy on a cluster — its spec, its status and the complete history its operator keeps
 * in sharded ConfigMaps — turned into the report's input. Pure: operator/cli/cluster-study.ts
 * reads the objects, this maps them.
 *
 * Finished trials come from history (`fromRecord` decodes them exactly as the operator's engine
 * does, learning curve included). Trials still running or pending are known only from the status's
 * bounded summary (`recentTrials`), so the report shows those that the summary lists, without a
 * curve; the study's own status is the authority on counts.
 */
import type { Params } from '../space/types.js';
import { resolveStudy } from '../api/validate.js';
import type { TuningStudy } from '../api/types.js';
import { fromRecord, type HistoryRecord } from '../controller/history.js';
import { objectiveSeries } from '../engine/objective.js';
import type { ReportInput, ReportTrial } from './model.js';

export function reportInputFromCluster(study: TuningStudy, history: readonly HistoryRecord[], generatedAt: string): ReportInput {
  // Resolving applies the same defaults the operator applied (objective valueFrom, algorithm…).
  const spec = resolveStudy({ apiVersion: study.apiVersion, kind: study.kind, metadata: { name: study.metadata.name }, spec: study.spec });
  const metric = spec.objective.metric;
  const iso = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? undefined : new Date(ms).toISOString());
  const trials: ReportTrial[] = history.map((record) => {
    const t = fromRecord(record, metric);
    const startedAt = iso(t.startedAt);
    const finishedAt = iso(t.finishedAt);
    return {
      index: t.index,
      params: t.params,
      state: t.state,
      ...(t.value === undefined || !Number.isFinite(t.value) ? {} : { value: t.value }),
      metrics: { ...(t.metrics ?? {}) },
      intermediate: objectiveSeries(t.reports, metric),
      ...(t.reason === undefined ? {} : { reason: t.reason }),
      ...(t.message === undefined ? {} : { message: t.message }),
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(finishedAt === undefined ? {} : { finishedAt }),
    };
  });
  const recorded = new Set(trials.map((t) => t.index));
  for (const s of study.status?.recentTrials ?? []) {
    if (recorded.has(s.index) || (s.state !== 'running' && s.state !== 'pending')) continue;
    trials.push({ index: s.index, params: s.params ?? ({} as Params), state: s.state, metrics: {}, intermediate: [] });
  }
  trials.sort((a, b) => a.index - b.index);
  return {
    study: study.metadata.namespace === undefined ? spec.name : `${study.metadata.namespace}/${spec.name}`,
    objective: { metric, goal: spec.objective.goal },
    parameters: spec.parameters,
    algorithm: spec.algorithm.name,
    trials,
    generatedAt,
  };
}
