/**
 * Which parts of a study decide its trials — the search space, the algorithm (name, seed,
 * settings) and the objective (metric, goal, valueFrom) — hashed, so a resumed run can refuse a
 * study whose recorded trials were made for a different question. The budget, the trial command
 * and early stopping may change between runs: that is what resuming with `--max-trials` or a
 * fixed script is for.
 */
import { createHash } from 'node:crypto';
import type { ResolvedSpec } from '../api/types.js';
import type { StudyFingerprint } from './results-format.js';

/** JSON with object keys sorted, so the hash does not depend on key order in the YAML. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function fingerprintOf(spec: ResolvedSpec): StudyFingerprint {
  const sections: Record<string, string> = {
    parameters: sha256(canonical(spec.parameters)),
    algorithm: sha256(canonical(spec.algorithm)),
    objective: sha256(canonical({ metric: spec.objective.metric, goal: spec.objective.goal, valueFrom: spec.objective.valueFrom })),
  };
  return { searchHash: sha256(canonical(sections)), sections, algorithm: spec.algorithm.name };
}

/**
 * The sampler change in words when the algorithm's name changed and both names are known
 * ("run with tpe, now auto"), else undefined.
 */
export function algorithmChange(recorded: StudyFingerprint, current: StudyFingerprint): string | undefined {
  const [was, now] = [recorded.algorithm, current.algorithm];
  return was !== undefined && now !== undefined && was !== now ? `run with ${was}, now ${now}` : undefined;
}

/** The sections that differ between a recorded fingerprint and the current one (empty: same study). */
export function changedSections(recorded: StudyFingerprint, current: StudyFingerprint): string[] {
  if (recorded.searchHash === current.searchHash) return [];
  const names = new Set([...Object.keys(recorded.sections), ...Object.keys(current.sections)]);
  return [...names].filter((n) => recorded.sections[n] !== current.sections[n]).sort();
}
