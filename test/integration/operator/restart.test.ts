// The operator is killed with SIGKILL at several points of a running study and started again
// (a new process, a new identity that must wait out the dead leader's Lease): no trial is lost,
// none is duplicated — every trial index 0..N-1 is in history exactly once, each trial's Job was
// created once — and the study ends exactly as an uninterrupted run of the same spec does: the
// same trial count and, the sampler being seeded per (seed, index), the same parameters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor, type Obj } from '../../cluster/testing.js';
import {
  finished, historyRecords, type OperatorProcess, operatorTestEnv, recordEvents, scriptStudy, startOperator, STUDIES, waitForStudy,
} from './harness.js';

const MAX_TRIALS = 14;

test('SIGKILL of the operator at several points of a running study loses and duplicates no trial', async (t) => {
  const env = await operatorTestEnv(t, 'op-restart');
  if (!env) return;
  const { ns, rest, kubeconfig } = env;
  const jobsPath = `/apis/batch/v1/namespaces/${ns}/jobs`;
  const jobEvents = await recordEvents(rest, jobsPath);

  let op: OperatorProcess = startOperator(t, kubeconfig, ns);
  await op.address();
  await rest.create(STUDIES(ns), scriptStudy('killed', { maxTrials: MAX_TRIALS, parallelism: 3, seed: 5 }));

  // Kill points: as soon as the first trial's Job exists (nothing recorded yet), then at three
  // depths of the history. Each restart is a fresh process that must take the Lease over.
  const points: [string, () => Promise<boolean>][] = [
    ['the first Job exists', async () => ((await rest.get(jobsPath)).items as Obj[]).length > 0],
    ['3 trials are recorded', async () => (await historyRecords(rest, ns, 'killed')).size >= 3],
    ['7 trials are recorded', async () => (await historyRecords(rest, ns, 'killed')).size >= 7],
    ['11 trials are recorded', async () => (await historyRecords(rest, ns, 'killed')).size >= 11],
  ];
  const kills: string[] = [];
  for (const [what, reached] of points) {
    await waitFor(what, async () => ((await reached()) ? true : undefined), { timeoutMs: 120_000, intervalMs: 100 });
    const study = await rest.get(`${STUDIES(ns)}/killed`);
    if (finished(study)) break; // the study outran the test; later points cannot be reached
    assert.equal(await op.kill('SIGKILL'), 'SIGKILL');
    kills.push(what);
    op = startOperator(t, kubeconfig, ns);
    await op.address();
  }
  t.diagnostic(`killed when: ${kills.join('; ')}`);
  assert.ok(kills.length >= 2, 'the operator was killed at least twice mid-study');

  const study = await waitForStudy(rest, ns, 'killed', 'finished', finished);
  assert.equal(study.status.phase, 'Completed', JSON.stringify(study.status));
  assert.equal(study.status.counts.finished, MAX_TRIALS);
  assert.equal(study.status.counts.succeeded, MAX_TRIALS, 'no trial was lost (a lost one is recorded as failed JobDeleted)');

  const history = await historyRecords(rest, ns, 'killed');
  assert.deepEqual([...history.keys()].sort((a, b) => a - b), Array.from({ length: MAX_TRIALS }, (_, i) => i));
  for (const [i, r] of history) {
    assert.equal(r.index, i);
    assert.equal(r.state, 'succeeded', `trial ${i}: ${r.reason} ${r.message}`);
  }

  // Each trial's Job was created exactly once: a restart never re-created a finished trial.
  await waitFor('every trial Job deleted after its record', async () => (((await rest.get(jobsPath)).items as Obj[]).length === 0 ? true : undefined));
  const events = await jobEvents.stop();
  const created = events.filter(([type]) => type === 'ADDED').map(([, name]) => name);
  assert.deepEqual([...created].sort(), Array.from({ length: MAX_TRIALS }, (_, i) => `killed-t${i}`).sort());

  // An uninterrupted run of the same spec (by the last operator, left alone) ends the same way.
  await rest.create(STUDIES(ns), scriptStudy('calm', { maxTrials: MAX_TRIALS, parallelism: 3, seed: 5 }));
  const calm = await waitForStudy(rest, ns, 'calm', 'finished', finished);
  assert.deepEqual(calm.status.counts, study.status.counts);
  const calmHistory = await historyRecords(rest, ns, 'calm');
  for (let i = 0; i < MAX_TRIALS; i++) assert.deepEqual(calmHistory.get(i)?.params, history.get(i)?.params, `trial ${i} ran with the same parameters`);
  assert.deepEqual(calm.status.bestTrial, study.status.bestTrial);
});
