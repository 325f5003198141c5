/**
 * Which parameters TPE models jointly.
 *
 * In a conditional space trials carry different sets of parameters, and a joint density needs
 * observations that have all of its dimensions. Optuna's `group=True` decomposes the space into
 * groups such that every finished trial holds each group entirely or not at all — two parameters
 * share a group exactly when they appear in the same trials — and models each group jointly on
 * the trials that hold it (Optuna's `_GroupDecomposedSearchSpace`).
 *
 * - multivariate with groups (the default): that decomposition;
 * - multivariate without groups: the parameters every finished trial holds form one group, any
 *   other parameter is modelled alone (Optuna's `IntersectionSearchSpace` plus independent
 *   sampling);
 * - univariate: every parameter alone.
 *
 * A parameter no finished trial holds yet is modelled alone (from the prior). Parameters with a
 * single possible value are not modelled at all.
 */
import type { SearchSpace } from '../../space/space.js';
import type { ParamSpec, Params } from '../../space/types.js';

export type GroupMode = 'grouped' | 'intersection' | 'independent';

/** True when the parameter can take more than one value (so there is something to model). */
export function isModelled(space: SearchSpace, p: ParamSpec): boolean {
  switch (p.type) {
    case 'float':
    case 'int':
      return space.domain(p.name).count > 1;
    case 'categorical':
      return p.values.length > 1;
    case 'subset':
      // Only the full set is allowed when minSize reaches the number of values.
      return (p.minSize ?? 1) < p.values.length && (p.maxSize ?? p.values.length) > 0;
  }
}

/**
 * Groups of parameters (each in space order, groups ordered by their first parameter) given the
 * parameters of the `finishedCount` finished trials.
 */
export function parameterGroups(space: SearchSpace, finished: readonly Params[], finishedCount: number, mode: GroupMode): ParamSpec[][] {
  const modelled = space.params.filter((p) => isModelled(space, p));
  if (mode === 'independent') return modelled.map((p) => [p]);
  // Without conditions every trial holds every parameter: one joint group (`finished` may then
  // be left empty by the caller; only its count matters).
  if (!space.isConditional) return finishedCount > 0 && modelled.length > 0 ? [modelled] : modelled.map((p) => [p]);

  // The distinct sets of parameter names among finished trials.
  const shapes = new Map<string, Set<string>>();
  for (const params of finished) {
    const names = modelled.filter((p) => params[p.name] !== undefined).map((p) => p.name);
    const key = names.join('\u0000');
    if (!shapes.has(key)) shapes.set(key, new Set(names));
  }
  const sets = [...shapes.values()];

  if (mode === 'intersection') {
    const joint = modelled.filter((p) => sets.length > 0 && sets.every((s) => s.has(p.name)));
    const rest = modelled.filter((p) => !joint.includes(p)).map((p) => [p]);
    return joint.length > 0 ? [joint, ...rest] : rest;
  }

  // Signature of a parameter: which shapes hold it. Equal signatures, same group.
  const bySignature = new Map<string, ParamSpec[]>();
  const groups: ParamSpec[][] = [];
  for (const p of modelled) {
    const signature = sets.map((s) => (s.has(p.name) ? '1' : '0')).join('');
    if (!signature.includes('1')) {
      groups.push([p]); // never observed: alone, from the prior
      continue;
    }
    const group = bySignature.get(signature);
    if (group === undefined) {
      const fresh = [p];
      bySignature.set(signature, fresh);
      groups.push(fresh);
    } else {
      group.push(p);
    }
  }
  return groups;
}
