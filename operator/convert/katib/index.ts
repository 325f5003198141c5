/**
 * Katib `Experiment` (kubeflow.org/v1beta1) → TuningStudy. Pure: a parsed document in, the study
 * and the list of what could not be carried (each with its Katib field path) out; nothing is
 * read from a cluster and nothing is printed. Each part of the mapping lives beside its rules:
 * parameters.ts, algorithm.ts (sampler and pruner), template.ts (the trial).
 *
 *   objective.type                 → objective.goal
 *   objective.objectiveMetricName  → objective.metric
 *   objective.goal                 → objective.targetValue
 *   objective.additionalMetricNames → objective.additionalMetrics
 *   objective.metricStrategies     → objective.valueFrom (latest → last, max/min → best)
 *   maxTrialCount / parallelTrialCount / maxFailedTrialCount → budget.maxTrials / parallelism /
 *                                      maxFailedTrials (Katib's parallelTrialCount default, 3, is
 *                                      written out, since ours differs)
 *
 * Not promised: the result validates as a TuningStudy (it does when the Experiment maps cleanly;
 * `validation` lists what still needs a hand), or that the trial's program reports metrics the
 * way kubetune reads them (`kubetune-metrics` lines or the result file; a note says so).
 */
import type { Issue } from '../../api/issues.js';
import { MAX_STUDY_NAME, STUDY_NAME_PATTERN } from '../../api/schema.js';
import type { ObjectiveSpec, TuningStudy, TuningStudySpec } from '../../api/types.js';
import { validateStudy } from '../../api/validate.js';
import { type ConvertNote, isRecord, Notes, seg, toNumber } from '../notes.js';
import { convertAlgorithm, convertEarlyStopping } from './algorithm.js';
import { convertParameters } from './parameters.js';
import { convertTrialTemplate, usesExpansion } from './template.js';

export interface KatibConversion {
  /** Undefined when nothing usable was found (no parameters, or no objective metric). */
  study?: TuningStudy;
  /** What could not be carried, in document order. */
  notes: ConvertNote[];
  /** What still keeps the converted study from validating (paths into the TuningStudy). */
  validation: Issue[];
}

const KATIB_DEFAULT_PARALLELISM = 3;
const HANDLED_SPEC = new Set([
  'objective', 'parameters', 'algorithm', 'earlyStopping', 'trialTemplate', 'maxTrialCount', 'parallelTrialCount',
  'maxFailedTrialCount', 'metricsCollectorSpec',
]);

export function convertKatibExperiment(doc: unknown): KatibConversion {
  const notes = new Notes();
  if (!isRecord(doc) || doc.kind !== 'Experiment' || !isRecord(doc.spec)) {
    notes.add('/kind', 'not a Katib Experiment (kind: Experiment with a spec)');
    return { notes: notes.list, validation: [] };
  }
  if (typeof doc.apiVersion !== 'string' || !doc.apiVersion.startsWith('kubeflow.org/')) {
    notes.add('/apiVersion', `apiVersion ${JSON.stringify(doc.apiVersion)} is not kubeflow.org/…; read as v1beta1`);
  } else if (doc.apiVersion !== 'kubeflow.org/v1beta1') {
    notes.add('/apiVersion', `${doc.apiVersion} read as v1beta1`);
  }
  const spec = doc.spec;
  const objective = convertObjective(spec.objective, notes);
  const algorithm = convertAlgorithm(spec.algorithm, notes);
  let parameters = convertParameters(spec.parameters, notes);
  if (algorithm.resourceParameter !== undefined) {
    const resource = algorithm.resourceParameter;
    if (parameters.some((p) => p.name === resource)) {
      notes.add('/spec/parameters', `parameter "${resource}" (hyperband's resource_name) left out of the search space: the pruner decides how many steps a trial runs`);
      parameters = parameters.filter((p) => p.name !== resource);
    }
  }
  const earlyStopping = convertEarlyStopping(spec.earlyStopping, notes);
  if (algorithm.earlyStopping !== undefined && earlyStopping !== undefined) {
    notes.add('/spec/earlyStopping', 'hyperband already prunes; medianstop dropped');
  }
  const trial = convertTrialTemplate(spec.trialTemplate, new Set(parameters.map((p) => p.name)), notes);
  if (usesExpansion(trial.template)) {
    notes.add('/spec/trialTemplate/trialParameters', 'parameters in command/args became $(KUBETUNE_PARAM_<NAME>): Kubernetes expands them in a trial Job; `kubetune run` does not (read the variables or $KUBETUNE_PARAMS_FILE in the script to run it locally)');
  }
  noteMetricsCollector(spec.metricsCollectorSpec, notes);
  for (const key of Object.keys(spec)) {
    if (!HANDLED_SPEC.has(key)) notes.add(`/spec/${seg(key)}`, key === 'nasConfig' ? 'neural architecture search has no counterpart' : `${key} has no counterpart; dropped`);
  }

  const budget: NonNullable<TuningStudySpec['budget']> = {};
  const count = (key: string) => {
    const v = spec[key];
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
    notes.add(`/spec/${key}`, `${key} ${JSON.stringify(v)} is not a positive integer; dropped`);
    return undefined;
  };
  const maxTrials = count('maxTrialCount');
  if (maxTrials !== undefined) budget.maxTrials = maxTrials;
  budget.parallelism = Math.min(count('parallelTrialCount') ?? KATIB_DEFAULT_PARALLELISM, budget.maxTrials ?? Infinity);
  const maxFailed = count('maxFailedTrialCount');
  if (maxFailed !== undefined) budget.maxFailedTrials = maxFailed;
  if (trial.trialTimeout !== undefined) budget.trialTimeout = trial.trialTimeout;

  if (objective === undefined || parameters.length === 0) return { notes: notes.list, validation: [] };
  const pruner = algorithm.earlyStopping ?? earlyStopping;
  const studySpec: TuningStudySpec = {
    objective,
    parameters,
    algorithm: algorithm.algorithm,
    ...(pruner === undefined ? {} : { earlyStopping: pruner }),
    budget,
    ...(trial.template === undefined ? {} : { template: trial.template }),
  };
  const study: TuningStudy = {
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name: studyName(doc.metadata, notes), ...namespaceOf(doc.metadata) },
    spec: studySpec,
  };
  return { study, notes: notes.list, validation: validateStudy(study).issues };
}

