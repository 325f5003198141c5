// What goes wrong, and how it shows: studies the apiserver refuses (schema and CEL, with its own
// messages); a study only the operator can judge invalid (Stalled condition + Warning Event
// naming the field) while the same operator keeps serving the others; trials that crash, exit
// 137, report NaN or run past their timeout, each ending with that reason; and maxFailedTrials
// ending a study as Failed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterOrSkip, testNamespace, waitFor, type Obj } from '../../cluster/testing.js';
import {
  applyCrd, finished, historyRecords, kubectl, operatorKubeconfig, scriptStudy, startOperator, STUDIES, waitForStudy,
} from './harness.js';

/** kubectl apply of `obj` from stdin; the apiserver's refusal (stderr), or '' if accepted. */
async function applyRefusal(c: Parameters<typeof kubectl>[0], ns: string, obj: Obj): Promise<string> {
  try {
    await kubectl(c, ['apply', '-n', ns, '-f', '-'], JSON.stringify(obj));
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}

test('invalid studies are refused or Stalled with the field named, failed trials keep their reasons, maxFailedTrials fails the study', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'op-failures');
  const rest = c.rest();
  t.after(() => rest.close());
  await applyCrd(c);

  // Refused by the apiserver itself, with its messages: the schema and the CEL rules.
  const tooParallel = scriptStudy('too-parallel', { maxTrials: 2, parallelism: 5 });
  assert.match(await applyRefusal(c, ns, tooParallel), /spec\.budget\.parallelism: Invalid value.*parallelism must not exceed maxTrials/);
  const zero = scriptStudy('zero', { maxTrials: 0, parallelism: 1 });
  assert.match(await applyRefusal(c, ns, zero), /spec\.budget\.maxTrials: Invalid value: 0: spec\.budget\.maxTrials in body should be greater than or equal to 1/);
  const both = scriptStudy('both', { maxTrials: 1, parallelism: 1 });
  both.spec.trainer = { config: { dataset: 'iris' } };
  assert.match(await applyRefusal(c, ns, both), /exactly one of trainer or template must be set/);

  const kubeconfig = await operatorKubeconfig(t, c, rest, ns);
  const op = startOperator(t, kubeconfig, ns);
  await op.address();

  // Valid to the schema, not to the operator: an algorithm that does not exist.
  const unknown = scriptStudy('bad-algorithm', { maxTrials: 2, parallelism: 1 });
  unknown.spec.algorithm = { name: 'simulated-annealing', seed: 1 };
  await rest.create(STUDIES(ns), unknown);
  const fine = scriptStudy('fine', { maxTrials: 3, parallelism: 3 });
  const crash = scriptStudy('crash', { maxTrials: 1, parallelism: 1, mode: 'crash' });
  const oom = scriptStudy('exit137', { maxTrials: 1, parallelism: 1, mode: 'oom' });
  const nan = scriptStudy('nan', { maxTrials: 1, parallelism: 1, mode: 'nan' });
  const slow = scriptStudy('slow', { maxTrials: 1, parallelism: 1, mode: 'sleep', budget: { trialTimeout: '2s' } });
  const failing = scriptStudy('failing', { maxTrials: 10, parallelism: 1, mode: 'crash', budget: { maxFailedTrials: 2 } });
  for (const s of [fine, crash, oom, nan, slow, failing]) await rest.create(STUDIES(ns), s);

  const stalled = await waitForStudy(rest, ns, 'bad-algorithm', 'Stalled', (s) =>
    ((s.status?.conditions ?? []) as Obj[]).some((x) => x.type === 'Stalled' && x.status === 'True'));
  const cond = (stalled.status.conditions as Obj[]).find((x) => x.type === 'Stalled')!;
  assert.equal(cond.reason, 'InvalidSpec');
  assert.match(cond.message, /algorithm\/name.*simulated-annealing/);
  assert.equal(cond.observedGeneration, 1);
  const event = await waitFor('a Warning Event on bad-algorithm', async () => {
    const evs = (await rest.get(`/api/v1/namespaces/${ns}/events`)).items as Obj[];
    return evs.find((e) => e.involvedObject.name === 'bad-algorithm' && e.type === 'Warning' && e.reason === 'InvalidSpec');
  });
  assert.match(event.message, /algorithm\/name/);
  assert.equal(event.involvedObject.kind, 'TuningStudy');
  assert.equal(((await rest.get(`/apis/batch/v1/namespaces/${ns}/jobs`)).items as Obj[]).filter((j) => j.metadata.labels['kubetune.io/study'] === 'bad-algorithm').length, 0);

  // The operator served the valid study all along.
  const done = await waitForStudy(rest, ns, 'fine', 'finished', finished);
  assert.equal(done.status.phase, 'Completed');
  assert.equal(done.status.counts.succeeded, 3);

  // One trial each: the reason it ended with.
  const expected: [string, string][] = [['crash', 'ExitCode'], ['exit137', 'OOMKilled'], ['nan', 'MetricNaN'], ['slow', 'Timeout']];
  for (const [name, reason] of expected) {
    const s = await waitForStudy(rest, ns, name, 'finished', finished);
    const record = (await historyRecords(rest, ns, name)).get(0);
    assert.equal(record?.state, 'failed', `${name}: ${JSON.stringify(record)}`);
    assert.equal(record?.reason, reason, `${name}: ${JSON.stringify(record)}`);
    assert.equal(s.status.counts.failed, 1);
    assert.equal(s.status.bestTrial, undefined, `${name} has no best trial`);
  }

  // More than maxFailedTrials failures end the study as Failed, without running the rest.
  const failed = await waitForStudy(rest, ns, 'failing', 'finished', finished);
  assert.equal(failed.status.phase, 'Failed');
  assert.equal(failed.status.reason, 'MaxFailedTrials');
  assert.equal(failed.status.counts.failed, 3);
  assert.ok(failed.status.counts.finished < 10);
  assert.ok(((failed.status.conditions ?? []) as Obj[]).some((x) => x.type === 'Stalled' && x.status === 'True' && x.reason === 'MaxFailedTrials'));

  // Fixing the invalid spec resumes it: the condition clears and its trials run.
  await rest.mergePatch(`${STUDIES(ns)}/bad-algorithm`, { spec: { algorithm: { name: 'random', seed: 1 } } });
  const fixed = await waitForStudy(rest, ns, 'bad-algorithm', 'finished', finished);
  assert.equal(fixed.status.phase, 'Completed');
  assert.ok(!((fixed.status.conditions ?? []) as Obj[]).some((x) => x.type === 'Stalled' && x.status === 'True'));
});
