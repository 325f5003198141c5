/**
 * Every rule a search space must follow, checked in one pass that collects all issues. Each
 * issue names the parameter (by its path in the list and its name) and the rule it breaks.
 *
 * This is the semantic check shared by the CRD's operator-side validation, the CLI and the
 * library; the JSON Schema in operator/api checks shapes first where a schema is in play, but the
 * library calls this directly, so it re-checks types defensively rather than trusting them.
 */
import { type Issue, joinPath } from '../api/issues.js';
import { paramEnvName } from '../api/trial-contract.js';
import type { Scalar } from './types.js';

export const PARAM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/;
export const MAX_PARAMETERS = 256;
export const MAX_VALUES = 1024;

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a raw parameter list; returns every issue found (empty when the space is valid). */
export function validateSpace(raw: unknown, basePath = '/parameters'): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, code: string, message: string, hint?: string) =>
    issues.push(hint === undefined ? { code, path, message } : { code, path, message, hint });

  if (!Array.isArray(raw)) {
    add(basePath, 'not_a_list', 'parameters must be a list');
    return issues;
  }
  if (raw.length === 0) add(basePath, 'empty_space', 'a search space needs at least one parameter');
  if (raw.length > MAX_PARAMETERS) add(basePath, 'too_many', `a search space has at most ${MAX_PARAMETERS} parameters`);

  const byName = new Map<string, { index: number; spec: Record<string, unknown> }>();
  const envNames = new Map<string, string>();
  raw.forEach((item, index) => {
    const path = joinPath(basePath, index);
    if (!isRecord(item)) {
      add(path, 'not_an_object', `parameter ${index} must be an object`);
      return;
    }
    const name = item.name;
    const label = typeof name === 'string' ? `parameter "${name}"` : `parameter ${index}`;
    if (typeof name !== 'string' || !PARAM_NAME_PATTERN.test(name)) {
      add(joinPath(path, 'name'), 'bad_name', `${label}: name must match ${PARAM_NAME_PATTERN.source}`);
    } else if (byName.has(name)) {
      add(joinPath(path, 'name'), 'duplicate_name', `${label} is defined twice (also at index ${byName.get(name)?.index})`);
    } else {
      byName.set(name, { index, spec: item });
      const env = paramEnvName(name);
      const clash = envNames.get(env);
      if (clash !== undefined) {
        add(joinPath(path, 'name'), 'env_name_collision', `${label} and "${clash}" both map to the environment variable ${env}`);
      }
      envNames.set(env, name);
    }
    checkKind(item, path, label, add);
  });

  checkConditions(basePath, byName, add);
  return issues;
}

type Add = (path: string, code: string, message: string, hint?: string) => void;

function checkKind(item: Record<string, unknown>, path: string, label: string, add: Add): void {
  switch (item.type) {
    case 'float':
    case 'int':
      checkNumeric(item, path, label, add);
      return;
    case 'categorical':
    case 'subset':
      checkValues(item, path, label, add);
      return;
    default:
      add(joinPath(path, 'type'), 'bad_type', `${label}: type must be one of float, int, categorical, subset`);
  }
}

function checkNumeric(item: Record<string, unknown>, path: string, label: string, add: Add): void {
  const isInt = item.type === 'int';
  const { min, max, step, log } = item;
  let bounded = true;
  for (const [key, value] of [['min', min], ['max', max]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      add(joinPath(path, key), 'not_a_number', `${label}: ${key} must be a finite number`);
      bounded = false;
    } else if (isInt && !Number.isSafeInteger(value)) {
      add(joinPath(path, key), 'not_integer', `${label}: ${key} of an int parameter must be an integer`);
      bounded = false;
    }
  }
  if (log !== undefined && typeof log !== 'boolean') add(joinPath(path, 'log'), 'not_boolean', `${label}: log must be true or false`);
  if (step !== undefined) {
    if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0) {
      add(joinPath(path, 'step'), 'step_nonpositive', `${label}: step must be a positive number`);
    } else if (isInt && !Number.isSafeInteger(step)) {
      add(joinPath(path, 'step'), 'not_integer', `${label}: step of an int parameter must be an integer`);
    } else if (bounded && step > (max as number) - (min as number)) {
      add(joinPath(path, 'step'), 'step_too_large', `${label}: step ${step} is larger than the range ${min}..${max}`);
    }
  }
  if (!bounded) return;
  if ((min as number) >= (max as number)) {
    add(joinPath(path, 'max'), 'empty_range', `${label}: min (${min}) must be less than max (${max})`,
      'to fix a parameter at one value, use a categorical parameter with a single value');
  }
  if (log === true) {
    if ((min as number) <= 0) add(joinPath(path, 'min'), 'log_nonpositive', `${label}: a log-scale parameter needs min > 0, got ${min}`);
    if (step !== undefined && !(isInt && step === 1)) {
      add(joinPath(path, 'step'), 'log_with_step', `${label}: log and step cannot be combined${isInt ? ' (an int log parameter has step 1)' : ''}`);
    }
  }
}

