/**
 * Validation of a TuningStudy, the same for the CLI and the operator: every issue found, each
 * with a JSON-pointer path into the document (`/spec/parameters/2/min`) and, where it helps, a
 * hint. Four passes, all run even when an earlier one finds problems:
 *
 *   1. ajv against schema.ts (shapes, bounds, enums), applying the schema's defaults;
 *   2. `SearchSpace.parse` on spec.parameters (the semantic rules of a search space);
 *   3. the cross-field rules of cross-field.ts (the ones the CRD states in CEL);
 *   4. the sampler: built from algorithm.name/settings and asked once, dry, for a first trial,
 *      so "grid over a continuous parameter" or a bad TPE setting is caught before any run;
 *      likewise the pruner of earlyStopping.
 *
 * `resolveStudy` returns the resolved spec (defaults applied, durations in ms) or throws a
 * `SpecError` carrying every issue.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { createPruner } from '../pruners/registry.js';
import { createSampler } from '../samplers/registry.js';
import { Rng } from '../samplers/rng.js';
import type { Goal } from '../samplers/types.js';
import { SearchSpace } from '../space/space.js';
import { issueFromAjv } from './ajv-issues.js';
import { crossFieldRules } from './cross-field.js';
import { parseDuration } from './duration.js';
import { type Issue, joinPath, SpecError } from './issues.js';
import { checkPodMetadata } from './pod-metadata.js';
import { DEFAULTS, tuningStudySchema } from './schema.js';
import type { ResolvedSpec, TuningStudy } from './types.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the plugin is `.default.default`.
const addFormats = ajvFormats.default.default;

const ajv = new Ajv2020({ allErrors: true, verbose: true, useDefaults: true, allowUnionTypes: true, strict: true });
addFormats(ajv);
for (const keyword of [
  'x-kubernetes-validations', 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
]) {
  ajv.addKeyword({ keyword }); // annotations for the apiserver; nothing for ajv to check
}
const checkShape = ajv.compile(tuningStudySchema);

export interface ValidationResult {
  issues: Issue[];
  /** The document with the schema's defaults applied (a copy; the input is not changed). */
  study: TuningStudy;
  /** Set when there are no issues. */
  resolved?: ResolvedSpec;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deepest nesting and most values a study document may hold. The schema's deepest field is about
 * ten levels down and a real study has hundreds of values; a document past these bounds is refused
 * before anything recursive (structuredClone, ajv) walks it, which would otherwise overflow the
 * stack — found by test/reliability/fuzz.test.ts. The node budget also stops YAML alias bombs.
 */
export const MAX_DOCUMENT_DEPTH = 64;
export const MAX_DOCUMENT_NODES = 200_000;

/** An issue for a document that is too deep or too large, found without recursion. */
function checkSize(raw: unknown): Issue | undefined {
  const stack: [unknown, string, number][] = [[raw, '', 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, path, depth] = stack.pop() as [unknown, string, number];
    if (++nodes > MAX_DOCUMENT_NODES) return { code: 'too_large', path, message: `the document holds more than ${MAX_DOCUMENT_NODES} values` };
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_DOCUMENT_DEPTH) return { code: 'too_deep', path, message: `nested deeper than ${MAX_DOCUMENT_DEPTH} levels` };
    for (const [key, value] of Object.entries(node)) stack.push([value, joinPath(path, key), depth + 1]);
  }
  return undefined;
}

/** Runs every check on a parsed study document and collects all issues. */
export function validateStudy(raw: unknown): ValidationResult {
  const oversize = checkSize(raw);
  if (oversize !== undefined) return { issues: [oversize], study: raw as TuningStudy };
  const doc = structuredClone(raw) as TuningStudy;
  const issues: Issue[] = [];
  if (!checkShape(doc)) issues.push(...(checkShape.errors ?? []).map(issueFromAjv));
  const taken = new Set(issues.map((i) => i.path));
  const add = (more: Issue[]) => issues.push(...more.filter((i) => !taken.has(i.path)));

  const spec = isRecord(doc) && isRecord(doc.spec) ? (doc.spec as unknown as Record<string, unknown>) : undefined;
  if (spec === undefined) return { issues, study: doc };

  let space: SearchSpace | undefined;
  try {
    space = SearchSpace.parse(spec.parameters, '/spec/parameters');
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    add([...err.issues]);
  }
  for (const rule of crossFieldRules) {
    let node: unknown = spec;
    for (const key of rule.at) node = isRecord(node) ? node[key] : undefined;
    if (!isRecord(node)) continue;
    const found = rule.check(node);
    if (found !== undefined) add([{ ...found, path: joinPath('/spec', ...rule.at) + found.path }]);
  }
  add(checkDurations(spec));
  if (space !== undefined) add(checkSampler(spec, space));
  add(checkPruner(spec));
  add(checkPodMetadata(spec));

  if (issues.length > 0) return { issues, study: doc };
  return { issues, study: doc, resolved: resolve(doc) };
}

/** Validates and resolves, or throws a `SpecError` with every issue. */
export function resolveStudy(raw: unknown): ResolvedSpec {
  const { issues, resolved } = validateStudy(raw);
  if (resolved === undefined) throw new SpecError(issues);
  return resolved;
}

