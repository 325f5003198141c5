// Operator faults on the real control plane (test/cluster/), measured, not sampled once:
//
//   1. SIGKILL at random moments: a study of instant trials, the operator killed KILLS times at
//      points drawn from a seeded stream (a history depth, then a jitter of 0–1.5 s, so kills land
//      mid-reconcile, between a Job's creation and its record, and during startup), each time
//      replaced by a fresh process that must wait out the dead leader's Lease.
//   2. Leader failover: two replicas; the leader is killed FAILOVERS times mid-study and the time
//      from SIGKILL to the standby holding the Lease is recorded (not asserted: the machine's load
//      decides it; the promise is "within lease duration + retry period", recorded beside it).
//   3. Frozen leader: two replicas; the leader is SIGSTOPped STOPS times mid-study (alive, its
//      Lease no longer renewed), the standby takes over and runs trials — recording them and
//      deleting their Jobs, so the frozen one's cache is stale — and then the frozen one is
//      SIGCONTed. It must notice it lost the lease before it acts (operator/kube/leader-election
//      holdsLease, checked by the manager before every reconcile and every write) and step down
//      (exit 1) without re-creating a finished trial's Job.
//
// Both must end like an undisturbed run: every trial index 0..N-1 in history exactly once and
// succeeded (lost = N − succeeded records), each trial's Job created exactly once (duplicates =
// Job creations − N), and the same parameters and best trial as a calm run of the same seed.
//
// Not part of `npm test` (minutes on a loaded machine): run by `npm run test:reliability`.
// Sizes and seed: KUBETUNE_KILL_TRIALS, KUBETUNE_KILLS, KUBETUNE_FAILOVERS, KUBETUNE_STOPS, KUBETUNE_FAULT_SEED.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Rng } from '../../operator/samplers/rng.js';
import type { ClusterHandle } from '../cluster/cluster.js';
import { clusterOrSkip, testNamespace, waitFor, type Rest } from '../cluster/testing.js';
import {
  applyCrd, FAST_LEASE, finished, historyRecords, httpGet, operatorKubeconfig, scriptStudy, startOperator, STUDIES, waitForStudy,
  type OperatorProcess,
} from '../integration/operator/harness.js';
import { duplicatedTrials, duplicatesOf, followTrials, type Observed } from './observe-trials.js';
import { record } from './record.js';

const TRIALS = Number(process.env.KUBETUNE_KILL_TRIALS ?? '50');
const KILLS = Number(process.env.KUBETUNE_KILLS ?? '20');
const FAILOVERS = Number(process.env.KUBETUNE_FAILOVERS ?? '3');
const STOPS = Number(process.env.KUBETUNE_STOPS ?? '3');
const SEED = Number(process.env.KUBETUNE_FAULT_SEED ?? '9');
const PARALLELISM = 3;
/** FAST_LEASE: --lease-duration 3s, --retry-period 500ms. */
const LEASE_MS = 3000;
const RETRY_MS = 500;
assert.deepEqual(FAST_LEASE.slice(0, 2), ['--lease-duration', '3s']);

interface Outcome {
  duplicates: number;
  lost: number;
}

/**
 * Waits for `name` to finish and compares it with an undisturbed run of the same spec by the
 * operator(s) still running: counts, per-trial parameters, best trial; returns what went wrong.
 */
