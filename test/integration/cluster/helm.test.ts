// helm, built from the module proxy like the control plane, installs and removes a release on
// it — the path the chart's install tests will take.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { buildFailureReason } from '../../cluster/binaries.js';
import { clusterOrSkip, testNamespace, waitFor } from '../../cluster/testing.js';

const run = promisify(execFile);

test('helm installs, upgrades and uninstalls a release on the test cluster', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  if (!existsSync(c.helm)) {
    t.skip(`helm was not built: ${buildFailureReason() ?? 'see test/cluster/build.sh'}`);
    return;
  }
  const ns = await testNamespace(t, c, 'helm');
  const rest = c.rest();
  t.after(() => rest.close());
  const chart = mkdtempSync('/dev/shm/kubetune-chart-');
  t.after(() => rmSync(chart, { recursive: true, force: true }));
  mkdirSync(join(chart, 'templates'));
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'values.yaml'), 'greeting: hello\n');
  writeFileSync(join(chart, 'templates', 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-probe\ndata:\n  greeting: {{ .Values.greeting | quote }}\n');
  const helm = (...args: string[]) => run(c.helm, ['--kubeconfig', c.kubeconfigPath, '-n', ns, ...args], { env: { ...process.env, HELM_CACHE_HOME: join(chart, '.cache'), HELM_CONFIG_HOME: join(chart, '.config'), HELM_DATA_HOME: join(chart, '.data') } });

  await helm('install', 'demo', chart, '--wait', '--timeout', '60s');
  const cm = await rest.get(`/api/v1/namespaces/${ns}/configmaps/demo-probe`);
  assert.equal(cm.data.greeting, 'hello');
  assert.equal(cm.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');

  await helm('upgrade', 'demo', chart, '--set', 'greeting=bonjour');
  assert.equal((await rest.get(`/api/v1/namespaces/${ns}/configmaps/demo-probe`)).data.greeting, 'bonjour');
  const { stdout } = await helm('list', '-o', 'json');
  const releases = JSON.parse(stdout) as { name: string; revision: string; status: string }[];
  assert.deepEqual(releases.map((r) => [r.name, r.revision, r.status]), [['demo', '2', 'deployed']]);

  await helm('uninstall', 'demo');
  await waitFor('ConfigMap removed', async () => !(await rest.find(`/api/v1/namespaces/${ns}/configmaps/demo-probe`)));
});
