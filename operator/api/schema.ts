/**
 * The TuningStudy JSON Schema: the single source of truth for the resource's shape.
 *
 * - ajv validates study files (CLI) and objects (operator) against it (validate.ts), applying
 *   the `default`s written here — the only place defaults are defined;
 * - crd.ts turns it into the structural schema of `crds/kubetune.io_tuningstudies.yaml`, with
 *   the CEL rules of cross-field.ts attached where they apply;
 * - docs/api.md is rendered from its descriptions.
 *
 * The schema checks shapes and bounds. What a schema cannot say (a log-scale parameter with
 * min <= 0, a grid over a continuous parameter, a condition naming an unknown parent) is checked
 * by `SearchSpace.parse`, the sampler registry and cross-field.ts; validate.ts runs them all.
 */
import { MAX_PARAMETERS, MAX_VALUES, PARAM_NAME_PATTERN } from '../space/validate.js';
import {
  bool, duration, enumOf, freeform, int, list, map, num, obj, quantity, scalar, type SchemaNode, str,
} from './schema-builders.js';

export const API_GROUP = 'kubetune.io';
export const API_VERSION = 'v1alpha1';
export const KIND = 'TuningStudy';
export const PLURAL = 'tuningstudies';
export const SINGULAR = 'tuningstudy';
export const SHORT_NAMES = ['ts', 'study'];

/** Trial Jobs are named `<study>-<index>`; 52 characters leave room for the index in 63. */
export const MAX_STUDY_NAME = 52;
export const STUDY_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const DEFAULT_TRAINER_IMAGE = 'ghcr.io/kubetune/trainer:0.1.0';
export const MAX_TOP_TRIALS = 10;
export const MAX_RECENT_TRIALS = 10;

/** Every default of the spec. The schema below carries them (`default:`), so ajv and the
 * apiserver fill them in; resolve() in validate.ts only reads them back for the types. */
export const DEFAULTS = {
  valueFrom: 'last',
  algorithm: 'auto',
  seed: 0,
  pruner: 'none',
  maxTrials: 10,
  parallelism: 1,
  suspend: false,
  trainerImage: DEFAULT_TRAINER_IMAGE,
} as const;

const metricName = (description: string) => str(description, { maxLength: 63, pattern: '^[A-Za-z_][A-Za-z0-9_.\\-/]{0,62}$' });

const parameter = obj(
  'One parameter of the search space. Which fields apply depends on type: float and int take min, max, log and step; categorical takes values; subset takes values, minSize and maxSize.',
  {
    name: str('Parameter name; the trial receives it as KUBETUNE_PARAM_<NAME> and in the parameters JSON file.', {
      maxLength: 63, pattern: PARAM_NAME_PATTERN.source,
    }),
    type: enumOf('Kind of parameter.', ['float', 'int', 'categorical', 'subset']),
    min: num('Lower bound (float, int), inclusive.'),
    max: num('Upper bound (float, int), inclusive.'),
    log: bool('Sample on a logarithmic scale (float, int); needs min > 0.'),
    step: num('Grid step (float, int): values are min + k*step up to max.', { exclusiveMinimum: 0 }),
    values: list('The values to choose from (categorical, subset).', scalar('A string, number or boolean.'), MAX_VALUES),
    minSize: int('Smallest subset (subset; default 1).', { minimum: 0, maximum: MAX_VALUES }),
    maxSize: int('Largest subset (subset; default: all values).', { minimum: 0, maximum: MAX_VALUES }),
    when: map(
      'Conditional activation: the parameter exists only while each named parent parameter holds the given value or one of the listed values.',
      { type: ['string', 'number', 'boolean', 'array'], description: 'A value or a list of values of the parent.', maxLength: 256, maxItems: MAX_VALUES, items: scalar('A value of the parent.') },
      16,
    ),
  },
  ['name', 'type'],
);