async function judge(t: TestContext, rest: Rest, ns: string, name: string, seed: number, observer: Awaited<ReturnType<typeof followTrials>>): Promise<Outcome> {
  const study = await waitForStudy(rest, ns, name, 'finished', finished, 900_000);
  const history = await historyRecords(rest, ns, name);
  const succeeded = [...history.values()].filter((r) => r.state === 'succeeded').length;
  const lost = TRIALS - succeeded;
  const seen: Observed = await observer.stop();
  const { jobs, duplicates } = duplicatesOf(seen, name, TRIALS);
  if (duplicates > 0) t.diagnostic(`${name}: duplicated ${duplicatedTrials(seen, name).join('; ')}`);
  t.diagnostic(`${name}: ${study.status.phase}, ${history.size} records, ${succeeded} succeeded, ${jobs} trial Jobs seen, ${duplicates} duplicate Jobs or pods, ${seen.relists} relists after 410`);

  assert.equal(study.status.phase, 'Completed', JSON.stringify(study.status));
  assert.equal(study.status.counts.finished, TRIALS);
  assert.deepEqual([...history.keys()].sort((a, b) => a - b), Array.from({ length: TRIALS }, (_, i) => i));
  for (const [i, r] of history) assert.equal(r.state, 'succeeded', `trial ${i}: ${r.reason} ${r.message}`);

  const calmName = `${name}-calm`;
  await rest.create(STUDIES(ns), scriptStudy(calmName, { maxTrials: TRIALS, parallelism: PARALLELISM, seed }));
  const calm = await waitForStudy(rest, ns, calmName, 'finished', finished, 900_000);
  assert.deepEqual(calm.status.counts, study.status.counts);
  const calmHistory = await historyRecords(rest, ns, calmName);
  for (let i = 0; i < TRIALS; i++) assert.deepEqual(calmHistory.get(i)?.params, history.get(i)?.params, `trial ${i} ran with the same parameters`);
  assert.deepEqual(calm.status.bestTrial, study.status.bestTrial);
  return { duplicates, lost };
}

interface Setup { c: ClusterHandle; rest: Rest; ns: string; kubeconfig: string; jobs: Awaited<ReturnType<typeof followTrials>> }

async function setUp(t: TestContext, slug: string): Promise<Setup | Partial<Setup>> {
  const c = await clusterOrSkip(t);
  if (!c) return {};
  const ns = await testNamespace(t, c, slug);
  const rest = c.rest();
  t.after(() => rest.close());
  await applyCrd(c);
  const kubeconfig = await operatorKubeconfig(t, c, rest, ns);
  const jobs = await followTrials(rest, ns);
  return { c, rest, ns, kubeconfig, jobs };
}


test(`SIGKILL of the operator at ${KILLS} seeded random moments of a ${TRIALS}-trial study loses and duplicates nothing`, async (t) => {
  const { rest, ns, kubeconfig, jobs } = await setUp(t, 'rel-kills');
  if (!rest || !ns || !kubeconfig || !jobs) return;
  const rng = new Rng(SEED, 0, 'kill-points');
  // Depths in history at which to kill, sorted; repeats mean "again right after the restart".
  // Drawn from the first 80% of the study so that every planned kill lands before it ends.
  const depths = Array.from({ length: KILLS }, () => rng.int(Math.floor(TRIALS * 0.8))).sort((a, b) => a - b);
  t.diagnostic(`seed ${SEED}: kill at history depths ${depths.join(', ')}`);

  let op: OperatorProcess = startOperator(t, kubeconfig, ns);
  await op.address();
  await rest.create(STUDIES(ns), scriptStudy('killed', { maxTrials: TRIALS, parallelism: PARALLELISM, seed: SEED }));
  let kills = 0;
  for (const depth of depths) {
    await waitFor(`${depth} trials recorded`, async () => ((await historyRecords(rest, ns, 'killed')).size >= depth ? true : undefined), { timeoutMs: 600_000, intervalMs: 100 });
    await sleep(rng.uniform(0, 1500));
    if (finished(await rest.get(`${STUDIES(ns)}/killed`))) break;
    assert.equal(await op.kill('SIGKILL'), 'SIGKILL');
    kills += 1;
    op = startOperator(t, kubeconfig, ns);
    await op.address();
  }
  t.diagnostic(`${kills} kills survived`);
  const outcome = await judge(t, rest, ns, 'killed', SEED, jobs);
  record({ source: 'kills', kills, operatorRestarts: kills, trials: TRIALS, seed: SEED, ...outcome });
  assert.equal(outcome.duplicates, 0);
  assert.equal(outcome.lost, 0);
  assert.ok(kills >= Math.min(KILLS, 2), `killed ${kills} times`);
});