function convertObjective(raw: unknown, notes: Notes): ObjectiveSpec | undefined {
  const o = isRecord(raw) ? raw : {};
  const metric = o.objectiveMetricName;
  if (typeof metric !== 'string' || metric === '') {
    notes.add('/spec/objective/objectiveMetricName', 'no objective metric: nothing to optimise');
    return undefined;
  }
  let goal: 'maximize' | 'minimize' = 'maximize';
  if (o.type === 'minimize' || o.type === 'maximize') goal = o.type;
  else notes.add('/spec/objective/type', `type ${JSON.stringify(o.type)} is not maximize or minimize; maximize assumed`);
  const out: ObjectiveSpec = { metric, goal, valueFrom: 'best' };
  if (o.goal !== undefined) {
    const target = toNumber(o.goal);
    if (target === undefined) notes.add('/spec/objective/goal', `goal ${JSON.stringify(o.goal)} is not a number; dropped`);
    else out.targetValue = target;
  }
  if (Array.isArray(o.additionalMetricNames)) {
    const extra = o.additionalMetricNames.filter((m): m is string => typeof m === 'string' && m !== metric);
    if (extra.length > 0) out.additionalMetrics = extra;
  }
  if (Array.isArray(o.metricStrategies)) {
    o.metricStrategies.forEach((s, i) => {
      if (!isRecord(s) || s.name !== metric) {
        if (isRecord(s)) notes.add(`/spec/objective/metricStrategies/${i}`, `strategy for ${String(s.name)} dropped: additional metrics are recorded as reported (last value)`);
        return;
      }
      // Katib's strategy says which of a trial's reports is its value: the latest, or the best.
      if (s.value === 'latest') out.valueFrom = 'last';
      else if ((s.value === 'max' && goal === 'minimize') || (s.value === 'min' && goal === 'maximize')) {
        notes.add(`/spec/objective/metricStrategies/${i}/value`, `strategy ${String(s.value)} against the objective's direction has no counterpart; the best value is used`);
      }
    });
  }
  return out;
}

function noteMetricsCollector(raw: unknown, notes: Notes): void {
  const collector = isRecord(raw) && isRecord(raw.collector) ? raw.collector.kind : undefined;
  const kind = typeof collector === 'string' ? collector : 'StdOut';
  notes.add(raw === undefined ? '/spec/metricsCollectorSpec' : '/spec/metricsCollectorSpec/collector/kind',
    `Katib's ${kind} collector is not used: the trial must print "kubetune-metrics step=<n> <metric>=<value> …" lines (or write the result file at $KUBETUNE_RESULT_FILE)`);
}

function studyName(meta: unknown, notes: Notes): string {
  const name = isRecord(meta) && typeof meta.name === 'string' ? meta.name : '';
  if (name === '') {
    notes.add('/metadata/name', 'no name; "katib-experiment" used');
    return 'katib-experiment';
  }
  let out = name.toLowerCase().replace(/[^-a-z0-9]/g, '-').replace(/^-+|-+$/g, '').slice(0, MAX_STUDY_NAME).replace(/-+$/, '');
  if (!new RegExp(STUDY_NAME_PATTERN).test(out)) out = 'katib-experiment';
  if (out !== name) notes.add('/metadata/name', `name "${name}" became "${out}" (study names: ${STUDY_NAME_PATTERN}, at most ${MAX_STUDY_NAME} characters)`);
  return out;
}

function namespaceOf(meta: unknown): { namespace?: string } {
  return isRecord(meta) && typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {};
}
