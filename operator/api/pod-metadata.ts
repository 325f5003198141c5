/**
 * `labels` and `annotations` of a trial (spec.trainer / spec.template): what the user adds to
 * every trial Job and its pod, e.g. Kueue's `kueue.x-k8s.io/queue-name`, a cost-centre label, or
 * a sidecar-injection annotation.
 *
 * Keys follow Kubernetes' qualified-name rule (an optional DNS-subdomain prefix and `/`, then up
 * to 63 characters of alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric); label
 * values are the schema's (≤ 63 characters, same alphabet). The keys the operator owns —
 * anything under `kubetune.io/` and `app.kubernetes.io/managed-by` — are refused: the operator
 * finds its Jobs and pods by them, and a study that could set them could make one study's Jobs
 * look like another's. Checked here rather than left to the apiserver, because a Job the
 * apiserver refuses would fail at every reconcile instead of stalling the study with the field named.
 */
import { type Issue, joinPath } from './issues.js';

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RESERVED_PREFIX = 'kubetune.io';
const RESERVED_KEYS = new Set(['app.kubernetes.io/managed-by']);

/** Why `key` is not a usable label or annotation key, or undefined when it is. */
export function metadataKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) return `"${key}": the prefix must be a DNS subdomain (lower case, at most 253 characters)`;
  if (!NAME.test(name)) return `"${key}": the name must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  if (prefix === RESERVED_PREFIX || prefix?.endsWith(`.${RESERVED_PREFIX}`) || RESERVED_KEYS.has(key)) return `"${key}" is set by the operator itself`;
  return undefined;
}

/** Issues for the labels and annotations of `spec.trainer` and `spec.template`. */
export function checkPodMetadata(spec: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  for (const workload of ['trainer', 'template'] as const) {
    const settings = spec[workload];
    if (typeof settings !== 'object' || settings === null) continue;
    for (const field of ['labels', 'annotations'] as const) {
      const map = (settings as Record<string, unknown>)[field];
      if (typeof map !== 'object' || map === null) continue;
      for (const key of Object.keys(map)) {
        const problem = metadataKeyProblem(key);
        if (problem !== undefined) {
          issues.push({
            code: 'bad_metadata_key', path: joinPath(`/spec/${workload}/${field}`, key), message: `${field.slice(0, -1)} key ${problem}`,
            hint: 'use a key such as kueue.x-k8s.io/queue-name or team; kubetune.io/* is reserved',
          });
        }
      }
    }
  }
  return issues;
}