test(`two replicas: the leader killed ${FAILOVERS} times mid-study, the standby takes over, nothing lost or duplicated`, async (t) => {
  const { rest, ns, kubeconfig, jobs } = await setUp(t, 'rel-failover');
  if (!rest || !ns || !kubeconfig || !jobs) return;
  const rng = new Rng(SEED, 1, 'failover-points');
  const replicas: OperatorProcess[] = [startOperator(t, kubeconfig, ns), startOperator(t, kubeconfig, ns)];
  const addresses = await Promise.all(replicas.map((r) => r.address()));
  const leader = async (): Promise<number | undefined> => {
    for (let i = 0; i < replicas.length; i++) {
      if (replicas[i]?.child.exitCode !== null || replicas[i]?.child.signalCode !== null) continue;
      const res = await httpGet(addresses[i] as string, '/metrics').catch(() => undefined);
      if (res !== undefined && /^kubetune_leader 1$/m.test(res.body)) return i;
    }
    return undefined;
  };
  await waitFor('a leader', leader, { timeoutMs: 60_000, intervalMs: 100 });
  await rest.create(STUDIES(ns), scriptStudy('failover', { maxTrials: TRIALS, parallelism: PARALLELISM, seed: SEED }));

  const failoverMs: number[] = [];
  const depths = Array.from({ length: FAILOVERS }, () => 1 + rng.int(TRIALS - PARALLELISM - 1)).sort((a, b) => a - b);
  for (const depth of depths) {
    await waitFor(`${depth} trials recorded`, async () => ((await historyRecords(rest, ns, 'failover')).size >= depth ? true : undefined), { timeoutMs: 600_000, intervalMs: 100 });
    if (finished(await rest.get(`${STUDIES(ns)}/failover`))) break;
    const was = await waitFor('a leader', leader, { timeoutMs: 60_000, intervalMs: 100 });
    const killedAt = Date.now();
    await (replicas[was] as OperatorProcess).kill('SIGKILL');
    const next = await waitFor('the standby to lead', async () => {
      const l = await leader();
      return l !== undefined && l !== was ? l : undefined;
    }, { timeoutMs: 60_000, intervalMs: 50 });
    failoverMs.push(Date.now() - killedAt);
    t.diagnostic(`replica ${was} killed at depth ${depth}; replica ${next} led after ${failoverMs.at(-1)} ms`);
    // The killed replica comes back as the new standby.
    replicas[was] = startOperator(t, kubeconfig, ns);
    addresses[was] = await (replicas[was] as OperatorProcess).address();
  }
  const outcome = await judge(t, rest, ns, 'failover', SEED, jobs);
  record({ source: 'failover', kills: failoverMs.length, failoverMs, leaseDurationMs: LEASE_MS, retryPeriodMs: RETRY_MS, trials: TRIALS, ...outcome });
  assert.equal(outcome.duplicates, 0);
  assert.equal(outcome.lost, 0);
  assert.ok(failoverMs.length >= 1, 'at least one failover happened mid-study');
});


