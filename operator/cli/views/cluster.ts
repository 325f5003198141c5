/**
 * Wording and tables of `kubetune get` and `kubetune trials` (studies on a cluster). Pure: an
 * object in, text out, so the commands stay read → format → write and tests can read the text.
 */
import { formatDuration } from '../../api/duration.js';
import { DEFAULTS } from '../../api/schema.js';
import { resolveStudy } from '../../api/validate.js';
import { describeAlgorithm } from '../../engine/compile.js';
import type { TrialCounts, TuningStudy } from '../../api/types.js';
import type { ReportTrial } from '../../report/model.js';
import { formatNumber, formatParams } from '../messages.js';

/** Left-aligned columns two spaces apart, as kubectl prints them. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `3d`, `5h`, `12m`, `40s`: a study's age as kubectl's AGE column writes it. */
export function age(since: string | undefined, now: number): string {
  const t = since === undefined ? Number.NaN : Date.parse(since);
  if (!Number.isFinite(t)) return '-';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function bestCell(study: TuningStudy): string {
  const best = study.status?.bestTrial;
  if (best?.value === undefined) return '-';
  return `${study.spec.objective.metric}=${formatNumber(best.value)} (#${best.index})`;
}

function trialsCell(counts: TrialCounts | undefined, maxTrials: number | undefined): string {
  return `${counts?.total ?? 0}/${maxTrials ?? '?'}`;
}

export function studiesTable(studies: readonly TuningStudy[], now: number, withNamespace: boolean): string {
  if (studies.length === 0) return '';
  const header = [...(withNamespace ? ['NAMESPACE'] : []), 'NAME', 'PHASE', 'TRIALS', 'RUNNING', 'SUCCEEDED', 'FAILED', 'PRUNED', 'BEST', 'AGE'];
  const rows = studies.map((s) => {
    const c = s.status?.counts;
    return [
      ...(withNamespace ? [s.metadata.namespace ?? ''] : []),
      s.metadata.name, s.status?.phase ?? 'Pending', trialsCell(c, s.spec.budget?.maxTrials),
      String(c?.running ?? 0), String(c?.succeeded ?? 0), String(c?.failed ?? 0), String(c?.pruned ?? 0),
      bestCell(s), age(s.metadata.creationTimestamp as string | undefined, now),
    ];
  });
  return table(header, rows);
}

export function noStudiesText(namespace: string | null): string {
  return namespace === null ? 'no TuningStudies in any namespace\n' : `no TuningStudies in namespace ${namespace}\n`;
}

/** The algorithm in words (for `auto`, the sampler it runs and why); the bare name if the spec does not resolve. */
function algorithmOf(study: TuningStudy): string {
  try {
    return describeAlgorithm(resolveStudy(study));
  } catch {
    return study.spec.algorithm?.name ?? DEFAULTS.algorithm;
  }
}

/** One study in detail: what `kubectl describe` would say, in our words. */
export function studyDetail(study: TuningStudy, now: number): string {
  const st = study.status ?? {};
  const spec = study.spec;
  const c = st.counts;
  const rows: [string, string][] = [
    ['study', `${study.metadata.namespace ?? ''}/${study.metadata.name}`],
    ['phase', `${st.phase ?? 'Pending'}${st.reason === undefined ? '' : ` (${st.reason})`}${spec.suspend === true ? ', suspended' : ''}`],
    ['objective', `${spec.objective.goal} ${spec.objective.metric}${spec.objective.targetValue === undefined ? '' : `, target ${spec.objective.targetValue}`}`],
    ['algorithm', `${algorithmOf(study)}${spec.algorithm?.seed === undefined ? '' : `, seed ${spec.algorithm.seed}`}${spec.earlyStopping?.name === undefined || spec.earlyStopping.name === 'none' ? '' : `, early stopping ${spec.earlyStopping.name}`}`],
    ['trials', c === undefined ? 'none yet'
      : `${c.total} of ${spec.budget?.maxTrials ?? '?'}: ${c.succeeded} succeeded, ${c.failed} failed, ${c.pruned} pruned, ${c.running} running, ${c.pending} pending`],
  ];
  const best = st.bestTrial;
  if (best !== undefined) {
    rows.push(['best', `trial ${best.index}  ${spec.objective.metric}=${best.value === undefined ? '-' : formatNumber(best.value)}  ${formatParams(best.params ?? {})}`]);
  }
  if (st.startTime !== undefined) {
    const end = st.completionTime === undefined ? now : Date.parse(st.completionTime);
    rows.push(['started', `${st.startTime} (${st.completionTime === undefined ? 'running for' : 'took'} ${formatDuration(end - Date.parse(st.startTime))})`]);
  }
  for (const cond of st.conditions ?? []) {
    rows.push([`condition`, `${cond.type}=${cond.status}${cond.reason === undefined ? '' : ` ${cond.reason}`}${cond.message === undefined ? '' : `: ${cond.message}`}`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width + 1)}${v}`).join('\n') + '\n';
}

function duration(t: ReportTrial): string {
  if (t.startedAt === undefined || t.finishedAt === undefined) return '-';
  return formatDuration(Date.parse(t.finishedAt) - Date.parse(t.startedAt));
}

export function trialsTable(trials: readonly ReportTrial[], metric: string): string {
  const rows = trials.map((t) => [
    String(t.index), t.state, t.value === undefined ? '-' : formatNumber(t.value), duration(t), t.reason ?? '', formatParams(t.params),
  ]);
  return table(['TRIAL', 'STATE', metric.toUpperCase(), 'DURATION', 'REASON', 'PARAMS'], rows);
}

export function noTrialsText(study: string): string {
  return `study ${study} has no trials yet\n`;
}
