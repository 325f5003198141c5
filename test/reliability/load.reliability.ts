// Load on one operator (issue 9): STUDIES studies, each PARALLEL trials at once and TRIALS in all,
// created together on a private cluster (real etcd, kube-apiserver, controller-manager and
// scheduler; the process-kubelet runs the trials). A trial is a one-line `sh -c` that writes its
// result document and exits — instant and cheap (a shell, not a node process), so what is
// measured is the operator and the control plane around it, not the workload.
//
// Asserted (correctness only): every study Completed with TRIALS trials, every trial index in
// history exactly once and succeeded (lost = 0), each trial's Job and pod created once
// (duplicates = 0, by a list-watch observer that relists on 410).
//
// Measured and recorded, never asserted (the machine's load decides them):
//   - trials per second: finished trials over the wall time from the first study's creation to
//     the last trial's record;
//   - turnaround per trial: its Job seen by our watch → its history record seen by our watch
//     (the whole trip: Job → pod → scheduled → ran → result read → recorded), p50/p95; and the
//     operator's share: its pod Succeeded → its record;
//   - apiserver requests per trial: counted BY THE APISERVER, from its audit log, for the
//     operator's ServiceAccount only (an audit policy that logs that one user at Metadata level);
//     and, for context, the apiserver's own `apiserver_request_total` for all clients;
//   - the operator's memory (VmRSS from /proc, V8 heap from its /metrics) every second during the
//     load and for SETTLE seconds after it ended, with the slope over that window.
//
// Sizes: KUBETUNE_LOAD_STUDIES (100), KUBETUNE_LOAD_PARALLEL (10), KUBETUNE_LOAD_TRIALS (20),
// KUBETUNE_LOAD_SETTLE_S (60); KUBETUNE_FAULT_SEED seeds the samplers.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster, type Cluster } from '../cluster/cluster.js';
import { waitFor, type Obj, type Rest } from '../cluster/testing.js';
import {
  applyCrd, historyRecords, httpGet, operatorKubeconfig, startOperator, STUDIES as STUDIES_PATH,
} from '../integration/operator/harness.js';
import { duplicatesOf, followTrials } from './observe-trials.js';
import { record } from './record.js';

const STUDIES = Number(process.env.KUBETUNE_LOAD_STUDIES ?? '100');
const PARALLEL = Number(process.env.KUBETUNE_LOAD_PARALLEL ?? '10');
const TRIALS = Number(process.env.KUBETUNE_LOAD_TRIALS ?? '20');
const SETTLE_S = Number(process.env.KUBETUNE_LOAD_SETTLE_S ?? '60');
const SEED = Number(process.env.KUBETUNE_FAULT_SEED ?? '9');
const MiB = 1024 * 1024;

/** The trial: a shell writes the result document (loss = x) to the termination-message file. */
const INSTANT_SH = `printf '{"status":"succeeded","metrics":{"loss":%s}}' "$KUBETUNE_PARAM_X" > "$KUBETUNE_RESULT_FILE"`;

function loadStudy(name: string, seed: number): Obj {
  return {
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name },
    spec: {
      objective: { metric: 'loss', goal: 'minimize' },
      parameters: [{ name: 'x', type: 'float', min: -1, max: 1 }],
      algorithm: { name: 'tpe', seed },
      budget: { maxTrials: TRIALS, parallelism: PARALLEL },
      // No such image exists here: the process-kubelet runs the command as given (sh from PATH).
      template: { image: 'busybox:1.36', command: ['sh', '-c', INSTANT_SH] },
    },
  };
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/** Least-squares slope of `ys` over `xs`, per unit of x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Follows a collection and calls `see(object, type, at)` for every event, `at` = performance.now()
 * when this process received it; relists on 410 (counted) so an expired watch hides nothing.
 */
function follow(rest: Rest, path: string, see: (o: Obj, type: string, at: number) => void): { listed: Promise<void>; stop(): Promise<number> } {
  const ac = new AbortController();
  let relists = 0;
  let markListed!: () => void;
  const listed = new Promise<void>((r) => (markListed = r));
  const loop = (async () => {
    let rv: string | undefined;
    while (!ac.signal.aborted) {
      try {
        if (rv === undefined) {
          const list = await rest.get(path);
          const at = performance.now();
          for (const o of list.items as Obj[]) see(o, 'LISTED', at);
          rv = list.metadata.resourceVersion as string;
          markListed();
        }
        await rest.watch(`${path}${path.includes('?') ? '&' : '?'}resourceVersion=${rv}`, (e) => {
          if (e.type === 'ERROR') {
            rv = undefined;
            relists += 1;
            return;
          }
          rv = e.object.metadata.resourceVersion;
          if (e.type !== 'BOOKMARK') see(e.object, e.type, performance.now());
        }, ac.signal);
      } catch {
        await sleep(200);
      }
    }
  })();
  return { listed, async stop() { ac.abort(); await loop; return relists; } };
}