const objective = obj(
  'What the study optimises.',
  {
    metric: metricName('Name of the metric to optimise, as the trial reports it (e.g. val_accuracy).'),
    goal: enumOf('Whether larger or smaller values of the metric are better.', ['maximize', 'minimize']),
    targetValue: num('When a trial reaches this value the study ends (Completed, reason TargetReached).'),
    additionalMetrics: list('Other metrics to record for every trial (shown in reports, never optimised).', metricName('Metric name.'), 16),
    valueFrom: enumOf(
      'Which value of a trial counts: last (the final metric from the result file, else the last reported value) or best (the best value reported at any step, the final metric included).',
      ['last', 'best'], { default: DEFAULTS.valueFrom },
    ),
  },
  ['metric', 'goal'],
);

const algorithm = obj(
  'The search strategy (sampler) that proposes parameters.',
  {
    name: str('Sampler name: auto (picks gp, cmaes, tpe or grid from the space and the budget), tpe, gp, cmaes, evolution, random, grid, sobol.', { maxLength: 32, default: DEFAULTS.algorithm }),
    seed: int('Seed of every random draw: the same seed gives the same trials.', { minimum: 0, maximum: 4294967295, default: DEFAULTS.seed }),
    settings: freeform('Sampler settings, e.g. startupTrials for tpe or ordered for grid. Checked by the sampler.', 32),
    repeats: int(
      'Times each configuration is trained, each time with its own seed (KUBETUNE_SEED differs per repeat); the configuration scores the mean of its succeeded repeats and the samplers see one result per configuration. Every repeat is a trial: maxTrials and parallelism count repeats. Default 1.',
      { minimum: 1, maximum: 100 },
    ),
    stages: list(
      'Earlier strategies, run in order before name: each proposes the next trials configurations (e.g. sobol for 20, then name refines around the best). Every stage sees the whole history.',
      obj('One stage of a staged search.', {
        name: str('Sampler name of the stage.', { maxLength: 32 }),
        trials: int('Configurations this stage proposes.', { minimum: 1, maximum: 100000 }),
        settings: freeform('Settings of the stage sampler.', 32),
      }, ['name', 'trials']),
      8,
    ),
    warmStart: obj(
      'Finished trials of an earlier study given to the sampler as history: they inform the search but are not trials of this study (no index, no budget).',
      {
        resultsDir: str('Local runs: results directory of the earlier study (relative to the study file).', { maxLength: 1024 }),
        study: str('On a cluster: name of an earlier TuningStudy in the same namespace. The study waits (Pending, WaitingForWarmStart) until that one has finished, then keeps a snapshot of its trials in the ConfigMap <name>-warm-start.', { maxLength: 253 }),
      },
    ),
  },
  [],
  { default: {} },
);

const earlyStopping = obj(
  'Early-stopping (pruning) policy: stops running trials whose intermediate values are hopeless.',
  {
    name: str('Pruning rule: none, median, percentile, asha or hyperband.', { maxLength: 32, default: DEFAULTS.pruner }),
    settings: freeform('Settings of the rule, e.g. warmupSteps for median, minResource and reductionFactor for asha. Checked by the pruner.', 32),
  },
);

const budget = obj(
  'How many trials to run, how many at once, and for how long.',
  {
    maxTrials: int('Trials to run in total (failed and pruned ones included).', { minimum: 1, maximum: 100000, default: DEFAULTS.maxTrials }),
    parallelism: int('Trials running at the same time; at most maxTrials.', { minimum: 1, maximum: 1000, default: DEFAULTS.parallelism }),
    maxFailedTrials: int('The study fails once more than this many trials have failed. Unset: failures never end the study early.', { minimum: 0, maximum: 100000 }),
    timeout: duration('Wall time of the whole study, from its start; then running trials are cancelled and the study ends (reason Timeout).'),
    trialTimeout: duration('Wall time of one trial from its start; past it the trial is stopped and fails with reason Timeout.'),
    pendingTimeout: duration('How long a trial may wait to start (e.g. an unschedulable GPU pod) before it fails with reason PendingTimeout.'),
  },
  [],
  { default: {} },
);

