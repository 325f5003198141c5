// The control plane fails under a running study (a private cluster: these faults would disturb
// every other test on a shared one):
//
//   - kube-apiserver SIGKILLed and started again with the same flags;
//   - etcd compacted to its current revision, then the apiserver restarted: every watch the
//     operator had open resumes from a resourceVersion that no longer exists and is answered
//     410 Gone, so the informers must relist (a watcher of our own counts the 410s it gets on
//     the same path, as evidence the expiry really happened; the operator's own
//     kubetune_watch_relists_total{reason="expired"}, read from its /metrics at the end, shows
//     that the operator itself met the expiry and relisted);
//   - etcd SIGKILLed and started again on its data directory.
//
// Expected, as for operator kills: the study completes with every trial once, succeeded, each
// Job and pod created once, and the same parameters as a calm run of the same seed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster, type Cluster } from '../cluster/cluster.js';
import { GroupProcess } from '../cluster/processes.js';
import { testNamespace, waitFor, type Obj, type Rest } from '../cluster/testing.js';
import {
  applyCrd, finished, historyRecords, httpGet, operatorKubeconfig, scriptStudy, startOperator, STUDIES, waitForStudy,
} from '../integration/operator/harness.js';
import { duplicatedTrials, duplicatesOf, followTrials } from './observe-trials.js';
import { record } from './record.js';

const TRIALS = Number(process.env.KUBETUNE_CP_TRIALS ?? '20');
const SEED = Number(process.env.KUBETUNE_FAULT_SEED ?? '9');

interface Found {
  pid: number;
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The process whose executable ends with `binary` and one of whose arguments is `arg`. */
function findProcess(binary: string, arg: string): Found {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    if (!argv[0]?.endsWith(binary) || !argv.includes(arg)) continue;
    const env = Object.fromEntries(readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => {
      const eq = kv.indexOf('=');
      return [kv.slice(0, eq), kv.slice(eq + 1)];
    }));
    return { pid: Number(entry), argv, env, cwd: process.cwd() };
  }
  throw new Error(`no ${binary} process with ${arg}`);
}

function flag(argv: string[], name: string): string {
  const a = argv.find((x) => x.startsWith(`${name}=`));
  if (a === undefined) throw new Error(`no ${name} in ${argv.join(' ')}`);
  return a.slice(name.length + 1);
}

