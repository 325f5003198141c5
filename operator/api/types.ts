/**
 * TypeScript types of the TuningStudy resource. They mirror schema.ts (the source of truth);
 * a test validates typed fixtures against the schema so the two cannot drift apart silently.
 *
 * `TuningStudySpec` is the spec as written (defaults not applied); `ResolvedSpec` is what
 * validation returns, with every default filled in, and what the engine and runtimes consume.
 */
import type { Goal } from '../samplers/types.js';
import type { Params, ParamSpec } from '../space/types.js';

export type ValueFrom = 'last' | 'best';

export interface ObjectiveSpec {
  metric: string;
  goal: Goal;
  targetValue?: number;
  additionalMetrics?: string[];
  valueFrom?: ValueFrom;
}

export interface AlgorithmStage {
  name: string;
  trials: number;
  settings?: Record<string, unknown>;
}

export interface WarmStartSpec {
  resultsDir?: string;
  study?: string;
}

export interface AlgorithmSpec {
  name?: string;
  seed?: number;
  settings?: Record<string, unknown>;
  /** Trainings per configuration (default 1). */
  repeats?: number;
  /** Strategies run before `name`, each for its `trials` configurations. */
  stages?: AlgorithmStage[];
  warmStart?: WarmStartSpec;
}

export interface EarlyStoppingSpec {
  name?: string;
  settings?: Record<string, unknown>;
}

export interface BudgetSpec {
  maxTrials?: number;
  parallelism?: number;
  maxFailedTrials?: number;
  /** Durations as written, e.g. `30m`. */
  timeout?: string;
  trialTimeout?: string;
  pendingTimeout?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface PodSettings {
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  priorityClassName?: string;
  /** Added to every trial Job and its pod (pod-metadata.ts says which keys are allowed). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface TrainerSpec extends PodSettings {
  image?: string;
  /** The trainer's own config; checked by the trainer. */
  config: Record<string, unknown>;
}

export interface TemplateSpec extends PodSettings {
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
}

export interface TuningStudySpec {
  objective: ObjectiveSpec;
  parameters: ParamSpec[];
  algorithm?: AlgorithmSpec;
  earlyStopping?: EarlyStoppingSpec;
  budget?: BudgetSpec;
  suspend?: boolean;
  trainer?: TrainerSpec;
  template?: TemplateSpec;
}

export interface TuningStudy {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number; [key: string]: unknown };
  spec: TuningStudySpec;
  status?: TuningStudyStatus;
}

/** Durations of the budget, in milliseconds. */
export interface ResolvedBudget {
  maxTrials: number;
  parallelism: number;
  maxFailedTrials?: number;
  timeoutMs?: number;
  trialTimeoutMs?: number;
  pendingTimeoutMs?: number;
}

/** A validated spec with every default applied and durations parsed. */
export interface ResolvedSpec {
  name: string;
  objective: Required<Pick<ObjectiveSpec, 'metric' | 'goal' | 'valueFrom'>> & Pick<ObjectiveSpec, 'targetValue'> & { additionalMetrics: string[] };
  parameters: ParamSpec[];
  algorithm: {
    name: string; seed: number; settings: Record<string, unknown>;
    /** Trainings per configuration; absent means 1. */
    repeats?: number;
    stages?: { name: string; trials: number; settings: Record<string, unknown> }[];
    warmStart?: WarmStartSpec;
  };
  earlyStopping: { name: string; settings: Record<string, unknown> };
  budget: ResolvedBudget;
  suspend: boolean;
  workload: { kind: 'trainer'; trainer: TrainerSpec } | { kind: 'template'; template: TemplateSpec };
}

export type StudyPhase = 'Pending' | 'Running' | 'Suspended' | 'Completed' | 'Failed';

export interface Condition {
  type: 'Ready' | 'Reconciling' | 'Stalled' | string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface TrialSummary {
  index: number;
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'pruned';
  value?: number;
  reason?: string;
  params?: Params;
}

export interface TrialCounts {
  total: number;
  finished: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  pruned: number;
}

export interface TuningStudyStatus {
  phase?: StudyPhase;
  reason?: string;
  observedGeneration?: number;
  conditions?: Condition[];
  startTime?: string;
  completionTime?: string;
  /** The sampler proposing trials now: a stage's during the stages, then `algorithm.name` (for `auto`, the one it chose). */
  sampler?: string;
  counts?: TrialCounts;
  bestTrial?: { index: number; value?: number; params?: Params; metrics?: Record<string, number> };
  /** With repeats: the best configuration by mean, with the spread over its repeats. */
  bestConfiguration?: { trials: number[]; params?: Params; n?: number; mean: number; std?: number; min?: number; max?: number };
  topTrials?: TrialSummary[];
  recentTrials?: TrialSummary[];
}