test(`two replicas: the leader frozen (SIGSTOP) ${STOPS} times mid-study is replaced, and on SIGCONT steps down without acting`, async (t) => {
  const { rest, ns, kubeconfig, jobs } = await setUp(t, 'rel-stop');
  if (!rest || !ns || !kubeconfig || !jobs) return;
  const rng = new Rng(SEED, 2, 'stop-points');
  const replicas: OperatorProcess[] = [startOperator(t, kubeconfig, ns), startOperator(t, kubeconfig, ns)];
  const addresses: (string | undefined)[] = await Promise.all(replicas.map((r) => r.address()));
  const frozen = new Set<number>();
  // A frozen process cannot answer: ask only the others (a scrape would hang until SIGCONT).
  const leader = async (): Promise<number | undefined> => {
    for (let i = 0; i < replicas.length; i++) {
      if (frozen.has(i) || addresses[i] === undefined || replicas[i]?.child.exitCode !== null || replicas[i]?.child.signalCode !== null) continue;
      const res = await httpGet(addresses[i] as string, '/metrics').catch(() => undefined);
      if (res !== undefined && /^kubetune_leader 1$/m.test(res.body)) return i;
    }
    return undefined;
  };
  t.after(() => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGCONT');
  });
  await waitFor('a leader', leader, { timeoutMs: 60_000, intervalMs: 100 });
  await rest.create(STUDIES(ns), scriptStudy('stopped', { maxTrials: TRIALS, parallelism: PARALLELISM, seed: SEED }));
  const depthOf = async () => (await historyRecords(rest, ns, 'stopped')).size;

  const takeoverMs: number[] = [];
  const stepDownMs: number[] = [];
  const exitCodes: (number | string)[] = [];
  // From the thawed replica's own log: reconciles it refused (lease not confirmed), writes its
  // fence refused mid-reconcile, and reconciles it completed. Recorded, not asserted: whether any
  // key was due in the instant before it stepped down is timing.
  let fencedAfterThaw = 0;
  let writesRefusedAfterThaw = 0;
  let reconciledAfterThaw = 0;
  // Freeze early enough that the successor runs PARALLELISM + 2 more trials before the thaw.
  const depths = Array.from({ length: STOPS }, () => 1 + rng.int(Math.max(1, TRIALS - 3 * PARALLELISM - 4))).sort((a, b) => a - b);
  t.diagnostic(`seed ${SEED}: freeze at history depths ${depths.join(', ')}`);
  for (const depth of depths) {
    await waitFor(`${depth} trials recorded`, async () => ((await depthOf()) >= depth ? true : undefined), { timeoutMs: 600_000, intervalMs: 100 });
    await sleep(rng.uniform(0, 1000));
    if (finished(await rest.get(`${STUDIES(ns)}/stopped`))) break;
    const was = await waitFor('a leader', leader, { timeoutMs: 60_000, intervalMs: 100 });
    const victim = replicas[was] as OperatorProcess;
    const stoppedAt = Date.now();
    victim.child.kill('SIGSTOP');
    frozen.add(was);
    const atFreeze = await depthOf();
    // Its replacement (as its Deployment would start one) warms up meanwhile, the next standby.
    const slot = replicas.length;
    replicas.push(startOperator(t, kubeconfig, ns));
    const spare = (replicas[slot] as OperatorProcess).address().then((a) => void (addresses[slot] = a));
    const next = await waitFor('the standby to lead', async () => {
      const l = await leader();
      return l !== undefined && l !== was ? l : undefined;
    }, { timeoutMs: 60_000, intervalMs: 50 });
    takeoverMs.push(Date.now() - stoppedAt);
    // The new leader records and deletes trials the frozen one still sees as running or unborn.
    await waitFor('the new leader to run more trials', async () => {
      const d = await depthOf();
      return d >= Math.min(TRIALS, atFreeze + PARALLELISM + 2) ? true : undefined;
    }, { timeoutMs: 600_000, intervalMs: 100 });
    const logsBefore = victim.logs.length;
    const thawedAt = Date.now();
    victim.child.kill('SIGCONT');
    frozen.delete(was);
    const code = await Promise.race([victim.exited, sleep(60_000).then(() => 'still running after 60 s')]);
    exitCodes.push(code);
    stepDownMs.push(Date.now() - thawedAt);
    const after = victim.logs.slice(logsBefore);
    fencedAfterThaw += after.filter((l) => l.message === 'not reconciling: the lease is not confirmed').length;
    writesRefusedAfterThaw += after.filter((l) => /lease is not confirmed/.test(String(l.err ?? ''))).length;
    reconciledAfterThaw += after.filter((l) => l.message === 'reconciled' && l.result !== 'error').length;
    t.diagnostic(`replica ${was} frozen at depth ${atFreeze}; replica ${next} led after ${takeoverMs.at(-1)} ms; thawed at depth ${await depthOf()}, exited ${code} after ${stepDownMs.at(-1)} ms: ${after.map((l) => l.message).filter((m) => typeof m === 'string' && /stopping|lease|reconcil/.test(m)).slice(0, 6).join(' | ')}`);
    assert.equal(code, 1, 'the thawed leader steps down (exit 1: lost the leader lease)');
    await spare;
  }
  const outcome = await judge(t, rest, ns, 'stopped', SEED, jobs);
  record({ source: 'stops', stops: takeoverMs.length, takeoverMs, stepDownMs, fencedAfterThaw, writesRefusedAfterThaw, reconciledAfterThaw, exitCodes, leaseDurationMs: LEASE_MS, retryPeriodMs: RETRY_MS, trials: TRIALS, ...outcome });
  assert.equal(outcome.duplicates, 0);
  assert.equal(outcome.lost, 0);
  assert.ok(takeoverMs.length >= 1, 'at least one leader was frozen mid-study');
});
