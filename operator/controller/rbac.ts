/**
 * The operator's RBAC rules, read from `helm/kubetune/files/operator-rules.yaml` — the one place
 * they are written, so the Helm chart (`.Files.Get`), the integration tests (which run the
 * operator under a ServiceAccount bound to exactly these rules) and the docs cannot disagree.
 *
 * `renderOperatorRbac` turns them into the objects a namespace-scoped or cluster-wide install
 * needs. `rbacProblems` is the least-privilege check the unit test applies: no wildcards, no
 * Secrets, no pods/exec (or attach, port-forward, proxy), no escalate/bind/impersonate.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { V1PolicyRule } from '@kubernetes/client-node';
import { parse } from 'yaml';

export const RULES_FILE = fileURLToPath(new URL('../../helm/kubetune/files/operator-rules.yaml', import.meta.url));

export interface OperatorRules {
  /** In every watched namespace (ClusterRole, bound cluster-wide or per namespace). */
  studyRules: V1PolicyRule[];
  /** In the operator's own namespace: the leader Lease. */
  leaderElectionRules: V1PolicyRule[];
}

export function loadOperatorRules(path = RULES_FILE): OperatorRules {
  const doc = parse(readFileSync(path, 'utf8')) as Partial<OperatorRules>;
  if (!Array.isArray(doc.studyRules) || !Array.isArray(doc.leaderElectionRules)) {
    throw new Error(`${path}: expected the lists studyRules and leaderElectionRules`);
  }
  return { studyRules: doc.studyRules, leaderElectionRules: doc.leaderElectionRules };
}

const FORBIDDEN_RESOURCES = ['secrets', 'pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'nodes/proxy', 'services/proxy', 'serviceaccounts/token'];
const FORBIDDEN_VERBS = ['escalate', 'bind', 'impersonate', 'deletecollection'];

/** Every way the rules exceed least privilege; empty when they do not. */
export function rbacProblems(rules: readonly V1PolicyRule[]): string[] {
  const out: string[] = [];
  rules.forEach((r, i) => {
    const where = `rule ${i} (${(r.resources ?? []).join(',')})`;
    for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames'] as const) {
      if ((r[field] ?? []).some((v) => v.includes('*'))) out.push(`${where}: wildcard in ${field}`);
    }
    if ((r.nonResourceURLs ?? []).length > 0) out.push(`${where}: nonResourceURLs`);
    if ((r.resources ?? []).length === 0) out.push(`${where}: no resources`);
    for (const res of r.resources ?? []) if (FORBIDDEN_RESOURCES.includes(res)) out.push(`${where}: grants ${res}`);
    for (const verb of r.verbs ?? []) if (FORBIDDEN_VERBS.includes(verb)) out.push(`${where}: verb ${verb}`);
  });
  return out;
}

export interface RbacTarget {
  /** Name prefix of the roles and bindings. */
  name: string;
  serviceAccount: { namespace: string; name: string };
  /** Watched namespaces; empty: all (ClusterRoleBinding). */
  namespaces: readonly string[];
  /** Where the leader Lease lives (the operator's namespace). */
  leaseNamespace: string;
}

type Obj = Record<string, unknown>;

/** The ClusterRole, its bindings and the Lease Role for one operator install. */
export function renderOperatorRbac(target: RbacTarget, rules: OperatorRules = loadOperatorRules()): Obj[] {
  const subject = { kind: 'ServiceAccount', name: target.serviceAccount.name, namespace: target.serviceAccount.namespace };
  const labels = { 'app.kubernetes.io/name': 'kubetune', 'app.kubernetes.io/component': 'operator' };
  const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: target.name, labels }, rules: rules.studyRules };
  const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: target.name };
  const bindings: Obj[] = target.namespaces.length === 0
    ? [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: target.name, labels }, roleRef, subjects: [subject] }]
    : target.namespaces.map((ns) => ({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: target.name, namespace: ns, labels }, roleRef, subjects: [subject],
      }));
  const leaseRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role',
    metadata: { name: `${target.name}-leader-election`, namespace: target.leaseNamespace, labels }, rules: rules.leaderElectionRules,
  };
  const leaseBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
    metadata: { name: `${target.name}-leader-election`, namespace: target.leaseNamespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${target.name}-leader-election` },
    subjects: [subject],
  };
  return [clusterRole, ...bindings, leaseRole, leaseBinding];
}
