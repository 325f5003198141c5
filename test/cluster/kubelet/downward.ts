/**
 * The pod's view of itself: downward-API field and resource references, and Kubernetes'
 * `$(VAR)` expansion. Pure functions over the pod object, shared by env and volume code.
 */
import type { Obj } from '../rest.js';
import { ConfigError } from './errors.js';

/** `metadata.labels` / `metadata.annotations` as a downward-API volume file writes them. */
function mapFile(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/**
 * The value of a downward-API `fieldRef.fieldPath`. `metadata.labels['k']` and the whole-map forms
 * are supported; unknown paths throw, as the apiserver would have refused them.
 */
export function fieldValue(pod: Obj, fieldPath: string, hostIp: string): string {
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (sub) return (pod.metadata?.[sub[1]!] as Record<string, string> | undefined)?.[sub[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'metadata.labels':
      return mapFile(pod.metadata.labels);
    case 'metadata.annotations':
      return mapFile(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
    case 'status.podIP':
    case 'status.podIPs':
      return hostIp; // every pod shares the host network here
    default:
      throw new ConfigError(`unsupported fieldRef ${fieldPath}`);
  }
}

const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A resource.Quantity as a number (`500m` → 0.5, `1Gi` → 1073741824). */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m || !(m[2]! in SUFFIX)) throw new Error(`bad quantity ${q}`);
  return Number(m[1]) * SUFFIX[m[2]!]!;
}

/**
 * `resourceFieldRef`: the container's limit or request, divided by `divisor` and rounded up as
 * the kubelet does; a missing limit falls back to the node's allocatable.
 */
export function resourceValue(container: Obj | undefined, resource: string, divisor: string | undefined, allocatable: Record<string, string>): string {
  const [kind, name] = resource.split('.') as [string, string];
  const fromSpec = container?.resources?.[kind]?.[name] as string | undefined;
  const raw = fromSpec ?? (kind === 'limits' ? allocatable[name] : undefined) ?? '0';
  // The apiserver defaults an absent divisor to "0", which the kubelet reads as 1.
  const d = parseQuantity(divisor ?? '1') || 1;
  return String(Math.ceil(parseQuantity(raw) / d));
}

/**
 * Kubernetes' `$(VAR)` expansion: known names are replaced, unknown references stay as written,
 * and `$$` escapes a `$`. Used for env values, command and args.
 */
export function expand(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && name in vars ? vars[name]! : whole;
  });
}
