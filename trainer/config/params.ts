/**
 * The hyperparameters the trainer understands, with their types, ranges and defaults, and the
 * code that reads them from the trial contract (design.md §5): a JSON file at
 * `KUBETUNE_PARAMS_FILE` and/or `KUBETUNE_PARAM_<NAME>` variables. Values set in the trainer
 * config's `params` block are fixed settings; the trial's parameters override them, and the
 * environment overrides the file. Anything unknown or ill-typed is an `InvalidParameter`
 * failure that names the parameter, never a silent default.
 */
import { readFileSync } from 'node:fs';
import { ENV, paramEnvName } from '../../operator/api/trial-contract.js';
import { TrainerError, invalidParameter } from '../errors.js';

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const ACTIVATIONS = ['relu', 'relu6', 'elu', 'selu', 'tanh', 'sigmoid', 'softplus', 'softsign', 'swish', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

type Spec =
  | { kind: 'number'; default: number; min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean; doc: string }
  | { kind: 'int'; default: number; min: number; max: number; doc: string }
  | { kind: 'bool'; default: boolean; doc: string }
  | { kind: 'enum'; default: string; values: readonly string[]; doc: string }
  | { kind: 'subset'; default: readonly string[] | null; doc: string };

/** Every parameter by name. `units_<i>` and `filters_<i>` are per-layer forms of `units`/`filters`. */
export const PARAM_SPECS = {
  optimizer: { kind: 'enum', default: 'adam', values: OPTIMIZERS, doc: 'optimizer' },
  learning_rate: { kind: 'number', default: 1e-3, min: 0, exclusiveMin: true, max: 10, doc: 'step size' },
  momentum: { kind: 'number', default: 0, min: 0, max: 1, exclusiveMax: true, doc: 'sgd momentum; also rmsprop momentum' },
  nesterov: { kind: 'bool', default: false, doc: 'Nesterov momentum for sgd' },
  beta1: { kind: 'number', default: 0.9, min: 0, max: 1, exclusiveMax: true, doc: 'adam/adamax first-moment decay' },
  beta2: { kind: 'number', default: 0.999, min: 0, max: 1, exclusiveMax: true, doc: 'adam/adamax second-moment decay' },
  epsilon: { kind: 'number', default: 1e-7, min: 0, exclusiveMin: true, max: 1, doc: 'numerical stabiliser of adaptive optimizers' },
  rho: { kind: 'number', default: 0.9, min: 0, max: 1, exclusiveMax: true, doc: 'rmsprop/adadelta decay' },
  batch_size: { kind: 'int', default: 32, min: 1, max: 65536, doc: 'examples per gradient step' },
  epochs: { kind: 'int', default: 10, min: 1, max: 100000, doc: 'passes over the training split' },
  input_units: { kind: 'int', default: 64, min: 1, max: 65536, doc: 'MLP: units of the first (input) dense layer' },
  input_activation: { kind: 'enum', default: 'relu', values: ACTIVATIONS, doc: 'activation of the input layer (first dense or conv layer)' },
  layers: { kind: 'int', default: 1, min: 0, max: 64, doc: 'MLP: hidden dense layers after the input layer' },
  units: { kind: 'int', default: 64, min: 1, max: 65536, doc: 'units of every hidden layer (units_<i> overrides layer i)' },
  activation: { kind: 'enum', default: 'relu', values: ACTIVATIONS, doc: 'activation of hidden layers' },
  dropout: { kind: 'number', default: 0, min: 0, max: 1, exclusiveMax: true, doc: 'dropout rate after each hidden layer (0 = none)' },
  batch_norm: { kind: 'bool', default: false, doc: 'batch normalisation before each hidden activation' },
  l2: { kind: 'number', default: 0, min: 0, max: 10, doc: 'L2 penalty on every kernel' },
  conv_blocks: { kind: 'int', default: 2, min: 1, max: 8, doc: 'CNN: convolution blocks (conv, [bn], act, pool)' },
  filters: { kind: 'int', default: 32, min: 1, max: 4096, doc: 'CNN: filters per conv block (filters_<i> overrides block i)' },
  kernel_size: { kind: 'int', default: 3, min: 1, max: 15, doc: 'CNN: square kernel size' },
  strides: { kind: 'int', default: 1, min: 1, max: 4, doc: 'CNN: convolution stride' },
  padding: { kind: 'enum', default: 'same', values: ['same', 'valid'], doc: 'CNN: convolution padding' },
  pooling: { kind: 'enum', default: 'max', values: ['max', 'avg', 'none'], doc: 'CNN: pooling after each block' },
  pool_size: { kind: 'int', default: 2, min: 1, max: 8, doc: 'CNN: pooling window and stride' },
  dense_units: { kind: 'int', default: 128, min: 0, max: 65536, doc: 'CNN: units of the dense head (0 = none)' },
  loss: { kind: 'enum', default: 'mse', values: ['mse', 'mae'], doc: 'regression loss' },
  features: { kind: 'subset', default: null, doc: 'CSV: the feature columns to use (a subset parameter)' },
} as const satisfies Record<string, Spec>;

export type ParamName = keyof typeof PARAM_SPECS;
type ValueOf<S> = S extends { kind: 'number' | 'int' } ? number
  : S extends { kind: 'bool' } ? boolean
  : S extends { kind: 'subset' } ? readonly string[] | null
  : S extends { values: readonly (infer V)[] } ? V : never;

/** The resolved parameters: every known one with a value, plus per-layer overrides. */
export type HyperParams = { -readonly [K in ParamName]: ValueOf<(typeof PARAM_SPECS)[K]> } & {
  /** `units_<i>` overrides, by hidden-layer index. */
  unitsByLayer: Record<number, number>;
  /** `filters_<i>` overrides, by conv-block index. */
  filtersByBlock: Record<number, number>;
};

const PER_LAYER = /^(units|filters)_(\d{1,2})$/;

function specFor(name: string): Spec | undefined {
  if (Object.hasOwn(PARAM_SPECS, name)) return PARAM_SPECS[name as ParamName];
  const match = PER_LAYER.exec(name);
  if (match) return PARAM_SPECS[match[1] as 'units' | 'filters'];
  return undefined;
}

const STRICT_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Checks one raw value (from JSON or an env string) against its spec; returns the typed value. */
export function coerceParam(name: string, raw: unknown): unknown {
  const spec = specFor(name);
  if (spec === undefined) throw invalidParameter(name, 'unknown parameter');
  const show = JSON.stringify(raw);
  switch (spec.kind) {
    case 'number':
    case 'int': {
      const value = typeof raw === 'string' && STRICT_NUMBER.test(raw.trim()) ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidParameter(name, `expected a number, got ${show}`);
      if (spec.kind === 'int' && !Number.isInteger(value)) throw invalidParameter(name, `expected an integer, got ${show}`);
      const { min, max } = spec;
      const exMin = spec.kind === 'number' && spec.exclusiveMin === true;
      const exMax = spec.kind === 'number' && spec.exclusiveMax === true;
      if (min !== undefined && (value < min || (exMin && value === min))) {
        throw invalidParameter(name, `${value} is below the allowed range (${exMin ? '>' : '>='} ${min})`);
      }
      if (max !== undefined && (value > max || (exMax && value === max))) {
        throw invalidParameter(name, `${value} is above the allowed range (${exMax ? '<' : '<='} ${max})`);
      }
      return value;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1' || raw === 1) return true;
      if (raw === 'false' || raw === '0' || raw === 0) return false;
      throw invalidParameter(name, `expected true or false, got ${show}`);
    }
    case 'enum': {
      if (typeof raw !== 'string' || !spec.values.includes(raw)) {
        throw invalidParameter(name, `expected one of ${spec.values.join(', ')}, got ${show}`);
      }
      return raw;
    }
    case 'subset': {
      let value = raw;
      if (typeof raw === 'string') value = raw.trim().startsWith('[') ? parseJsonOr(raw, name) : raw.split(',').map((s) => s.trim());
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
        throw invalidParameter(name, `expected a non-empty array of column names, got ${show}`);
      }
      if (new Set(value).size !== value.length) throw invalidParameter(name, `names a column twice: ${show}`);
      return value;
    }
  }
}

