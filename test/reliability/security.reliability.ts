// The security promises of docs/security.md, checked against the real apiserver rather than
// by reading YAML:
//
//   - the operator's ServiceAccount, bound exactly as the chart binds it, cannot read Secrets,
//     exec into or create pods, touch other namespaces, or change a study's spec (the apiserver's
//     own authorizer answers, through SelfSubjectAccessReview as that account);
//   - a trial pod as the operator renders it — template and built-in trainer — and the
//     operator's own pod from the chart pass PodSecurity "restricted" (server-side dry run in a
//     namespace that enforces it; a privileged pod is refused there, as a control);
//   - /metrics tells nothing about trials: after a study ran with distinctive names, parameter
//     values and a trial-chosen failure reason, none of them appears in a scrape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { validateStudy } from '../../operator/api/validate.js';
import { renderTrialJob } from '../../operator/controller/jobs.js';
import { findHelm, template } from '../../helm/render.js';
import { CHART_DIR } from '../../helm/chart-gen.js';
import { clusterOrSkip, refusal, testNamespace, type Obj } from '../cluster/testing.js';
import {
  applyCrd, finished, httpGet, kubectl, operatorKubeconfig, operatorTestEnv, scriptStudy, startOperator, STUDIES, waitForStudy,
} from '../integration/operator/harness.js';
import { record } from './record.js';

const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };

test('the operator\'s ServiceAccount is refused what least privilege withholds', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'sec-rbac');
  const other = await testNamespace(t, c, 'sec-other');
  const rest = c.rest();
  t.after(() => rest.close());
  await applyCrd(c);
  const kubeconfig = await operatorKubeconfig(t, c, rest, ns);
  const can = async (...args: string[]): Promise<boolean> => {
    try {
      const { stdout } = await kubectl(c, ['auth', 'can-i', '--kubeconfig', kubeconfig, ...args]);
      return stdout.trim() === 'yes';
    } catch (err) {
      const out = String((err as { stdout?: string }).stdout ?? '').trim();
      if (out === 'no') return false;
      throw err;
    }
  };
  // What it needs, so the refusals below are not an account that can do nothing.
  /** `resource/sub` as kubectl wants it: the resource, and `--subresource=sub`. */
  const target = (what: string): string[] => {
    const [resource, sub] = what.split('/') as [string, string | undefined];
    return sub === undefined ? [what] : [resource, `--subresource=${sub}`];
  };
  for (const [verb, what] of [['create', 'jobs.batch'], ['watch', 'tuningstudies.kubetune.io'], ['patch', 'tuningstudies.kubetune.io/status'], ['get', 'pods/log']] as const) {
    assert.equal(await can(verb, ...target(what), '-n', ns), true, `${verb} ${what}`);
  }
  const refused: [string, string, string][] = [
    ['get', 'secrets', ns], ['list', 'secrets', ns], ['watch', 'secrets', ns], ['list', 'secrets', '--all-namespaces'],
    ['create', 'pods/exec', ns], ['create', 'pods/attach', ns], ['create', 'pods/portforward', ns], ['create', 'pods', ns], ['delete', 'pods', ns],
    ['update', 'tuningstudies.kubetune.io', ns], ['patch', 'tuningstudies.kubetune.io', ns], ['delete', 'configmaps', ns],
    ['create', 'jobs.batch', other], ['list', 'tuningstudies.kubetune.io', other], ['get', 'configmaps', other],
    ['create', 'serviceaccounts/token', ns], ['create', 'rolebindings.rbac.authorization.k8s.io', ns], ['escalate', 'roles.rbac.authorization.k8s.io', ns],
    ['impersonate', 'users', ns], ['update', 'leases.coordination.k8s.io', other], ['*', '*', ns],
  ];
  const allowed = [];
  for (const [verb, what, where] of refused) {
    if (await can(verb, ...target(what), ...(where.startsWith('--') ? [where] : ['-n', where]))) allowed.push(`${verb} ${what} in ${where}`);
  }
  assert.deepEqual(allowed, [], 'the operator account is refused all of these');
  record({ source: 'security-rbac', refusalsChecked: refused.length });
});

