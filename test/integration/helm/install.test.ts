// The chart on the real control plane, the way the README says to install it: the commands of
// README.md's "Install on a cluster" section, run one by one; the operator Deployment's pod run
// by a process-kubelet as a local process (`kubetune operator` from source) with the token the
// kubelet mints for the chart's ServiceAccount; the example study Completed; `helm upgrade` to a
// copy of the chart with a new version and a new optional CRD field; `helm uninstall` keeping
// the CRD and the studies (crds.keep).
//
// What the test adds to the README's commands, and why (printed as it runs):
//   - namespaces suffixed with the process id, so reruns and other tests never collide;
//   - `-f <test values>` on helm install/upgrade: watch only the test's study namespace (other
//     tests run their own operators on the shared cluster), run on this test's node, free ports
//     (pods here are local processes sharing the host's ports), and a kubeconfig that points the
//     operator at the token and CA of its own projected volume: a process cannot see that volume
//     at /var/run/secrets/... (there is no mount namespace), and client-node's in-cluster loader
//     reads only that fixed path;
//   - if another test applied the CRD with kubectl first, Helm's adoption labels and
//     annotations on it (docs/install.md, "Adopting a CRD").
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { CRD_SOURCE, CRD_TEMPLATE, CHART_DIR, REPO_ROOT, crdTemplate } from '../../../helm/chart-gen.js';
import { buildFailureReason } from '../../cluster/binaries.js';
import { clusterOrSkip, waitFor, type Obj } from '../../cluster/testing.js';
import { freePort } from '../../cluster/util.js';

const run = promisify(execFile);
const CRD = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/tuningstudies.kubetune.io';

/** The commands of the README's "Install on a cluster" section, each as its words. */
function readmeCommands(): string[][] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Install on a cluster\n'));
  assert.ok(section, 'README.md has no "## Install on a cluster" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the section has no ```sh block');
  const lines = block.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  // Kept to plain words so that splitting on spaces is exactly what a shell would do.
  for (const l of lines) assert.doesNotMatch(l, /["'`$\\|;&<>*]/, `README command needs a shell: ${l}`);
  return lines.map((l) => l.split(/\s+/));
}

/** A copy of the chart one version on, whose CRD has one more optional field (spec.notes). */
function upgradedChart(dir: string): string {
  const chart = join(dir, 'kubetune');
  cpSync(CHART_DIR, chart, { recursive: true });
  const chartYaml = join(chart, 'Chart.yaml');
  writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace(/^version: .*$/m, 'version: 0.2.0'));
  const crd = parse(readFileSync(CRD_SOURCE, 'utf8')) as Obj;
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.notes = { type: 'string', maxLength: 256, description: 'Free text about the study.' };
  writeFileSync(join(chart, 'templates', CRD_TEMPLATE.split('/').at(-1)!), crdTemplate(stringify(crd)));
  return chart;
}

