/**
 * Rules that relate two fields, written once in both languages they must be enforced in: as a
 * CEL expression that crd.ts attaches to the CRD (the apiserver rejects the object), and as a
 * TypeScript check that validate.ts runs (the CLI, and the operator for objects that were
 * stored before a rule existed). A test runs every rule's examples through the TS side.
 *
 * `at` is the schema location the CEL rule is attached to, as a list of property names from
 * the spec; `self` in the rule is that node.
 */
import { parseDuration } from './duration.js';
import type { Issue } from './issues.js';
import type { CelRule } from './schema-builders.js';

export interface CrossFieldRule {
  /** Property path from `spec` to the node the CEL rule sits on. */
  at: readonly string[];
  cel: CelRule;
  /** The same rule for one spec node (`self`); returns an issue (path relative to `self`) or nothing. */
  check(self: Record<string, unknown>): Omit<Issue, 'path'> & { path: string } | undefined;
}

const has = (o: Record<string, unknown>, key: string) => o[key] !== undefined;

export const crossFieldRules: readonly CrossFieldRule[] = [
  {
    at: [],
    cel: { rule: 'has(self.trainer) != has(self.template)', message: 'exactly one of trainer or template must be set', reason: 'FieldValueRequired' },
    check: (spec) =>
      has(spec, 'trainer') === has(spec, 'template')
        ? {
            code: 'workload_choice', path: '',
            message: has(spec, 'trainer') ? 'trainer and template are both set; a study runs one kind of trial' : 'neither trainer nor template is set: the study has no trial workload',
            hint: 'set spec.trainer to run the built-in trainer, or spec.template with a command to run your own script',
          }
        : undefined,
  },
  {
    at: ['budget'],
    cel: { rule: '!has(self.parallelism) || !has(self.maxTrials) || self.parallelism <= self.maxTrials', message: 'parallelism must not exceed maxTrials', fieldPath: '.parallelism' },
    check: (budget) =>
      typeof budget.parallelism === 'number' && typeof budget.maxTrials === 'number' && budget.parallelism > budget.maxTrials
        ? { code: 'parallelism_above_max', path: '/parallelism', message: `parallelism (${budget.parallelism}) is larger than maxTrials (${budget.maxTrials})`, hint: `lower parallelism to at most ${budget.maxTrials}` }
        : undefined,
  },
  {
    at: ['budget'],
    cel: {
      rule: '!has(self.timeout) || !has(self.trialTimeout) || duration(self.trialTimeout) <= duration(self.timeout)',
      message: 'trialTimeout must not exceed the study timeout', fieldPath: '.trialTimeout',
    },
    check: (budget) => {
      const trial = typeof budget.trialTimeout === 'string' ? parseDuration(budget.trialTimeout) : undefined;
      const study = typeof budget.timeout === 'string' ? parseDuration(budget.timeout) : undefined;
      return trial !== undefined && study !== undefined && trial > study
        ? { code: 'trial_timeout_above_timeout', path: '/trialTimeout', message: `trialTimeout (${String(budget.trialTimeout)}) is longer than the study timeout (${String(budget.timeout)})`, hint: 'shorten trialTimeout or lengthen timeout' }
        : undefined;
    },
  },
  {
    at: ['objective'],
    cel: {
      rule: '!has(self.additionalMetrics) || !(self.metric in self.additionalMetrics)',
      message: 'additionalMetrics must not repeat the objective metric', fieldPath: '.additionalMetrics',
    },
    check: (objective) => {
      const extra = objective.additionalMetrics;
      return Array.isArray(extra) && extra.includes(objective.metric)
        ? { code: 'duplicate_metric', path: `/additionalMetrics/${extra.indexOf(objective.metric)}`, message: `additionalMetrics repeats the objective metric "${String(objective.metric)}"`, hint: 'remove it from additionalMetrics; the objective is always recorded' }
        : undefined;
    },
  },
  {
    at: ['template'],
    cel: {
      rule: "!has(self.env) || self.env.all(e, !e.name.startsWith('KUBETUNE_'))",
      message: 'env names starting with KUBETUNE_ are reserved for the trial contract', fieldPath: '.env',
    },
    check: (template) => {
      const env = template.env;
      if (!Array.isArray(env)) return undefined;
      const bad = env.findIndex((e) => typeof e === 'object' && e !== null && String((e as { name?: unknown }).name).startsWith('KUBETUNE_'));
      return bad < 0
        ? undefined
        : { code: 'reserved_env', path: `/env/${bad}/name`, message: `env name ${String((env[bad] as { name: unknown }).name)} is reserved for the trial contract`, hint: 'parameters reach the trial as KUBETUNE_PARAM_<NAME> already; rename the variable' };
    },
  },
];