async function etcdRevision(etcd: string): Promise<number> {
  const res = await fetch(`${etcd}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: Buffer.from('/').toString('base64'), limit: 1 }) });
  const body = (await res.json()) as { header: { revision: string } };
  return Number(body.header.revision);
}

async function compact(etcd: string): Promise<number> {
  const revision = await etcdRevision(etcd);
  const res = await fetch(`${etcd}/v3/kv/compaction`, { method: 'POST', body: JSON.stringify({ revision: String(revision), physical: true }) });
  assert.equal(res.status, 200, await res.text());
  return revision;
}

/** Counts 410s a plain watcher gets on `path` while following it (relisting on each). */
function count410(rest: Rest, path: string): { stop(): Promise<number> } {
  const ac = new AbortController();
  let gone = 0;
  const loop = (async () => {
    let rv: string | undefined;
    while (!ac.signal.aborted) {
      try {
        if (rv === undefined) rv = (await rest.get(path)).metadata.resourceVersion as string;
        await rest.watch(`${path}?resourceVersion=${rv}`, (e) => {
          if (e.type === 'ERROR') {
            if ((e.object as Obj).code === 410) gone += 1;
            rv = undefined;
          } else rv = e.object.metadata.resourceVersion;
        }, ac.signal);
      } catch (err) {
        if ((err as { status?: number }).status === 410) {
          gone += 1;
          rv = undefined;
        }
        await sleep(100);
      }
    }
  })();
  return { async stop() { ac.abort(); await loop; return gone; } };
}

test(`a ${TRIALS}-trial study survives an apiserver restart, an etcd compaction with watch expiry, and an etcd restart`, async (t) => {
  let cluster: Cluster;
  try {
    cluster = await startCluster();
  } catch (err) {
    t.skip(`no test cluster: ${(err as Error).message}`);
    return;
  }
  const respawned: GroupProcess[] = [];
  t.after(async () => {
    for (const p of respawned) await p.stop(2000);
    await cluster.stop();
  });
  const c = cluster;
  const port = new URL(c.server).port;
  const apiserverArg = `--secure-port=${port}`;
  const etcdUrl = flag(findProcess('kube-apiserver', apiserverArg).argv, '--etcd-servers');
  const ns = await testNamespace(t, c, 'rel-cp');
  const rest = c.rest();
  t.after(() => rest.close());
  await applyCrd(c);
  const kubeconfig = await operatorKubeconfig(t, c, rest, ns);
  // A lease long enough to outlast each outage (the chart's defaults are 15/10/2 s; a restart
  // here takes a few seconds on a loaded machine), so the same operator process — its informers
  // and their resourceVersions — lives through every fault and must resume its watches, 410s
  // included. Should it still exit (it does, by design, when it cannot renew the Lease), it is
  // restarted as a Deployment would, and the exits are recorded.
  const LONG_LEASE = ['--lease-duration', '60s', '--renew-deadline', '45s', '--retry-period', '2s'];
  let op = startOperator(t, kubeconfig, ns, LONG_LEASE);
  await op.address();
  let operatorExits = 0;
  let supervising = true;
  const supervisor = (async () => {
    while (supervising) {
      const exited = await Promise.race([op.exited, sleep(500).then(() => undefined)]);
      if (exited === undefined || !supervising) continue;
      operatorExits += 1;
      op = startOperator(t, kubeconfig, ns, LONG_LEASE);
      await op.address().catch(() => undefined);
    }
  })();
  const jobsPath = `/apis/batch/v1/namespaces/${ns}/jobs`;
  const watcher = count410(rest, jobsPath);
  const trials = await followTrials(rest, ns);

  const healthy = () => waitFor('the apiserver to serve again', async () => {
    try {
      await rest.get(`/api/v1/namespaces/${ns}`);
      return true;
    } catch {
      return undefined;
    }
  }, { timeoutMs: 180_000, intervalMs: 250 });

  const restart = async (binary: string, arg: string, downMs: number, whileDown?: () => Promise<void>) => {
    const p = findProcess(binary, arg);
    process.kill(p.pid, 'SIGKILL');
    await waitFor(`${binary} ${p.pid} to exit`, () => (readdirSync('/proc').includes(String(p.pid)) && !readFileSync(`/proc/${p.pid}/stat`, 'utf8').includes(') Z') ? undefined : true), { timeoutMs: 30_000, intervalMs: 50 });
    await whileDown?.();
    await sleep(downMs);
    respawned.push(new GroupProcess(p.argv[0] as string, p.argv.slice(1), { env: p.env, logFile: join(c.logDir, `${binary}.respawned.log`) }));
    await healthy();
  };

  await rest.create(STUDIES(ns), scriptStudy('cp', { maxTrials: TRIALS, parallelism: 3, seed: SEED }));
  const depth = (n: number) => waitFor(`${n} trials recorded`, async () => ((await historyRecords(rest, ns, 'cp')).size >= n ? true : undefined), { timeoutMs: 600_000, intervalMs: 200 });
  const faults: string[] = [];
  let restarts = 0;

  await depth(Math.floor(TRIALS * 0.2));
  await restart('kube-apiserver', apiserverArg, 2000);
  faults.push('apiserver restart');
  restarts += 1;

  await depth(Math.floor(TRIALS * 0.45));
  // Writes after the operator's last event, then compaction to now: its watches' resourceVersions
  // are gone. The restart drops the watches (and the apiserver's watch cache) so they must resume.
  const revision = await compact(etcdUrl);
  await restart('kube-apiserver', apiserverArg, 1000, async () => {
    await sleep(500);
  });
  faults.push(`etcd compacted at ${revision} + apiserver restart`);
  restarts += 1;

  await depth(Math.floor(TRIALS * 0.7));
  await restart('etcd', `--listen-client-urls=${etcdUrl}`, 2000);
  faults.push('etcd restart');
  restarts += 1;

  const study = await waitForStudy(rest, ns, 'cp', 'finished', finished, 900_000);
  const gone = await watcher.stop();
  supervising = false;
  await supervisor;
  // The operator's own count of relists, by resource and reason (its process since the last exit).
  const metricsText = (await httpGet(await op.address(), '/metrics')).body;
  const relists: Record<string, number> = {};
  for (const m of metricsText.matchAll(/^kubetune_watch_relists_total\{resource="([a-z]+)",reason="([a-z]+)"\} (\d+)$/gm)) {
    if (Number(m[3]) > 0) relists[`${m[1]}/${m[2]}`] = Number(m[3]);
  }
  const operatorExpired = Object.entries(relists).filter(([k]) => k.endsWith('/expired')).reduce((n, [, v]) => n + v, 0);
  const seen = await trials.stop();
  const { duplicates } = duplicatesOf(seen, 'cp', TRIALS);
  if (duplicates > 0) t.diagnostic(`duplicated: ${duplicatedTrials(seen, 'cp').join('; ')}`);
  t.diagnostic(`faults: ${faults.join('; ')}; our own watcher got ${gone} × 410; the operator relisted ${JSON.stringify(relists)}; it exited ${operatorExits} times and was restarted`);
  const history = await historyRecords(rest, ns, 'cp');
  const succeeded = [...history.values()].filter((r) => r.state === 'succeeded').length;
  record({ source: 'controlplane', restarts, watchExpiries: gone > 0 ? 1 : 0, observed410: gone, operatorRelists: relists, operatorExpired, operatorExits, trials: TRIALS, lost: TRIALS - succeeded, duplicates });
  assert.equal(duplicates, 0);
  assert.ok(gone > 0, 'our own watcher met 410 Gone: the expiry happened');
  // One operator process lived through every fault (the lease outlasts the outages), so its
  // watches resumed from resourceVersions the restarted apiserver no longer had: 410, relist.
  if (operatorExits === 0) assert.ok(operatorExpired > 0, `the operator itself met 410 Gone and relisted: ${JSON.stringify(relists)}`);
  assert.equal(study.status.phase, 'Completed', JSON.stringify(study.status));
  assert.deepEqual([...history.keys()].sort((a, b) => a - b), Array.from({ length: TRIALS }, (_, i) => i));
  for (const [i, r] of history) assert.equal(r.state, 'succeeded', `trial ${i}: ${r.reason} ${r.message}`);
});
