// PodSecurity admission is on: a namespace labelled enforce=restricted refuses a privileged pod
// (the operator's own pods and trial pods must meet "restricted", design.md §4).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterOrSkip, nodeScriptPod, refusal, testNamespace } from '../../cluster/testing.js';

test('a namespace enforcing "restricted" refuses a privileged pod and admits a compliant one', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'psa', {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
  });
  const rest = c.rest();
  t.after(() => rest.close());

  const privileged = nodeScriptPod('privileged', 'setTimeout(() => {}, 1000)', { container: { securityContext: { privileged: true } } });
  const err = await refusal(() => rest.create(`/api/v1/namespaces/${ns}/pods`, privileged));
  assert.equal(err.code, 403);
  assert.equal(err.status?.reason, 'Forbidden');
  assert.match(err.status!.message!, /violates PodSecurity "restricted:latest"/);
  assert.match(err.status!.message!, /privileged \(container "main" must not set securityContext\.privileged=true\)/);

  const compliant = nodeScriptPod('compliant', 'process.exit(0)', {
    spec: { securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } } },
    container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
  });
  const created = await rest.create(`/api/v1/namespaces/${ns}/pods?dryRun=All`, compliant);
  assert.equal(created.metadata.name, 'compliant');
});
