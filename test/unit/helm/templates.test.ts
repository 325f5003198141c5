// `helm template` with the default values and each ci values file, parsed and asserted path by
// path: RBAC from the one rules file with no wildcards, Secrets or exec; Roles in namespaced
// mode; the CRD behind crds.enabled and kept by crds.keep; the ServiceMonitor; hardened pods.
// (That the pods meet Pod Security "restricted" is checked by the real apiserver in
// test/integration/helm/pod-security.test.ts; here only the fields are read.)
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CHART_DIR } from '../../../helm/chart-gen.js';
import { loadOperatorRules, rbacProblems } from '../../../operator/controller/rbac.js';
import { ciFile, helmOrSkip, ofKind, one, render, type Obj } from './chart.js';

const RBAC_KINDS = ['ClusterRole', 'Role'];
const flagsOf = (values?: string) => (values ? ['-f', ciFile(values)] : []);

function arg(deploy: Obj, name: string): string | undefined {
  const args = deploy.spec.template.spec.containers[0].args as string[];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

describe('helm template: every values file', () => {
  for (const values of [undefined, 'namespaced-values.yaml', 'no-crds-values.yaml', 'servicemonitor-values.yaml']) {
    it(`${values ?? 'defaults'}: RBAC has no wildcard, no Secrets, no pods/exec, and the operator's rules come from files/operator-rules.yaml`, async (t) => {
      const helm = helmOrSkip(t);
      if (!helm) return;
      const objs = await render(helm, flagsOf(values));
      const roles = objs.filter((o) => RBAC_KINDS.includes(o.kind));
      assert.ok(roles.length >= 1);
      for (const r of roles) {
        assert.deepEqual(rbacProblems(r.rules), [], `${r.kind} ${r.metadata.name}`);
        for (const rule of r.rules as Obj[]) {
          assert.ok(!(rule.resources as string[]).some((res) => res === 'secrets' || res.startsWith('pods/exec')), `${r.metadata.name} grants ${rule.resources}`);
        }
      }
      const operatorRole = objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'kubetune')!;
      assert.deepEqual(operatorRole.rules, loadOperatorRules().studyRules);
      // Every name the chart gives is a valid DNS label (the 63-character limit).
      for (const o of objs) assert.ok(o.metadata.name.length <= 63, o.metadata.name);
    });

    it(`${values ?? 'defaults'}: the operator pod is hardened and mounts only its API token`, async (t) => {
      const helm = helmOrSkip(t);
      if (!helm) return;
      const pod = one(await render(helm, flagsOf(values)), 'Deployment').spec.template.spec;
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
      assert.equal(pod.containers.length, 1);
      const c = pod.containers[0];
      assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      assert.deepEqual(pod.volumes.map((v: Obj) => v.name), ['kube-api-access']);
      assert.deepEqual(pod.volumes[0].projected.sources.map((s: Obj) => Object.keys(s)[0]), ['serviceAccountToken', 'configMap', 'downwardAPI']);
      assert.deepEqual(c.volumeMounts, [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]);
      assert.equal(c.livenessProbe.httpGet.path, '/healthz');
      assert.equal(c.readinessProbe.httpGet.path, '/readyz');
      assert.ok(c.resources.requests.memory && c.resources.limits.memory);
      assert.ok(!c.ports.some((p: Obj) => p.hostPort), 'no host ports');
    });
  }
});

