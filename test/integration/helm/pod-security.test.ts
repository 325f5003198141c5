// Every pod the chart renders meets Pod Security "restricted", as judged by the real apiserver:
// for the default values and each ci values file, a Pod built from the rendered Deployment's pod
// template is created with a server-side dry run in a namespace that enforces "restricted". A
// control pod with the chart's security contexts removed is refused there, so a pass cannot come
// from admission being off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterOrSkip, refusal, testNamespace } from '../../cluster/testing.js';
import { ciFile, CI_VALUES, helmOrSkip, one, render, type Obj } from '../../unit/helm/chart.js';

/** The Deployment's pod template as a Pod, runnable in `ns`. */
function podOf(deploy: Obj, name: string): Obj {
  const { metadata, spec } = deploy.spec.template;
  // Priority admission allows the system-* classes only in kube-system; Pod Security does not
  // look at the priority class, so dropping it changes nothing this test judges.
  const { priorityClassName: _unused, ...podSpec } = spec;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: metadata.labels }, spec: podSpec };
}

test('the operator pod of every values file passes Pod Security "restricted" (server-side dry run)', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const bin = helmOrSkip(t);
  if (!bin) return;
  const ns = await testNamespace(t, c, 'helm-psa', {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
  });
  const rest = c.rest();
  t.after(() => rest.close());
  // The pods name the chart's ServiceAccount; admission wants it to exist.
  await rest.create(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kubetune' } });

  for (const values of [undefined, ...CI_VALUES]) {
    const deploy = one(await render(bin, ['--namespace', ns, ...(values ? ['-f', ciFile(values)] : [])]), 'Deployment');
    const name = `operator-${(values ?? 'defaults').replace(/-values\.yaml$/, '')}`;
    const created = await rest.create(`/api/v1/namespaces/${ns}/pods?dryRun=All`, podOf(deploy, name));
    assert.equal(created.metadata.name, name, values ?? 'defaults');
  }

  // The control: the same pod without the chart's security contexts is refused.
  const deploy = one(await render(bin, ['--namespace', ns]), 'Deployment');
  const bare = podOf(deploy, 'operator-bare');
  delete bare.spec.securityContext;
  delete bare.spec.containers[0].securityContext;
  const err = await refusal(() => rest.create(`/api/v1/namespaces/${ns}/pods?dryRun=All`, bare));
  assert.equal(err.code, 403);
  assert.match(err.status!.message!, /violates PodSecurity "restricted:latest"/);
});