test('README "Install on a cluster" works; helm upgrade adds a CRD field; helm uninstall keeps the CRD and the studies', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  if (!c.helm) {
    t.skip(`helm was not built: ${buildFailureReason() ?? 'see test/cluster/build.sh'}`);
    return;
  }
  const rest = c.rest();
  t.after(() => rest.close());
  const id = process.pid.toString(36);
  const ns = { 'kubetune-system': `kts-${id}`, 'ml-team': `ml-team-${id}` };
  const work = mkdtempSync(join(tmpdir(), 'kubetune-helm-install-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  t.after(async () => {
    for (const n of Object.values(ns)) await rest.delete(`/api/v1/namespaces/${n}`).catch(() => undefined);
  });
  const helmHome = { HELM_CACHE_HOME: join(work, 'cache'), HELM_CONFIG_HOME: join(work, 'config'), HELM_DATA_HOME: join(work, 'data') };

  /** Runs one command as the README writes it, with the substitutions the header lists. */
  async function sh(words: string[], extra: string[] = []): Promise<string> {
    const [cmd, ...rest_] = words.map((w) => (w in ns ? ns[w as keyof typeof ns] : w));
    const args = [...rest_, ...extra];
    console.error(`# $ ${cmd} ${args.join(' ')}`);
    const binary = cmd === 'helm' ? c!.helm : cmd === 'kubectl' ? c!.kubectl : assert.fail(`README runs ${cmd}; only helm and kubectl are expected`);
    try {
      const { stdout } = await run(binary, args, { cwd: REPO_ROOT, env: { ...process.env, ...helmHome, KUBECONFIG: c!.kubeconfigPath }, timeout: 15 * 60_000, maxBuffer: 16 << 20 });
      return stdout;
    } catch (e) {
      const err = e as Error & { stderr?: string; stdout?: string };
      throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr || err.stdout || err.message}`);
    }
  }

  // This test's node: its kubelet knows the operator image (the repository's CLI through tsx,
  // started in the pod's directory so the kubeconfig below finds the pod's token). The taint
  // keeps every other pod off it; the test values tolerate it and select the node.
  const node = `helm-op-${id}`;
  const kubelet = await c.startKubelet(
    [{ name: node, taints: [{ key: 'kubetune.io/helm-test', value: id, effect: 'NoSchedule' }] }],
    [{ pattern: 'ghcr.io/kubetune/operator:*', entry: { entrypoint: [process.execPath, '--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'operator/cli/main.ts')] } }],
  );
  t.after(() => kubelet.stop());

  // The kubeconfig the operator reads instead of /var/run/secrets/...: the token and CA of the
  // chart's projected volume "kube-api-access" (materialised as <pod dir>/volumes/kube-api-access;
  // the token path is relative to the working directory, the pod's directory; the CA path to the
  // kubeconfig's own directory, <pod dir>/volumes/test-kubeconfig). No credential of its own.
  const kubeconfig = stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'in-cluster',
    clusters: [{ name: 'in-cluster', cluster: { server: c.server, 'certificate-authority': '../kube-api-access/ca.crt' } }],
    users: [{ name: 'service-account', user: { 'auth-provider': { name: 'tokenFile', config: { tokenFile: 'volumes/kube-api-access/token' } } } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account' } }],
  });
  await rest.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns['kubetune-system'] } });
  await rest.create(`/api/v1/namespaces/${ns['kubetune-system']}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-kubeconfig' }, data: { kubeconfig } });
  const testValues = async (file: string) => {
    writeFileSync(join(work, file), stringify({
      watchNamespaces: [ns['ml-team']],
      nodeSelector: { 'kubernetes.io/hostname': node },
      tolerations: [{ key: 'kubetune.io/helm-test', operator: 'Exists', effect: 'NoSchedule' }],
      metrics: { port: await freePort() },
      healthProbe: { port: await freePort() },
      extraEnv: [{ name: 'KUBECONFIG', value: '/etc/kubetune-test/kubeconfig' }],
      volumes: [{ name: 'test-kubeconfig', configMap: { name: 'test-kubeconfig' } }],
      volumeMounts: [{ name: 'test-kubeconfig', mountPath: '/etc/kubetune-test', readOnly: true }],
    }));
    return join(work, file);
  };

  // Another test may have applied the CRD with kubectl; Helm adopts it only with these marks.
  if (await rest.find(CRD)) {
    console.error('# the CRD exists already (applied by another test): marking it for adoption by the release');
    await rest.mergePatch(CRD, { metadata: {
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: { 'meta.helm.sh/release-name': 'kubetune', 'meta.helm.sh/release-namespace': ns['kubetune-system'] },
    } });
  }

  // The README, command by command.
  const installValues = await testValues('install-values.yaml');
  let listed = '';
  let notes = '';
  for (const words of readmeCommands()) {
    const isInstall = words[0] === 'helm' && words[1] === 'install';
    const out = await sh(words, isInstall ? ['-f', installValues] : []);
    if (isInstall) notes = out;
    if (words[0] === 'kubectl' && words[1] === 'get') listed = out;
  }
  assert.match(listed, /^quickstart\s.*Completed/m, `kubectl get tuningstudies printed:\n${listed}`);
  // NOTES.txt tells the next step, in the namespace the operator watches.
  assert.match(notes, new RegExp(`kubectl get tuningstudies -n ${ns['ml-team']}`), notes);

  const studyPath = `/apis/kubetune.io/v1alpha1/namespaces/${ns['ml-team']}/tuningstudies/quickstart`;
  const study = await rest.get(studyPath);
  assert.equal(study.status.phase, 'Completed');
  assert.equal(study.status.counts.succeeded, 4);
  assert.ok(study.status.bestTrial, 'best trial recorded');

  // The operator ran as the chart's pod on this test's node, under the chart's ServiceAccount,
  // and took the Lease its Role allows it.
  const pods = (await rest.get(`/api/v1/namespaces/${ns['kubetune-system']}/pods?labelSelector=${encodeURIComponent('app.kubernetes.io/name=kubetune')}`)).items as Obj[];
  assert.equal(pods.length, 1);
  assert.equal(pods[0]!.spec.nodeName, node);
  assert.equal(pods[0]!.spec.serviceAccountName, 'kubetune');
  assert.equal(pods[0]!.status.phase, 'Running');
  const lease = await rest.get(`/apis/coordination.k8s.io/v1/namespaces/${ns['kubetune-system']}/leases/kubetune`);
  assert.ok(lease.spec.holderIdentity, 'the operator holds its Lease');

  // Upgrade: a new chart version whose CRD has one more optional field.
  const chart = upgradedChart(work);
  await sh(['helm', 'upgrade', 'kubetune', chart, '--namespace', 'kubetune-system', '--wait', '-f', await testValues('upgrade-values.yaml')]);
  const releases = JSON.parse(await sh(['helm', 'list', '--namespace', 'kubetune-system', '--output', 'json'])) as Obj[];
  assert.deepEqual(releases.map((r) => [r.name, r.revision, r.status, r.chart]), [['kubetune', '2', 'deployed', 'kubetune-0.2.0']]);
  const crd = await rest.get(CRD);
  assert.equal(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.notes?.type, 'string');
  // The apiserver serves the new schema: the field survives (unknown fields are pruned).
  const withNotes = { ...study, metadata: { name: 'with-notes' }, spec: { ...study.spec, notes: 'added in 0.2.0' }, status: undefined };
  const dry = await rest.create(`/apis/kubetune.io/v1alpha1/namespaces/${ns['ml-team']}/tuningstudies?dryRun=All`, withNotes);
  assert.equal(dry.spec.notes, 'added in 0.2.0');
  assert.equal((await rest.get(studyPath)).status.phase, 'Completed', 'the study is untouched by the upgrade');
  const deploy = await rest.get(`/apis/apps/v1/namespaces/${ns['kubetune-system']}/deployments/kubetune`);
  assert.equal(deploy.metadata.labels['helm.sh/chart'], 'kubetune-0.2.0');
  assert.equal(deploy.status.readyReplicas, 1);

  // Uninstall: the operator and its RBAC go; the CRD and the studies stay (crds.keep).
  const uninstalled = await sh(['helm', 'uninstall', 'kubetune', '--namespace', 'kubetune-system', '--wait']);
  assert.match(uninstalled, /kept due to the resource policy[\s\S]*CustomResourceDefinition\] tuningstudies\.kubetune\.io/);
  await waitFor('the Deployment deleted', async () => !(await rest.find(`/apis/apps/v1/namespaces/${ns['kubetune-system']}/deployments/kubetune`)));
  for (const name of ['kubetune', 'kubetune-edit', 'kubetune-view']) {
    assert.equal(await rest.find(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`), undefined, name);
  }
  assert.ok(await rest.find(CRD), 'the CRD is kept');
  const kept = await rest.get(studyPath);
  assert.equal(kept.status.phase, 'Completed');
  assert.equal(kept.status.counts.succeeded, 4);
});