describe('helm template: defaults', () => {
  it('cluster-wide RBAC, the Lease Role limited by name, the aggregated roles, a kept CRD, a metrics Service and nothing optional', async (t) => {
    const helm = helmOrSkip(t);
    if (!helm) return;
    const objs = await render(helm);
    assert.deepEqual(objs.map((o) => o.kind).sort(), [
      'ClusterRole', 'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
      'Deployment', 'Role', 'RoleBinding', 'Service', 'ServiceAccount',
    ]);
    const deploy = one(objs, 'Deployment');
    assert.equal(deploy.spec.replicas, 1);
    assert.equal(deploy.spec.template.spec.containers[0].image, 'ghcr.io/kubetune/operator:0.1.0');
    assert.equal(arg(deploy, '--leader-elect'), 'true');
    assert.equal(arg(deploy, '--namespace'), undefined, 'all namespaces');
    assert.equal(one(objs, 'ServiceAccount').automountServiceAccountToken, false);

    const binding = one(objs, 'ClusterRoleBinding');
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'kubetune', namespace: 'kubetune-system' }]);
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubetune' });

    // update (and get) only on the operator's own Lease; create on its own, since RBAC cannot
    // limit create by name.
    const lease = one(objs, 'Role');
    assert.equal(lease.metadata.namespace, 'kubetune-system');
    assert.deepEqual(lease.rules, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [arg(deploy, '--leader-election-id')], verbs: ['get', 'update'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    ]);
    assert.equal(arg(deploy, '--leader-election-namespace'), 'kubetune-system');

    const aggregated = ofKind(objs, 'ClusterRole').filter((r) => r.metadata.name !== 'kubetune');
    const edit = aggregated.find((r) => r.metadata.labels['rbac.authorization.k8s.io/aggregate-to-edit'] === 'true')!;
    assert.equal(edit.metadata.labels['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
    assert.deepEqual(edit.rules[0].verbs, ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
    assert.ok(!edit.rules.some((r: Obj) => r.resources.includes('tuningstudies/status') && r.verbs.includes('update')), 'the status is the operator\'s');
    const view = aggregated.find((r) => r.metadata.labels['rbac.authorization.k8s.io/aggregate-to-view'] === 'true')!;
    assert.deepEqual(view.rules, [{ apiGroups: ['kubetune.io'], resources: ['tuningstudies', 'tuningstudies/status'], verbs: ['get', 'list', 'watch'] }]);

    const crd = one(objs, 'CustomResourceDefinition');
    assert.equal(crd.metadata.name, 'tuningstudies.kubetune.io');
    assert.equal(crd.metadata.annotations['helm.sh/resource-policy'], 'keep');

    const svc = one(objs, 'Service');
    assert.deepEqual(svc.spec.ports, [{ name: 'metrics', port: 8080, targetPort: 'metrics', protocol: 'TCP' }]);
    assert.deepEqual(svc.spec.selector, deploy.spec.selector.matchLabels);
  });

  it('crds.keep=false drops the keep annotation; crds.enabled=false drops the CRD', async (t) => {
    const helm = helmOrSkip(t);
    if (!helm) return;
    const crd = one(await render(helm, ['--set', 'crds.keep=false']), 'CustomResourceDefinition');
    assert.equal(crd.metadata.annotations?.['helm.sh/resource-policy'], undefined);
    assert.deepEqual(ofKind(await render(helm, ['--set', 'crds.enabled=false']), 'CustomResourceDefinition'), []);
  });

  it('names are cut to 63 characters and follow fullnameOverride', async (t) => {
    const helm = helmOrSkip(t);
    if (!helm) return;
    const long = 'a'.repeat(50);
    const objs = await render(helm, ['--set', `fullnameOverride=${long}`]);
    for (const o of objs) assert.ok(o.metadata.name.length <= 63 && !o.metadata.name.endsWith('-'), o.metadata.name);
    assert.equal(one(objs, 'Deployment').metadata.name, long);
    assert.ok(ofKind(objs, 'ClusterRole').some((r) => r.metadata.name.endsWith('-edit')));
  });
});

describe('helm template: ci values', () => {
  it('namespaced-values.yaml: a RoleBinding per watched namespace, no ClusterRoleBinding, --namespace, a PDB, a pinned image', async (t) => {
    const helm = helmOrSkip(t);
    if (!helm) return;
    const objs = await render(helm, flagsOf('namespaced-values.yaml'));
    assert.deepEqual(ofKind(objs, 'ClusterRoleBinding'), []);
    const bindings = ofKind(objs, 'RoleBinding').filter((b) => b.roleRef.kind === 'ClusterRole');
    assert.deepEqual(bindings.map((b) => b.metadata.namespace).sort(), ['team-a', 'team-b']);
    for (const b of bindings) assert.equal(b.roleRef.name, 'kubetune');
    const deploy = one(objs, 'Deployment');
    assert.equal(arg(deploy, '--namespace'), 'team-a,team-b');
    assert.equal(deploy.spec.replicas, 2);
    assert.equal(deploy.spec.template.spec.priorityClassName, 'system-cluster-critical');
    assert.match(deploy.spec.template.spec.containers[0].image, /^ghcr\.io\/kubetune\/operator:0\.1\.0@sha256:[0-9a-f]{64}$/);
    const pdb = one(objs, 'PodDisruptionBudget');
    assert.equal(pdb.spec.minAvailable, 1);
    assert.deepEqual(pdb.spec.selector.matchLabels, deploy.spec.selector.matchLabels);
  });

  it('no-crds-values.yaml: no CRD, no Lease Role, no aggregated roles, extra args and env passed', async (t) => {
    const helm = helmOrSkip(t);
    if (!helm) return;
    const objs = await render(helm, flagsOf('no-crds-values.yaml'));
    assert.deepEqual(ofKind(objs, 'CustomResourceDefinition'), []);
    assert.deepEqual(ofKind(objs, 'Role'), []);
    assert.deepEqual(ofKind(objs, 'ClusterRole').map((r) => r.metadata.name), ['kubetune']);
    const c = one(objs, 'Deployment').spec.template.spec.containers[0];
    assert.ok(c.args.includes('--leader-elect=false'));
    assert.equal(c.args.at(-1), '--workers=8', 'extra args come last, so they win');
    assert.ok(c.env.some((e: Obj) => e.name === 'HTTPS_PROXY'));
  });

  it('servicemonitor-values.yaml: one ServiceMonitor scraping the metrics Service by its port name', async (t) => {
    const helm = helmOrSkip(t);
    if (!helm) return;
    const objs = await render(helm, flagsOf('servicemonitor-values.yaml'));
    const sm = one(objs, 'ServiceMonitor');
    const svc = one(objs, 'Service');
    assert.equal(sm.metadata.labels.release, 'prometheus');
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) assert.equal(svc.metadata.labels[k], v);
    assert.deepEqual(sm.spec.endpoints.map((e: Obj) => [e.port, e.path, e.interval]), [['metrics', '/metrics', '15s']]);
    assert.ok(svc.spec.ports.some((p: Obj) => p.name === 'metrics'));
  });
});