test('trial pods and the operator pod pass PodSecurity "restricted" (server-side dry run)', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'sec-pss', RESTRICTED);
  const rest = c.rest();
  t.after(() => rest.close());
  const pods = `/api/v1/namespaces/${ns}/pods?dryRun=All`;

  // The control: the namespace really enforces restricted.
  const privileged = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'privileged' }, spec: { containers: [{ name: 'x', image: 'node:20', securityContext: { privileged: true } }] } };
  const refusedPriv = await refusal(() => rest.create(pods, privileged));
  assert.match(refusedPriv.message, /restricted/);

  const base = {
    apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy', metadata: { name: 'pss' },
    spec: { objective: { metric: 'loss', goal: 'minimize' }, parameters: [{ name: 'x', type: 'float', min: 0, max: 1 }] },
  };
  const workloads: [string, Obj][] = [
    ['template', { template: { image: 'node:20', command: ['node', '-e', '1'], resources: { limits: { 'nvidia.com/gpu': 1 } } } }],
    ['trainer', { trainer: { config: { dataset: 'iris', epochs: 1 } } }],
  ];
  for (const [kind, workload] of workloads) {
    const { resolved, issues } = validateStudy({ ...base, spec: { ...base.spec, ...workload } });
    assert.ok(resolved, JSON.stringify(issues));
    const job = renderTrialJob(resolved, { index: 0, params: { x: 0.5 }, seed: 1 }, { name: 'pss', namespace: ns, uid: 'u' });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `trial-${kind}`, labels: job.spec!.template.metadata?.labels ?? {} }, spec: job.spec!.template.spec };
    await rest.create(pods, pod); // throws with the apiserver's reason if PodSecurity refuses it
  }

  const helm = findHelm();
  if (helm === undefined) {
    t.diagnostic('helm not built: the operator pod check is skipped');
  } else {
    const objs = parseAllDocuments(await template(helm, [], CHART_DIR)).map((d) => d.toJSON() as Obj | null).filter((o): o is Obj => o !== null);
    const deployment = objs.find((o) => o.kind === 'Deployment');
    assert.ok(deployment, 'the chart renders the operator Deployment');
    const spec = { ...deployment.spec.template.spec, serviceAccountName: 'default' };
    await rest.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'operator' }, spec });
  }
  record({ source: 'security-pss', podsChecked: workloads.length + (helm === undefined ? 0 : 1) });
});

test('/metrics exposes no study, parameter or trial-chosen text', async (t) => {
  const env = await operatorTestEnv(t, 'sec-metrics');
  if (!env) return;
  const { ns, rest, kubeconfig } = env;
  const op = startOperator(t, kubeconfig, ns);
  const address = await op.address();

  // A study whose names and values are easy to find, and a failing trial that chooses its own
  // reason: a letters-only word, which is what a label would let through.
  const secret = 'zanzibarstudy';
  const study = scriptStudy(secret, { maxTrials: 2, parallelism: 2, seed: 3 });
  study.spec.parameters = [{ name: 'quokkaparam', type: 'categorical', values: ['wombatvalue', 'numbatvalue'] }];
  study.spec.template.command = ['node', '-e', `require('node:fs').writeFileSync(process.env.KUBETUNE_RESULT_FILE, JSON.stringify({ status: 'failed', metrics: {}, reason: 'PlatypusLeak', message: 'echidna' })); process.exit(1)`];
  await rest.create(STUDIES(ns), study);
  const done = await waitForStudy(rest, ns, secret, 'finished', finished, 300_000);
  t.diagnostic(`study ${done.status.phase}: ${JSON.stringify(done.status.counts)}`);

  const { status, body } = await httpGet(address, '/metrics');
  assert.equal(status, 200);
  assert.match(body, /kubetune_trials_finished_total\{state="failed"/, 'the failures were counted');
  for (const word of [secret, 'quokkaparam', 'wombatvalue', 'numbatvalue', 'PlatypusLeak', 'echidna', ns, 'KUBETUNE_PARAM']) {
    assert.ok(!body.toLowerCase().includes(word.toLowerCase()), `/metrics mentions ${word}:\n${body.split('\n').filter((l) => l.toLowerCase().includes(word.toLowerCase())).join('\n')}`);
  }
  for (const path of ['/healthz', '/readyz', '/metrics?name=x', '/debug', '/']) {
    const res = await httpGet(address, path);
    assert.ok(!res.body.includes(secret), `${path} mentions the study`);
  }
  record({ source: 'security-metrics', scrapes: 6 });
});