const envVar = obj('An environment variable of the trial.', {
  name: str('Variable name; names starting with KUBETUNE_ are reserved for the trial contract.', { maxLength: 128, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
  value: str('Value.', { maxLength: 4096 }),
}, ['name']);

const toleration = obj('A toleration of node taints (as in a pod spec).', {
  key: str('Taint key.', { maxLength: 253 }),
  operator: enumOf('Exists or Equal.', ['Exists', 'Equal']),
  value: str('Taint value.', { maxLength: 63 }),
  effect: enumOf('Taint effect.', ['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  tolerationSeconds: int('For NoExecute: how long the pod stays bound after the taint appears.'),
});

const resources = obj('Compute resources of each trial (as in a container spec), e.g. limits: {nvidia.com/gpu: 1}.', {
  requests: map('Minimum resources, e.g. cpu: 500m, memory: 1Gi.', quantity('A resource quantity.'), 16),
  limits: map('Maximum resources; GPUs (nvidia.com/gpu) go here.', quantity('A resource quantity.'), 16),
});

/** Settings shared by both trial forms: where and with what the trial pod runs. */
const podSettings = {
  resources,
  nodeSelector: map('Node labels the trial pod must be scheduled on.', str('Label value.', { maxLength: 63 }), 16),
  tolerations: list('Tolerations of the trial pod.', toleration, 16),
  priorityClassName: str('Priority class of the trial pod.', { maxLength: 253 }),
  labels: map(
    'Labels added to every trial Job and its pod, e.g. kueue.x-k8s.io/queue-name to queue trials with Kueue. Keys under kubetune.io/ and app.kubernetes.io/managed-by are the operator\'s.',
    str('Label value.', { maxLength: 63, pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$' }),
    16,
  ),
  annotations: map('Annotations added to every trial Job and its pod. Keys under kubetune.io/ are the operator\'s.', str('Annotation value.', { maxLength: 4096 }), 16),
};

const trainer = obj(
  'Run the built-in trainer as the trial workload. On a cluster its image is used; locally the trainer of this package runs as a child process.',
  {
    image: str('Trainer image.', { maxLength: 512, default: DEFAULTS.trainerImage }),
    config: freeform('The trainer config (dataset, task, model, epochs, ...); see the trainer docs. Checked by the trainer.', 32),
    ...podSettings,
  },
  ['config'],
);

const template = obj(
  'Run any command as the trial workload (a pod template in short). Locally, command and args are executed directly, without a shell.',
  {
    image: str('Container image (cluster only).', { maxLength: 512 }),
    command: list('Executable and its leading arguments. Required to run locally.', str('Argument.', { maxLength: 4096 }), 64),
    args: list('Further arguments.', str('Argument.', { maxLength: 4096 }), 256),
    workingDir: str('Working directory of the trial (locally: relative to the study file).', { maxLength: 1024 }),
    env: list('Extra environment variables.', envVar, 64, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
    ...podSettings,
  },
);

export const specSchema: SchemaNode = obj(
  'The desired study: objective, search space, strategy, budget and trial workload.',
  {
    objective,
    parameters: list('The search space: an ordered list of named parameters.', parameter, MAX_PARAMETERS, {
      minItems: 1, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
    }),
    algorithm,
    earlyStopping,
    budget,
    suspend: bool('Pause launching new trials; running trials go on.', { default: DEFAULTS.suspend }),
    trainer,
    template,
  },
  ['objective', 'parameters'],
);

const trialSummary = obj('A trial in brief.', {
  index: int('Trial index.', { minimum: 0 }),
  state: enumOf('Trial state.', ['pending', 'running', 'succeeded', 'failed', 'pruned']),
  value: num('Objective value that counts for the trial.'),
  reason: str('Why the trial failed or was stopped.', { maxLength: 128 }),
  params: freeform('Parameters of the trial.', MAX_PARAMETERS),
}, ['index', 'state']);

const condition = obj('A kstatus-style condition.', {
  type: str('Condition type: Ready, Reconciling or Stalled.', { maxLength: 64 }),
  status: enumOf('Condition status.', ['True', 'False', 'Unknown']),
  reason: str('CamelCase reason.', { maxLength: 64 }),
  message: str('Human-readable detail.', { maxLength: 1024 }),
  lastTransitionTime: str('When the status last changed.', { format: 'date-time', maxLength: 64 }),
  observedGeneration: int('The generation the condition was computed for.', { minimum: 0 }),
}, ['type', 'status']);

export const statusSchema: SchemaNode = obj(
  'The observed state of the study: a bounded summary; the full trial history is kept apart.',
  {
    phase: enumOf('Pending, Running, Suspended, Completed or Failed.', ['Pending', 'Running', 'Suspended', 'Completed', 'Failed']),
    reason: str('Why the study finished (MaxTrials, TargetReached, SearchExhausted, Timeout, MaxFailedTrials) or why it cannot run.', { maxLength: 64 }),
    observedGeneration: int('The spec generation this status describes.', { minimum: 0 }),
    conditions: list('Ready / Reconciling / Stalled conditions.', condition, 8, {
      'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'],
    }),
    startTime: str('When the study started.', { format: 'date-time', maxLength: 64 }),
    completionTime: str('When the study finished.', { format: 'date-time', maxLength: 64 }),
    sampler: str('The sampler proposing trials now: during algorithm.stages the current stage\'s, after them algorithm.name, or for auto the one it chose from the space and the budget.', { maxLength: 32 }),
    counts: obj('Trials by state.', {
      total: int('Trials created.', { minimum: 0 }),
      finished: int('Trials that ended (succeeded, failed or pruned).', { minimum: 0 }),
      pending: int('Trials waiting to start.', { minimum: 0 }),
      running: int('Trials running.', { minimum: 0 }),
      succeeded: int('Trials that succeeded.', { minimum: 0 }),
      failed: int('Trials that failed.', { minimum: 0 }),
      pruned: int('Trials stopped early.', { minimum: 0 }),
    }),
    bestTrial: obj('The best trial so far.', {
      index: int('Trial index.', { minimum: 0 }),
      value: num('Its objective value.'),
      params: freeform('Its parameters.', MAX_PARAMETERS),
      metrics: map('Its final metrics.', num('Metric value.'), 32),
    }, ['index']),
    bestConfiguration: obj('With algorithm.repeats above 1: the configuration with the best mean over its succeeded repeats, and their spread.', {
      trials: list('Indices of its repeats.', int('Trial index.', { minimum: 0 }), 100),
      params: freeform('Its parameters.', MAX_PARAMETERS),
      n: int('Succeeded repeats the statistics are over.', { minimum: 0 }),
      mean: num('Mean objective value.'),
      std: num('Sample standard deviation (0 for one repeat).'),
      min: num('Smallest value.'),
      max: num('Largest value.'),
    }, ['trials', 'mean']),
    topTrials: list(`The best trials, best first (at most ${MAX_TOP_TRIALS}).`, trialSummary, MAX_TOP_TRIALS),
    recentTrials: list(`The most recently finished trials, newest first (at most ${MAX_RECENT_TRIALS}).`, trialSummary, MAX_RECENT_TRIALS),
  },
);

/** The whole resource, as written in a study file or applied with kubectl. */
export const tuningStudySchema: SchemaNode = obj(
  'A hyperparameter-tuning study: runs trials with parameters proposed by a sampler and records the best.',
  {
    apiVersion: enumOf('API version.', [`${API_GROUP}/${API_VERSION}`]),
    kind: enumOf('Kind.', [KIND]),
    metadata: {
      type: 'object',
      description: 'Standard object metadata.',
      properties: {
        name: str('Study name; trial names derive from it.', { maxLength: MAX_STUDY_NAME, pattern: STUDY_NAME_PATTERN }),
      },
      required: ['name'],
    },
    spec: specSchema,
    status: statusSchema,
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);