function checkDurations(spec: Record<string, unknown>): Issue[] {
  const budget = spec.budget;
  if (!isRecord(budget)) return [];
  const issues: Issue[] = [];
  for (const key of ['timeout', 'trialTimeout', 'pendingTimeout']) {
    const value = budget[key];
    if (typeof value === 'string' && parseDuration(value) === 0) {
      issues.push({ code: 'zero_duration', path: `/spec/budget/${key}`, message: `${key} must be longer than zero`, hint: 'leave it out for no limit' });
    }
  }
  return issues;
}

function checkSampler(spec: Record<string, unknown>, space: SearchSpace): Issue[] {
  const algorithm = isRecord(spec.algorithm) ? spec.algorithm : {};
  const name = typeof algorithm.name === 'string' ? algorithm.name : undefined;
  if (name === undefined) return [];
  const settings = isRecord(algorithm.settings) ? algorithm.settings : {};
  const seed = typeof algorithm.seed === 'number' ? algorithm.seed : 0;
  const goal: Goal = isRecord(spec.objective) && spec.objective.goal === 'minimize' ? 'minimize' : 'maximize';
  const stages = Array.isArray(algorithm.stages) ? algorithm.stages : [];
  const stageIssues = stages.flatMap((st: unknown, i: number) => {
    if (!isRecord(st) || typeof st.name !== 'string') return [];
    try {
      createSampler(st.name, isRecord(st.settings) ? st.settings : {}, `/spec/algorithm/stages/${i}/name`);
      return [];
    } catch (err) {
      if (err instanceof SpecError) return [...err.issues];
      return [{ code: 'sampler_rejects', path: `/spec/algorithm/stages/${i}`, message: `stage "${st.name}" cannot search this space: ${(err as Error).message}` }];
    }
  });
  if (stageIssues.length > 0) return stageIssues;
  try {
    const sampler = createSampler(name, settings, '/spec/algorithm/name');
    sampler.suggest(space, [], { index: 0, seed, goal, rng: new Rng(seed, 0, name) });
    return [];
  } catch (err) {
    if (err instanceof SpecError) return [...err.issues];
    return [{
      code: 'sampler_rejects', path: '/spec/algorithm', message: `algorithm "${name}" cannot search this space: ${(err as Error).message}`,
      ...(name === 'grid' ? { hint: 'give every float parameter a step, or choose another algorithm such as random or tpe' } : {}),
    }];
  }
}

function checkPruner(spec: Record<string, unknown>): Issue[] {
  const early = spec.earlyStopping;
  if (!isRecord(early) || typeof early.name !== 'string') return [];
  try {
    createPruner(early.name, isRecord(early.settings) ? early.settings : {}, '/spec/earlyStopping');
    return [];
  } catch (err) {
    if (err instanceof SpecError) return [...err.issues];
    throw err;
  }
}

/** Builds the resolved spec from a document that passed every check (defaults already applied). */
function resolve(doc: TuningStudy): ResolvedSpec {
  const spec = doc.spec;
  const budget = spec.budget ?? {};
  const ms = (d: string | undefined) => (d === undefined ? undefined : parseDuration(d));
  const resolvedBudget: ResolvedSpec['budget'] = { maxTrials: budget.maxTrials ?? DEFAULTS.maxTrials, parallelism: budget.parallelism ?? DEFAULTS.parallelism };
  if (budget.maxFailedTrials !== undefined) resolvedBudget.maxFailedTrials = budget.maxFailedTrials;
  const timeoutMs = ms(budget.timeout);
  const trialTimeoutMs = ms(budget.trialTimeout);
  const pendingTimeoutMs = ms(budget.pendingTimeout);
  if (timeoutMs !== undefined) resolvedBudget.timeoutMs = timeoutMs;
  if (trialTimeoutMs !== undefined) resolvedBudget.trialTimeoutMs = trialTimeoutMs;
  if (pendingTimeoutMs !== undefined) resolvedBudget.pendingTimeoutMs = pendingTimeoutMs;
  const objective: ResolvedSpec['objective'] = {
    metric: spec.objective.metric,
    goal: spec.objective.goal,
    valueFrom: spec.objective.valueFrom ?? DEFAULTS.valueFrom,
    additionalMetrics: spec.objective.additionalMetrics ?? [],
  };
  if (spec.objective.targetValue !== undefined) objective.targetValue = spec.objective.targetValue;
  return {
    name: doc.metadata.name,
    objective,
    parameters: spec.parameters,
    algorithm: resolveAlgorithm(spec.algorithm),
    earlyStopping: { name: spec.earlyStopping?.name ?? DEFAULTS.pruner, settings: spec.earlyStopping?.settings ?? {} },
    budget: resolvedBudget,
    suspend: spec.suspend ?? DEFAULTS.suspend,
    workload: spec.trainer !== undefined ? { kind: 'trainer', trainer: spec.trainer } : { kind: 'template', template: spec.template ?? {} },
  };
}

function resolveAlgorithm(a: TuningStudy['spec']['algorithm']): ResolvedSpec['algorithm'] {
  const out: ResolvedSpec['algorithm'] = { name: a?.name ?? DEFAULTS.algorithm, seed: a?.seed ?? DEFAULTS.seed, settings: a?.settings ?? {} };
  if (a?.repeats !== undefined && a.repeats > 1) out.repeats = a.repeats;
  if (a?.stages !== undefined && a.stages.length > 0) out.stages = a.stages.map((st) => ({ name: st.name, trials: st.trials, settings: st.settings ?? {} }));
  if (a?.warmStart !== undefined) out.warmStart = { ...a.warmStart };
  return out;
}
