/**
 * A validated search space: parameters in dependency order (parents before children), their
 * numeric domains, and conditional activation.
 *
 * Construct one with `SearchSpace.parse(raw)` (throws `SpecError` listing every issue) — it is
 * the one object samplers, the engine, the local runner and the operator share.
 */
import { SpecError } from '../api/issues.js';
import { type NumericDomain, numericDomain } from './numeric.js';
import type { ParamSpec, Params, ParamValue, Scalar } from './types.js';
import { validateSpace } from './validate.js';

export class SearchSpace {
  /** Parameters, parents always before their children; otherwise in the user's order. */
  readonly params: readonly ParamSpec[];
  private readonly byName: ReadonlyMap<string, ParamSpec>;
  private readonly domains: ReadonlyMap<string, NumericDomain>;

  private constructor(params: ParamSpec[]) {
    this.params = dependencyOrder(params);
    this.byName = new Map(params.map((p) => [p.name, p]));
    const domains = new Map<string, NumericDomain>();
    for (const p of params) if (p.type === 'float' || p.type === 'int') domains.set(p.name, numericDomain(p));
    this.domains = domains;
  }

  /** Validates `raw` and builds the space; `basePath` prefixes the paths of reported issues. */
  static parse(raw: unknown, basePath = '/parameters'): SearchSpace {
    const issues = validateSpace(raw, basePath);
    if (issues.length > 0) throw new SpecError(issues);
    return new SearchSpace(structuredClone(raw) as ParamSpec[]);
  }

  get size(): number {
    return this.params.length;
  }

  get(name: string): ParamSpec {
    const p = this.byName.get(name);
    if (p === undefined) throw new RangeError(`no parameter named ${JSON.stringify(name)}`);
    return p;
  }

  /** Numeric domain of a float or int parameter. */
  domain(name: string): NumericDomain {
    const d = this.domains.get(name);
    if (d === undefined) throw new RangeError(`parameter ${JSON.stringify(name)} is not numeric`);
    return d;
  }

  /** True when the space has conditional parameters. */
  get isConditional(): boolean {
    return this.params.some((p) => p.when !== undefined);
  }

  /**
   * Whether `param` is active given the values already chosen for its parents. A parameter is
   * active when every parent is active and holds one of the listed values.
   */
  isActive(param: ParamSpec, chosen: Params): boolean {
    if (param.when === undefined) return true;
    for (const [parent, expected] of Object.entries(param.when)) {
      const value = chosen[parent];
      if (value === undefined || Array.isArray(value)) return false;
      const wanted: Scalar[] = Array.isArray(expected) ? expected : [expected];
      if (!wanted.some((w) => w === value)) return false;
    }
    return true;
  }

  /**
   * Builds a trial's parameters by asking `choose` for each active parameter in dependency
   * order; inactive parameters are skipped, so the result holds exactly the active ones.
   */
  assemble(choose: (param: ParamSpec, chosen: Params) => ParamValue): Params {
    const chosen: Params = {};
    for (const p of this.params) if (this.isActive(p, chosen)) chosen[p.name] = choose(p, chosen);
    return chosen;
  }

  /**
   * Checks that `params` is a legal point of this space: every active parameter present with a
   * legal value, nothing else. Returns the problems as sentences (empty when legal).
   */
  check(params: Params): string[] {
    const problems: string[] = [];
    const seen: Params = {};
    for (const p of this.params) {
      const value = params[p.name];
      if (!this.isActive(p, seen)) {
        if (value !== undefined) problems.push(`${p.name} is set but inactive`);
        continue;
      }
      if (value === undefined) {
        problems.push(`${p.name} is missing`);
        continue;
      }
      const why = this.illegal(p, value);
      if (why !== undefined) problems.push(`${p.name} ${why}`);
      seen[p.name] = value;
    }
    for (const name of Object.keys(params)) if (!this.byName.has(name)) problems.push(`${name} is not a parameter of this space`);
    return problems;
  }

  private illegal(p: ParamSpec, value: ParamValue): string | undefined {
    switch (p.type) {
      case 'float':
      case 'int': {
        if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
        const d = this.domain(p.name);
        if (value < d.min || value > d.max) return `must be within ${d.min}..${d.max}`;
        if (d.step !== undefined && Math.abs((value - d.min) / d.step - Math.round((value - d.min) / d.step)) > 1e-6) {
          return `must be ${d.min} plus a multiple of ${d.step}`;
        }
        return undefined;
      }
      case 'categorical':
        return p.values.some((v) => v === value) ? undefined : `must be one of ${JSON.stringify(p.values)}`;
      case 'subset': {
        if (!Array.isArray(value)) return 'must be a list';
        if (!value.every((v) => p.values.some((w) => w === v))) return `may only hold values of ${JSON.stringify(p.values)}`;
        if (new Set(value).size !== value.length) return 'must not repeat a value';
        const min = p.minSize ?? 1;
        const max = p.maxSize ?? p.values.length;
        return value.length < min || value.length > max ? `must have between ${min} and ${max} values` : undefined;
      }
    }
  }
}

/** Stable text key of a parameter set: same parameters, same key, whatever the key order. */
export function paramsKey(params: Params): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}

/** Kahn's algorithm, taking the earliest-listed ready parameter first so user order survives. */
function dependencyOrder(params: ParamSpec[]): ParamSpec[] {
  const placed = new Set<string>();
  const order: ParamSpec[] = [];
  while (order.length < params.length) {
    const next = params.find((p) => !placed.has(p.name) && Object.keys(p.when ?? {}).every((parent) => placed.has(parent)));
    if (next === undefined) throw new Error('cycle in conditions (validation should have caught it)');
    placed.add(next.name);
    order.push(next);
  }
  return order;
}
