/**
 * Katib `spec.parameters` → TuningStudy `spec.parameters`.
 *
 *   double      → float  (feasibleSpace min/max/step; distribution logUniform → log: true)
 *   int         → int    (min/max/step; logUniform → log: true)
 *   categorical → categorical (feasibleSpace.list, as strings: Katib hands trials strings)
 *   discrete    → categorical with numbers (feasibleSpace.list, numbers when every entry is one)
 *
 * Katib's `normal` and `logNormal` distributions have no counterpart (our parameters are uniform
 * or log-uniform over [min, max]); they become uniform / log-uniform and a note says so. A log
 * scale with a step is not a thing here either: the step is dropped with a note.
 */
import type { ParamSpec, Scalar } from '../../space/types.js';
import { PARAM_NAME_PATTERN } from '../../space/validate.js';
import { isRecord, type Notes, seg, toNumber } from '../notes.js';

export function convertParameters(raw: unknown, notes: Notes, path = '/spec/parameters'): ParamSpec[] {
  if (!Array.isArray(raw)) {
    notes.add(path, raw === undefined ? 'no parameters (a NAS experiment keeps its space in nasConfig, which has no counterpart)' : 'parameters is not a list');
    return [];
  }
  const out: ParamSpec[] = [];
  raw.forEach((p, i) => {
    const param = convertParameter(p, notes, `${path}/${i}`);
    if (param !== undefined) out.push(param);
  });
  return out;
}

function convertParameter(p: unknown, notes: Notes, path: string): ParamSpec | undefined {
  if (!isRecord(p)) {
    notes.add(path, 'not a parameter object; skipped');
    return undefined;
  }
  const name = p.name;
  if (typeof name !== 'string' || !PARAM_NAME_PATTERN.test(name)) {
    notes.add(`${path}/name`, `parameter name ${JSON.stringify(name)} does not match ${PARAM_NAME_PATTERN.source}; skipped`);
    return undefined;
  }
  const space = isRecord(p.feasibleSpace) ? p.feasibleSpace : {};
  const fsPath = `${path}/feasibleSpace`;
  const type = p.parameterType;
  if (type === 'categorical' || type === 'discrete') return listParameter(name, type, space, notes, fsPath);
  if (type !== 'double' && type !== 'int') {
    notes.add(`${path}/parameterType`, `parameter "${name}": parameterType ${JSON.stringify(type)} is not double, int, categorical or discrete; skipped`);
    return undefined;
  }
  const min = toNumber(space.min);
  const max = toNumber(space.max);
  if (min === undefined || max === undefined) {
    notes.add(fsPath, `parameter "${name}": feasibleSpace needs numeric min and max; skipped`);
    return undefined;
  }
  if (type === 'int' && (!Number.isInteger(min) || !Number.isInteger(max))) {
    notes.add(fsPath, `parameter "${name}": int bounds ${space.min}..${space.max} are not integers; skipped`);
    return undefined;
  }
  let log = false;
  const distribution = space.distribution;
  if (distribution === 'logUniform') log = true;
  else if (distribution === 'normal' || distribution === 'logNormal') {
    log = distribution === 'logNormal';
    notes.add(`${fsPath}/distribution`, `parameter "${name}": ${distribution} has no counterpart; sampled ${log ? 'log-' : ''}uniformly in [${min}, ${max}] instead`);
  } else if (distribution !== undefined && distribution !== 'uniform' && distribution !== '') {
    notes.add(`${fsPath}/distribution`, `parameter "${name}": unknown distribution ${JSON.stringify(distribution)}; sampled uniformly`);
  }
  let step = space.step === undefined ? undefined : toNumber(space.step);
  if (space.step !== undefined && (step === undefined || step <= 0)) {
    notes.add(`${fsPath}/step`, `parameter "${name}": step ${JSON.stringify(space.step)} is not a positive number; dropped`);
    step = undefined;
  }
  if (log && step !== undefined && !(type === 'int' && step === 1)) {
    notes.add(`${fsPath}/step`, `parameter "${name}": a log scale cannot have a step here; step ${step} dropped`);
    step = undefined;
  }
  if (log && (type === 'int' ? min < 1 : min <= 0)) {
    notes.add(`${fsPath}/distribution`, `parameter "${name}": a log scale needs min ${type === 'int' ? '>= 1' : '> 0'}; sampled uniformly`);
    log = false;
  }
  return {
    name, type: type === 'double' ? 'float' : 'int', min, max,
    ...(log ? { log: true } : {}),
    ...(step !== undefined && !(type === 'int' && step === 1) ? { step } : {}),
  };
}

function listParameter(name: string, type: 'categorical' | 'discrete', space: Record<string, unknown>, notes: Notes, path: string): ParamSpec | undefined {
  const list = space.list;
  if (!Array.isArray(list) || list.length === 0) {
    notes.add(`${path}/list`, `parameter "${name}": ${type} needs a non-empty feasibleSpace.list; skipped`);
    return undefined;
  }
  const numbers = list.map(toNumber);
  let values: Scalar[];
  if (type === 'discrete' && numbers.every((n) => n !== undefined)) {
    values = numbers as number[];
  } else {
    if (type === 'discrete') notes.add(`${path}/list`, `parameter "${name}": discrete values that are not all numbers are kept as strings`);
    values = list.map((v) => String(v));
  }
  const unique = [...new Set(values)];
  if (unique.length !== values.length) notes.add(`${path}/list`, `parameter "${name}": duplicate values removed`);
  for (const key of Object.keys(space)) {
    if (key !== 'list') notes.add(`${path}/${seg(key)}`, `parameter "${name}": ${key} means nothing for a ${type} parameter; dropped`);
  }
  return { name, type: 'categorical', values: unique };
}
