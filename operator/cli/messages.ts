/**
 * What the CLI says, kept apart from what it does (style.md, "Machine output apart from human
 * output"): every sentence a person reads comes from here.
 */
import { isAbsolute, relative } from 'node:path';
import { formatDuration } from '../api/duration.js';
import type { ResolvedSpec } from '../api/types.js';
import type { Params } from '../space/types.js';
import type { LocalTrial } from '../local/results-reader.js';
import type { RunResult } from '../local/runner.js';
import { bestTrial } from '../engine/objective.js';
import { countTrials } from '../engine/summary.js';
import { describeAlgorithm } from '../engine/compile.js';

/** A path as short as it can be said from the current directory. */
function relativeOrAbsolute(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

export function formatParams(params: Params): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : typeof v === 'number' ? formatNumber(v) : String(v)}`)
    .join(' ');
}

export function validMessage(file: string, spec: ResolvedSpec): string {
  const b = spec.budget;
  return `${file}: valid — study "${spec.name}": ${spec.parameters.length} parameter${spec.parameters.length === 1 ? '' : 's'}, ` +
    `${describeAlgorithm(spec)}, seed ${spec.algorithm.seed}, ${spec.objective.goal} ${spec.objective.metric}, ` +
    `${b.maxTrials} trials, ${b.parallelism} at a time, ${spec.workload.kind === 'trainer' ? 'built-in trainer' : 'command template'}`;
}

export function startMessage(spec: ResolvedSpec, resultsDir: string, resumedTrials: number, finishedBefore?: string): string {
  const what = finishedBefore !== undefined
    ? `study "${spec.name}" had finished (${finishedBefore}) with ${resumedTrials} trials; continuing only if the budget allows more (--max-trials)`
    : resumedTrials > 0 ? `resuming study "${spec.name}" (${resumedTrials} trials recorded)` : `running study "${spec.name}"`;
  return `${what}: ${spec.budget.maxTrials} trials, ${spec.budget.parallelism} at a time, ${describeAlgorithm(spec)} — results in ${resultsDir}`;
}

export function interruptedMessage(indices: readonly number[]): string {
  return `trial${indices.length === 1 ? '' : 's'} ${indices.join(', ')} ${indices.length === 1 ? 'was' : 'were'} running when the last run stopped; running ${indices.length === 1 ? 'it' : 'them'} again under the same index`;
}

export function trialLine(t: LocalTrial, spec: ResolvedSpec): string {
  const head = `trial ${t.index}`;
  switch (t.state) {
    case 'succeeded':
      return `${head} succeeded  ${spec.objective.metric}=${formatNumber(t.value ?? Number.NaN)}  ${formatParams(t.params)}`;
    case 'pruned':
      return `${head} pruned (${t.reason ?? 'Pruned'})${t.value === undefined ? '' : `  ${spec.objective.metric}=${formatNumber(t.value)}`}`;
    case 'failed':
      return `${head} failed: ${t.reason ?? 'Unknown'}${t.message ? ` — ${t.message}` : ''}`;
    default:
      return `${head} ${t.state}  ${formatParams(t.params)}`;
  }
}

export function bestText(trials: readonly LocalTrial[], spec: ResolvedSpec): string {
  const best = bestTrial(trials, spec.objective.goal);
  return best === undefined ? 'no result yet' : `${spec.objective.metric}=${formatNumber(best.value)} (trial ${best.index})`;
}

export const stopNotice = (running: number) =>
  `stopping: ${running} running trial${running === 1 ? '' : 's'} will be terminated and re-run on resume (Ctrl-C again to kill now)`;

export function endMessage(result: RunResult, spec: ResolvedSpec, resultsDir: string, elapsedMs: number): string {
  const trials = result.record.trials;
  const c = countTrials(trials);
  const waiting = c.pending + c.running;
  const counts = `${c.total} trials: ${c.succeeded} succeeded, ${c.failed} failed, ${c.pruned} pruned${waiting > 0 ? `, ${waiting} to run on resume` : ''}`;
  const lines: string[] = [];
  switch (result.end.kind) {
    case 'finished':
      lines.push(`study "${spec.name}" ${result.end.finish.phase.toLowerCase()} (${result.end.finish.reason}: ${result.end.finish.message}) in ${formatDuration(elapsedMs)}`);
      break;
    case 'stopped':
      lines.push(`study "${spec.name}" stopped after ${formatDuration(elapsedMs)}; run the same command again to resume`);
      break;
    case 'suspended':
      lines.push(`study "${spec.name}" is suspended (spec.suspend): no new trials were started`);
      break;
  }
  lines.push(counts);
  const best = bestTrial(trials, spec.objective.goal);
  if (best !== undefined) lines.push(`best: trial ${best.index}  ${spec.objective.metric}=${formatNumber(best.value)}  ${formatParams(best.params)}`);
  const reasons = new Map<string, number>();
  for (const t of trials) if (t.state === 'failed') reasons.set(t.reason ?? 'Unknown', (reasons.get(t.reason ?? 'Unknown') ?? 0) + 1);
  if (reasons.size > 0) lines.push(`failures: ${[...reasons].map(([r, n]) => `${r} ×${n}`).join(', ')} (logs under ${resultsDir}/trials/<index>/)`);
  lines.push(`results: ${resultsDir}`);
  if (c.finished > 0) lines.push(`report:  kubetune report ${relativeOrAbsolute(resultsDir)}`);
  return lines.join('\n');
}
