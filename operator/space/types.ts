/**
 * The search space as users write it — in a TuningStudy's `spec.parameters`, in a local study
 * file, or in the library's `Study` — one schema for all three.
 *
 * A space is an ordered list of named parameters. A parameter with `when` exists only while its
 * parent parameters hold one of the listed values (Hyperopt's nested `hp.choice`, written flat).
 */

/** A value a categorical or subset parameter can take. */
export type Scalar = string | number | boolean;

/** The value of one parameter in a trial: a scalar, or the chosen values of a `subset`. */
export type ParamValue = Scalar | Scalar[];

/** One trial's parameters, keyed by parameter name. Inactive parameters are absent. */
export type Params = Record<string, ParamValue>;

/** `{ parent: value }` or `{ parent: [v1, v2] }`: present only while every parent matches. */
export type Condition = Record<string, Scalar | Scalar[]>;

interface ParamCommon {
  /** Unique name; also the suffix of the trial's `KUBETUNE_PARAM_<NAME>` variable. */
  name: string;
  /** Conditional activation; see `Condition`. */
  when?: Condition;
}

/** A real number in `[min, max]`, optionally on a log scale or a grid of `step`. */
export interface FloatParam extends ParamCommon {
  type: 'float';
  min: number;
  max: number;
  /** Sample uniformly in log space; requires `min > 0`; cannot be combined with `step`. */
  log?: boolean;
  /** Values are `min + k * step` (k = 0, 1, …) up to `max`. */
  step?: number;
}

/** An integer in `[min, max]`, optionally on a log scale or a grid of `step` (default 1). */
export interface IntParam extends ParamCommon {
  type: 'int';
  min: number;
  max: number;
  /** Sample uniformly in log space; requires `min >= 1` and `step` 1. */
  log?: boolean;
  step?: number;
}

/** One of a fixed list of values (strings, numbers or booleans). */
export interface CategoricalParam extends ParamCommon {
  type: 'categorical';
  values: Scalar[];
}

/**
 * A subset of `values` (input-feature selection): the trial receives the chosen values as a list,
 * in the order of `values`, with `minSize <= length <= maxSize`.
 */
export interface SubsetParam extends ParamCommon {
  type: 'subset';
  values: Scalar[];
  /** Smallest subset allowed (default 1). */
  minSize?: number;
  /** Largest subset allowed (default: all values). */
  maxSize?: number;
}

export type ParamSpec = FloatParam | IntParam | CategoricalParam | SubsetParam;
export type ParamType = ParamSpec['type'];
