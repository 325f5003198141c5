// The control plane is the release we built, with RBAC in force: /version reports it, and a
// service-account token minted through the TokenRequest API is refused until a RoleBinding
// grants it — the least-privilege checks the chart's RBAC will need.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rest } from '../../cluster/rest.js';
import { clusterOrSkip, refusal, testNamespace, waitFor } from '../../cluster/testing.js';

test('/version reports the Kubernetes release the binaries were built from', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const rest = c.rest();
  t.after(() => rest.close());
  const v = await rest.get('/version');
  assert.match(v.gitVersion, /^v1\.34\.\d+$/);
  assert.equal(v.major, '1');
  assert.equal(v.minor, '34');
});

test('a minted service-account token is refused by RBAC until a RoleBinding grants it', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'rbac');
  const admin = c.rest();
  t.after(() => admin.close());
  await admin.create(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader' } });
  const token = await c.mintServiceAccountToken(ns, 'reader');
  const asReader = new Rest({ server: c.server, caPem: c.caPem, token });
  t.after(() => asReader.close());

  const denied = await refusal(() => asReader.get(`/api/v1/namespaces/${ns}/pods`));
  assert.equal(denied.code, 403);
  assert.equal(denied.status?.message, `pods is forbidden: User "system:serviceaccount:${ns}:reader" cannot list resource "pods" in API group "" in the namespace "${ns}"`);

  await admin.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
  });
  await admin.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
  });
  // The authorizer's cache follows the binding within moments.
  const list = await waitFor('reader may list pods', () => asReader.get(`/api/v1/namespaces/${ns}/pods`));
  assert.deepEqual(list.items, []);
  const stillDenied = await refusal(() => asReader.create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
  assert.equal(stillDenied.code, 403);
});