function parseJsonOr(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidParameter(name, `is not valid JSON: ${JSON.stringify(text)}`);
  }
}

/** Reads `KUBETUNE_PARAMS_FILE` (if set) and `KUBETUNE_PARAM_*` variables into raw name→value pairs. */
export function readTrialParams(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const file = env[ENV.paramsFile];
  if (file !== undefined && file !== '') {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new TrainerError('InvalidParameter', `parameters file ${file}: ${(err as Error).message}`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw new TrainerError('InvalidParameter', `parameters file ${file} must hold a JSON object`);
    }
    Object.assign(out, doc);
  }
  const envNames = new Map<string, string>();
  for (const name of Object.keys(PARAM_SPECS)) envNames.set(paramEnvName(name), name);
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(ENV.paramPrefix) || value === undefined) continue;
    const suffix = key.slice(ENV.paramPrefix.length).toLowerCase();
    const name = envNames.get(key) ?? (PER_LAYER.test(suffix) ? suffix : undefined);
    if (name === undefined) throw invalidParameter(suffix, `unknown parameter (from environment variable ${key})`);
    out[name] = value;
  }
  return out;
}

/** Merges fixed settings and trial parameters (trial wins) over the defaults and validates all. */
export function resolveParams(fixed: Record<string, unknown>, trial: Record<string, unknown>): HyperParams {
  const merged: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(PARAM_SPECS)) merged[name] = spec.default;
  const unitsByLayer: Record<number, number> = {};
  const filtersByBlock: Record<number, number> = {};
  for (const [name, raw] of [...Object.entries(fixed), ...Object.entries(trial)]) {
    const value = coerceParam(name, raw);
    const perLayer = PER_LAYER.exec(name);
    if (perLayer) (perLayer[1] === 'units' ? unitsByLayer : filtersByBlock)[Number(perLayer[2])] = value as number;
    else merged[name] = value;
  }
  return { ...(merged as Omit<HyperParams, 'unitsByLayer' | 'filtersByBlock'>), unitsByLayer, filtersByBlock };
}

/** Plain JSON form of the parameters, for the output directory. */
export function paramsToJson(params: HyperParams): Record<string, unknown> {
  const { unitsByLayer, filtersByBlock, ...rest } = params;
  const out: Record<string, unknown> = { ...rest };
  for (const [i, v] of Object.entries(unitsByLayer)) out[`units_${i}`] = v;
  for (const [i, v] of Object.entries(filtersByBlock)) out[`filters_${i}`] = v;
  return out;
}