function checkValues(item: Record<string, unknown>, path: string, label: string, add: Add): void {
  const values = item.values;
  const valuesPath = joinPath(path, 'values');
  if (!Array.isArray(values) || values.length === 0) {
    add(valuesPath, 'empty_values', `${label}: values must be a non-empty list`);
    return;
  }
  if (values.length > MAX_VALUES) add(valuesPath, 'too_many', `${label}: at most ${MAX_VALUES} values`);
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (!isScalar(v)) {
      add(joinPath(valuesPath, i), 'bad_value', `${label}: value ${i} must be a string, a finite number or a boolean`);
      return;
    }
    const key = `${typeof v}:${String(v)}`;
    if (seen.has(key)) add(joinPath(valuesPath, i), 'duplicate_value', `${label}: value ${JSON.stringify(v)} is listed twice`);
    seen.add(key);
  });
  if (item.type !== 'subset') return;
  const n = values.length;
  const minSize = item.minSize ?? 1;
  const maxSize = item.maxSize ?? n;
  for (const [key, value] of [['minSize', minSize], ['maxSize', maxSize]] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > n) {
      add(joinPath(path, key), 'bad_size', `${label}: ${key} must be an integer between 0 and ${n}`);
      return;
    }
  }
  if ((minSize as number) > (maxSize as number)) {
    add(joinPath(path, 'maxSize'), 'bad_size', `${label}: minSize (${minSize}) is larger than maxSize (${maxSize})`);
  } else if (maxSize === 0) {
    add(joinPath(path, 'maxSize'), 'bad_size', `${label}: maxSize 0 leaves only the empty subset`);
  }
}

function checkConditions(
  basePath: string,
  byName: Map<string, { index: number; spec: Record<string, unknown> }>,
  add: Add,
): void {
  const parentsOf = new Map<string, string[]>();
  for (const [name, { index, spec }] of byName) {
    if (spec.when === undefined) continue;
    const whenPath = joinPath(basePath, index, 'when');
    const label = `parameter "${name}"`;
    if (!isRecord(spec.when) || Object.keys(spec.when).length === 0) {
      add(whenPath, 'bad_condition', `${label}: when must map parent names to a value or a list of values`);
      continue;
    }
    const parents: string[] = [];
    for (const [parentName, expected] of Object.entries(spec.when)) {
      const condPath = joinPath(whenPath, parentName);
      const parent = byName.get(parentName);
      if (parentName === name) {
        add(condPath, 'cycle', `${label} cannot depend on itself`);
        continue;
      }
      if (parent === undefined) {
        add(condPath, 'unknown_parent', `${label} depends on "${parentName}", which is not a parameter of this space`);
        continue;
      }
      parents.push(parentName);
      const kind = parent.spec.type;
      if (kind !== 'categorical' && kind !== 'int') {
        add(condPath, 'bad_parent_type', `${label}: a condition's parent must be a categorical or int parameter, "${parentName}" is ${String(kind)}`);
        continue;
      }
      const wanted = Array.isArray(expected) ? expected : [expected];
      if (wanted.length === 0) add(condPath, 'bad_condition', `${label}: the condition on "${parentName}" lists no value`);
      for (const value of wanted) {
        if (!isScalar(value) || !parentCanTake(parent.spec, value)) {
          add(condPath, 'impossible_condition', `${label}: "${parentName}" can never be ${JSON.stringify(value)}`);
        }
      }
    }
    parentsOf.set(name, parents);
  }
  for (const cycle of findCycles(parentsOf)) {
    const first = cycle[0] as string;
    add(joinPath(basePath, byName.get(first)?.index ?? 0, 'when'), 'cycle',
      `parameters ${cycle.map((n) => `"${n}"`).join(' -> ')} -> "${first}" depend on each other in a cycle`);
  }
}

function parentCanTake(parent: Record<string, unknown>, value: Scalar): boolean {
  if (parent.type === 'categorical') return Array.isArray(parent.values) && parent.values.some((v) => v === value);
  const { min, max } = parent;
  const step = typeof parent.step === 'number' ? parent.step : 1;
  return (
    typeof value === 'number' && typeof min === 'number' && typeof max === 'number' &&
    Number.isInteger(value) && value >= min && value <= max && (value - min) % step === 0
  );
}

/** Each cycle once, as the list of its members (depth-first search with colours). */
function findCycles(parentsOf: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'open');
    stack.push(name);
    for (const parent of parentsOf.get(name) ?? []) {
      const s = state.get(parent);
      if (s === 'open') cycles.push(stack.slice(stack.indexOf(parent)));
      else if (s === undefined) visit(parent);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of parentsOf.keys()) if (!state.has(name)) visit(name);
  return cycles;
}