describe('helm template: values that contradict each other stop the render', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['replicas without leader election', ['--set', 'replicaCount=2', '--set', 'leaderElection.enabled=false'], /needs leaderElection\.enabled/],
    ['a PDB over one replica', ['--set', 'podDisruptionBudget.enabled=true'], /needs replicaCount >= 2/],
    ['a PDB with both bounds', ['--set', 'replicaCount=2', '--set', 'podDisruptionBudget.enabled=true', '--set', 'podDisruptionBudget.maxUnavailable=1'], /not both/],
    ['a ServiceMonitor without the Service', ['--set', 'metrics.serviceMonitor.enabled=true', '--set', 'metrics.service.enabled=false'], /needs metrics\.service\.enabled/],
    ['one port for metrics and probes', ['--set', 'healthProbe.port=8080'], /must differ/],
    ['an account that is neither created nor named', ['--set', 'serviceAccount.create=false'], /serviceAccount\.name must be set/],
    ['an empty image repository', ['--set', 'image.repository='], /image\.repository must not be empty/],
    ['a digest that is not one', ['--set', 'image.digest=latest'], /is not a digest/],
    ['a namespace name that is not one', ['--set', 'watchNamespaces={Team_A}'], /is not a namespace name/],
  ];
  for (const [what, flags, message] of cases) {
    it(what, async (t) => {
      const helm = helmOrSkip(t);
      if (!helm) return;
      await assert.rejects(render(helm, flags), message);
    });
  }

  it('a PDB with maxUnavailable alone renders once minAvailable is unset', async (t) => {
    const helm = helmOrSkip(t);
    if (!helm) return;
    const objs = await render(helm, ['--set', 'replicaCount=2', '--set', 'podDisruptionBudget.enabled=true', '--set', 'podDisruptionBudget.maxUnavailable=1', '--set', 'podDisruptionBudget.minAvailable=null']);
    assert.deepEqual(one(objs, 'PodDisruptionBudget').spec.maxUnavailable, 1);
  });
});

describe('helpers called the wrong way stop with a usage message', () => {
  for (const [call, message] of [
    ['include "kubetune.image" .Values.image', /call it as \(list \.Values\.image \.Chart\.AppVersion\)/],
    ['include "kubetune.image" (list "ghcr.io/x" .Chart.AppVersion)', /call it as \(list \.Values\.image/],
    ['include "kubetune.suffixed" "edit"', /kubetune\.suffixed: call it as \(list \$ "suffix"\)/],
  ] as const) {
    it(call, async (t) => {
      const helm = helmOrSkip(t);
      if (!helm) return;
      const dir = mkdtempSync(join(tmpdir(), 'kubetune-chart-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      cpSync(CHART_DIR, join(dir, 'kubetune'), { recursive: true });
      writeFileSync(join(dir, 'kubetune', 'templates', 'misuse.yaml'), `# {{ ${call} }}\n`);
      await assert.rejects(render(helm, [], join(dir, 'kubetune')), message);
    });
  }
});
