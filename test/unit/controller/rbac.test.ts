import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadOperatorRules, rbacProblems, renderOperatorRbac } from '../../../operator/controller/rbac.js';

/** Whether `rules` allow `verb` on `group/resource`. */
function allows(rules: ReturnType<typeof loadOperatorRules>['studyRules'], group: string, resource: string, verb: string): boolean {
  return rules.some((r) => (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource) && r.verbs.includes(verb));
}

describe('operator RBAC rules (helm/kubetune/files/operator-rules.yaml)', () => {
  const rules = loadOperatorRules();

  it('use no wildcard and grant no Secrets, pods/exec or escalation', () => {
    assert.deepEqual(rbacProblems(rules.studyRules), []);
    assert.deepEqual(rbacProblems(rules.leaderElectionRules), []);
  });

  it('grant what the operator does, and only that', () => {
    const s = rules.studyRules;
    for (const verb of ['get', 'list', 'watch']) assert.ok(allows(s, 'kubetune.io', 'tuningstudies', verb));
    assert.ok(!allows(s, 'kubetune.io', 'tuningstudies', 'update'), 'the spec is the user\'s');
    assert.ok(allows(s, 'kubetune.io', 'tuningstudies/status', 'patch'));
    for (const verb of ['create', 'delete', 'get', 'list', 'watch']) assert.ok(allows(s, 'batch', 'jobs', verb));
    assert.ok(!allows(s, 'batch', 'jobs', 'update'));
    for (const verb of ['get', 'list', 'watch']) assert.ok(allows(s, '', 'pods', verb));
    assert.ok(!allows(s, '', 'pods', 'create') && !allows(s, '', 'pods', 'delete'));
    assert.ok(allows(s, '', 'pods/log', 'get'));
    for (const verb of ['get', 'list', 'watch', 'create', 'patch']) assert.ok(allows(s, '', 'configmaps', verb));
    assert.ok(!allows(s, '', 'configmaps', 'delete'), 'history goes with the study through ownerReferences');
    assert.ok(allows(s, '', 'events', 'create'));
    assert.deepEqual(rules.leaderElectionRules.map((r) => [r.resources, r.verbs]), [[['leases'], ['get', 'create', 'update']]]);
  });

  it('the checker catches what it must', () => {
    assert.match(rbacProblems([{ apiGroups: [''], resources: ['*'], verbs: ['get'] }]).join(), /wildcard in resources/);
    assert.match(rbacProblems([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]).join(), /grants secrets/);
    assert.match(rbacProblems([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]).join(), /grants pods\/exec/);
    assert.match(rbacProblems([{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['*'] }]).join(), /wildcard in verbs/);
  });

  it('render a RoleBinding per watched namespace, or one ClusterRoleBinding, and the Lease Role', () => {
    const sa = { namespace: 'kubetune-system', name: 'kubetune' };
    const scoped = renderOperatorRbac({ name: 'kubetune', serviceAccount: sa, namespaces: ['a', 'b'], leaseNamespace: 'kubetune-system' }, rules);
    assert.deepEqual(scoped.map((o) => `${o.kind}/${(o.metadata as { namespace?: string }).namespace ?? ''}`),
      ['ClusterRole/', 'RoleBinding/a', 'RoleBinding/b', 'Role/kubetune-system', 'RoleBinding/kubetune-system']);
    const all = renderOperatorRbac({ name: 'kubetune', serviceAccount: sa, namespaces: [], leaseNamespace: 'kubetune-system' }, rules);
    assert.deepEqual(all.map((o) => o.kind), ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
  });
});