/** Sum of every `apiserver_request_total` series on the apiserver's /metrics. */
async function apiserverRequests(rest: Rest): Promise<number> {
  const text = await rest.get<string>('/metrics');
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('apiserver_request_total{')) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  return n;
}

interface AuditEvent { auditID: string; verb: string; objectRef?: { resource?: string; subresource?: string }; user: { username: string }; requestReceivedTimestamp: string }

/** The operator's requests (distinct audit IDs) received in [from, to), by `verb resource`. */
function auditCount(path: string, user: string, from: number, to: number): { total: number; byKind: Record<string, number> } {
  const seen = new Set<string>();
  const byKind: Record<string, number> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as AuditEvent;
    if (e.user?.username !== user || seen.has(e.auditID)) continue;
    const at = Date.parse(e.requestReceivedTimestamp);
    if (at < from || at >= to) continue;
    seen.add(e.auditID);
    const kind = `${e.verb} ${e.objectRef?.resource ?? '?'}${e.objectRef?.subresource ? `/${e.objectRef.subresource}` : ''}`;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return { total: seen.size, byKind: Object.fromEntries(Object.entries(byKind).sort((a, b) => b[1] - a[1])) };
}

function procStatus(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) * 1024;
}

test(`load: ${STUDIES} studies × ${PARALLEL} parallel instant trials (${TRIALS} each) on one operator — all finish, none lost or duplicated`, async (t) => {
  const ns = `rel-load-${process.pid.toString(36)}`;
  const user = `system:serviceaccount:${ns}:kubetune-operator`;
  const work = mkdtempSync(join(tmpdir(), 'kubetune-load-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const auditLog = join(work, 'audit.log');
  const policy = join(work, 'audit-policy.yaml');
  // Only the operator's own account is logged, and only once a request is answered.
  writeFileSync(policy, `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
  users: ["${user}"]
- level: None
`);
  let cluster: Cluster;
  try {
    cluster = await startCluster({
      // Room for every trial pod at once (the default is 110 pods per node, as a real kubelet's).
      nodes: [{ name: 'kubetune-load-0', pods: STUDIES * PARALLEL + 10 }],
      apiserverArgs: [`--audit-policy-file=${policy}`, `--audit-log-path=${auditLog}`, '--audit-log-format=json', '--audit-log-mode=blocking'],
    });
  } catch (err) {
    t.skip(`no test cluster: ${(err as Error).message}`);
    return;
  }
  t.after(() => cluster.stop());
  const c = cluster;
  const rest = c.rest();
  t.after(() => rest.close());
  await rest.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await waitFor(`ServiceAccount ${ns}/default`, () => rest.find(`/api/v1/namespaces/${ns}/serviceaccounts/default`));
  await applyCrd(c);
  const kubeconfig = await operatorKubeconfig(t, c, rest, ns);
  // The product's defaults (workers 4, lease 15/10/2 s): the harness's fast lease is for failover tests.
  const op = startOperator(t, kubeconfig, ns, ['--workers', '4', '--log-level', 'info', '--lease-duration', '15s', '--renew-deadline', '10s', '--retry-period', '2s']);
  const address = await op.address();
  await waitFor('the operator to lead', async () => (/^kubetune_leader 1$/m.test((await httpGet(address, '/metrics')).body) ? true : undefined), { timeoutMs: 60_000, intervalMs: 200 });
  const pid = op.child.pid as number;

  // Per trial `study/index`: when its Job, its pod's success and its record were first seen.
  const jobAt = new Map<string, number>();
  const podAt = new Map<string, number>();
  const podDoneAt = new Map<string, number>();
  const recordAt = new Map<string, number>();
  const completedAt = new Map<string, number>();
  const key = (o: Obj) => `${o.metadata?.labels?.['kubetune.io/study']}/${o.metadata?.labels?.['kubetune.io/trial']}`;
  const first = (m: Map<string, number>, k: string, at: number) => (m.has(k) ? undefined : m.set(k, at));
  const watchers = [
    follow(rest, `/apis/batch/v1/namespaces/${ns}/jobs`, (o, type, at) => type !== 'DELETED' && first(jobAt, key(o), at)),
    follow(rest, `/api/v1/namespaces/${ns}/pods`, (o, _type, at) => {
      first(podAt, key(o), at);
      if (o.status?.phase === 'Succeeded' || o.status?.phase === 'Failed') first(podDoneAt, key(o), at);
    }),
    follow(rest, `/api/v1/namespaces/${ns}/configmaps?labelSelector=${encodeURIComponent('kubetune.io/history=true')}`, (o, _type, at) => {
      const study = o.metadata?.labels?.['kubetune.io/study'];
      for (const k of Object.keys((o.data ?? {}) as Record<string, string>)) first(recordAt, `${study}/${k}`, at);
    }),
    follow(rest, STUDIES_PATH(ns), (o, _type, at) => (o.status?.phase === 'Completed' || o.status?.phase === 'Failed') && first(completedAt, o.metadata.name as string, at)),
  ];
  await Promise.all(watchers.map((w) => w.listed));
  const trials = await followTrials(rest, ns);

  // Memory every second, V8 heap every 5 s (from the operator's own /metrics).
  const memory: { s: number; rssMiB: number; heapMiB?: number }[] = [];
  const t0 = performance.now();
  let tick = 0;
  const sampler = setInterval(() => {
    const s = (performance.now() - t0) / 1000;
    const row: { s: number; rssMiB: number; heapMiB?: number } = { s: Math.round(s * 10) / 10, rssMiB: Math.round((procStatus(pid, 'VmRSS') / MiB) * 10) / 10 };
    memory.push(row);
    if (tick++ % 5 === 0) {
      void httpGet(address, '/metrics').then((r) => {
        const m = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(r.body);
        if (m) row.heapMiB = Math.round((Number(m[1]) / MiB) * 10) / 10;
      }).catch(() => undefined);
    }
  }, 1000);
  t.after(() => clearInterval(sampler));
  await sleep(3000); // an idle baseline

  const requestsBefore = await apiserverRequests(rest);
  const wallStart = Date.now();
  const loadStart = performance.now();
  for (let i = 0; i < STUDIES; i++) await rest.create(STUDIES_PATH(ns), loadStudy(`load-${i}`, SEED + i));
  const created = performance.now();
  t.diagnostic(`${STUDIES} studies created in ${Math.round(created - loadStart)} ms`);
  const want = STUDIES * TRIALS;
  await waitFor(`${STUDIES} studies to finish`, () => (completedAt.size >= STUDIES ? true : undefined), { timeoutMs: 3_600_000, intervalMs: 250 });
  const loadEnd = Math.max(...[...recordAt.values()], ...[...completedAt.values()]);
  const wallEnd = wallStart + (loadEnd - loadStart);
  const loadAvgAtEnd = loadavg();
  const requestsAfter = await apiserverRequests(rest);
  const loadEndS = (loadEnd - t0) / 1000;
  t.diagnostic(`load ended ${((loadEnd - loadStart) / 1000).toFixed(1)} s after the first study was created; watching memory for ${SETTLE_S} s`);
  await sleep(SETTLE_S * 1000);
  clearInterval(sampler);
  await sleep(200); // the last heap scrape
  const operatorRequestsSettle = auditCount(auditLog, user, wallEnd, Date.now());
  // The second half of that window alone: a tail of queued work dies out, a loop would not.
  const operatorRequestsQuiet = auditCount(auditLog, user, wallEnd + (SETTLE_S * 1000) / 2, Date.now());

  // Correctness.
  const seen = await trials.stop();
  const relists = (await Promise.all(watchers.map((w) => w.stop()))).reduce((a, b) => a + b, 0) + seen.relists;
  let duplicates = 0;
  let succeeded = 0;
  const studies = (await rest.get(STUDIES_PATH(ns))).items as Obj[];
  const notCompleted = studies.filter((s) => s.status?.phase !== 'Completed').map((s) => `${s.metadata.name}: ${s.status?.phase}`);
  for (let i = 0; i < STUDIES; i++) {
    const name = `load-${i}`;
    duplicates += duplicatesOf(seen, name, TRIALS).duplicates;
    const history = await historyRecords(rest, ns, name);
    for (const [index, r] of history) if (r.state === 'succeeded' && index >= 0 && index < TRIALS) succeeded += 1;
  }
  const lost = want - succeeded;

  // Numbers.
  const turnaround: number[] = [];
  const jobToPod: number[] = [];
  const podToDone: number[] = [];
  const reaction: number[] = [];
  for (const [k, at] of recordAt) {
    const job = jobAt.get(k);
    const pod = podAt.get(k);
    const done = podDoneAt.get(k);
    if (job !== undefined) turnaround.push(at - job);
    if (job !== undefined && pod !== undefined) jobToPod.push(pod - job);
    if (pod !== undefined && done !== undefined) podToDone.push(done - pod);
    if (done !== undefined) reaction.push(at - done);
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const stats = (xs: number[]) => ({ n: xs.length, p50: r1(quantile(xs, 0.5)), p95: r1(quantile(xs, 0.95)), max: r1(Math.max(...xs)) });
  const wallS = (loadEnd - loadStart) / 1000;
  const operatorRequests = auditCount(auditLog, user, wallStart, wallEnd);
  const during = memory.filter((m) => m.s * 1000 >= loadStart - t0 && m.s <= loadEndS);
  const after = memory.filter((m) => m.s > loadEndS);
  const idle = memory.filter((m) => m.s * 1000 < loadStart - t0);
  const heapAfter = after.filter((m) => m.heapMiB !== undefined);
  const peakMiB = Math.max(...during.map((m) => m.rssMiB));
  const result = {
    studies: STUDIES, parallelism: PARALLEL, trialsPerStudy: TRIALS, trials: want, seed: SEED,
    trial: `sh -c '${INSTANT_SH}'`,
    wallSeconds: r1(wallS),
    trialsPerSecond: r1(succeeded / wallS),
    /** Job seen → history record seen: the trial's whole trip, queueing included. */
    turnaroundMs: stats(turnaround),
    /** Where that time went: the Job controller creating the pod; scheduling, start and run; the operator recording it. */
    jobToPodMs: stats(jobToPod),
    podToSucceededMs: stats(podToDone),
    podSucceededToRecordMs: stats(reaction),
    apiserver: {
      operatorRequests: operatorRequests.total,
      operatorRequestsPerTrial: r1(operatorRequests.total / want),
      operatorRequestsByKind: operatorRequests.byKind,
      operatorRequestsAfterLoad: operatorRequestsSettle.total,
      operatorRequestsAfterLoadPerMinute: r1((operatorRequestsSettle.total / SETTLE_S) * 60),
      operatorRequestsAfterLoadByKind: operatorRequestsSettle.byKind,
      operatorRequestsSecondHalfOfSettleByKind: operatorRequestsQuiet.byKind,
      allClientsRequests: requestsAfter - requestsBefore,
      allClientsRequestsPerTrial: r1((requestsAfter - requestsBefore) / want),
    },
    memory: {
      idleRssMiB: Math.max(...idle.map((m) => m.rssMiB)),
      peakRssMiB: peakMiB,
      rssAtLoadEndMiB: during.at(-1)?.rssMiB,
      rssAfterSettleMiB: after.at(-1)?.rssMiB,
      settleSeconds: SETTLE_S,
      /** Least-squares slope of RSS over the window after the load ended, MiB per minute. */
      rssSlopeAfterMiBPerMin: r1(slope(after.map((m) => m.s), after.map((m) => m.rssMiB)) * 60),
      heapSlopeAfterMiBPerMin: r1(slope(heapAfter.map((m) => m.s), heapAfter.map((m) => m.heapMiB as number)) * 60),
      heapAfterSettleMiB: heapAfter.at(-1)?.heapMiB,
      /** No growth after the load: the window's last sample is above neither the load's peak nor the window's first 5 s. */
      noGrowthAfterLoad: (after.at(-1)?.rssMiB ?? Infinity) <= Math.min(peakMiB, Math.max(...after.slice(0, 5).map((m) => m.rssMiB))),
      samples: memory,
    },
    watchRelists: relists,
    loadavgAtLoadEnd: loadAvgAtEnd.map(r1),
    operator: 'kubetune operator from source (node --import tsx), ServiceAccount with the chart\'s rules, --workers 4, lease 15/10/2 s',
  };
  t.diagnostic(JSON.stringify({ ...result, memory: { ...result.memory, samples: `${memory.length} samples` } }));
  record({ source: 'load', duplicates, lost, load: result });

  assert.deepEqual(notCompleted, [], 'every study Completed');
  for (const s of studies) assert.equal(s.status.counts.finished, TRIALS, `${s.metadata.name} finished ${TRIALS} trials`);
  assert.equal(lost, 0, `${lost} of ${want} trials have no succeeded record`);
  assert.equal(duplicates, 0);
  assert.equal(recordAt.size, want, 'every trial\'s record was seen');
});
