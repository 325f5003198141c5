#!/usr/bin/env node
// `npm run test:reliability`: the fuzzer at a larger scale, then the fault tests on the real
// control plane (one shared cluster, as test/run.mjs starts it), one file at a time. Each test
// appends its counts to a JSON-lines file; this script sums them into
// bench/results/reliability.json and prints the summary line. It fails if any test failed or if
// any duplicate, lost result or crash was counted.
//
//   npm run test:reliability                      everything
//   npm run test:reliability -- fuzz              only the fuzzer (no cluster)
//   KUBETUNE_FUZZ_SCALE=4 KUBETUNE_KILLS=20 KUBETUNE_KILL_TRIALS=50 npm run test:reliability
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSharedCluster } from '../cluster/shared.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = join(root, 'test/reliability');
const only = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts') || f.endsWith('.reliability.ts'))
  .filter((f) => only === undefined || f.startsWith(only))
  .sort((a, b) => Number(b.startsWith('fuzz')) - Number(a.startsWith('fuzz')) || a.localeCompare(b))
  .map((f) => join(here, f));

const work = mkdtempSync(join(tmpdir(), 'kubetune-reliability-'));
const out = join(work, 'counts.jsonl');
writeFileSync(out, '');
const env = { ...process.env, KUBETUNE_RELIABILITY_OUT: out, KUBETUNE_FUZZ_SCALE: process.env.KUBETUNE_FUZZ_SCALE ?? '3' };
const needsCluster = files.some((f) => f.endsWith('.reliability.ts'));
const cluster = needsCluster && !process.env.KUBETUNE_CLUSTER_INFO ? await startSharedCluster(root) : undefined;
const started = Date.now();
let failed = 0;
for (const file of files) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', relative(root, file)], {
    cwd: root, stdio: 'inherit', env: { ...env, ...cluster?.env },
  });
  if (r.status !== 0) failed += 1;
}
await cluster?.stop();

const rows = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
rmSync(work, { recursive: true, force: true });
const sum = (key) => rows.reduce((n, r) => n + (typeof r[key] === 'number' ? r[key] : 0), 0);
const failover = rows.flatMap((r) => r.failoverMs ?? []);
const takeover = rows.flatMap((r) => r.takeoverMs ?? []);
const load = rows.find((r) => r.source === 'load')?.load;
const summary = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Number(x.toFixed(1))) },
  wallSeconds: Math.round((Date.now() - started) / 1000),
  testFilesFailed: failed,
  /** Operator SIGKILLs: random-moment kills plus leaders killed for failover. */
  killsSurvived: sum('kills'),
  /** Control-plane restarts: kube-apiserver and etcd. */
  restartsSurvived: sum('restarts'),
  watchExpiriesSurvived: sum('watchExpiries'),
  duplicates: sum('duplicates'),
  lostResults: sum('lost'),
  fuzzCases: sum('fuzzCases'),
  crashes: sum('crashes'),
  failoverMs: failover,
  failoverMaxMs: failover.length > 0 ? Math.max(...failover) : null,
  /** Leaders frozen with SIGSTOP, replaced, then thawed with SIGCONT (they must step down). */
  stopsSurvived: sum('stops'),
  stopTakeoverMs: takeover,
  /** The load test's measurements (test/reliability/load.reliability.ts), without its memory samples. */
  load: load === undefined ? null : { ...load, memory: { ...load.memory, samples: undefined } },
  runs: rows,
};
// Only a full run is the record; a filtered one (`-- fuzz`) writes beside it.
const target = only === undefined ? join(root, 'bench/results/reliability.json') : join(tmpdir(), `kubetune-reliability-${only}.json`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(target, JSON.stringify({ ...summary, filter: only ?? null }, null, 2) + '\n');
console.error(`[test/reliability] wrote ${target}`);
const l = summary.load;
console.log(`reliability (more): restarts ${summary.restartsSurvived} stops ${summary.stopsSurvived}` +
  (l ? ` load ${l.trials} trials ${l.trialsPerSecond}/s p95 turnaround ${l.turnaroundMs.p95} ms operator requests/trial ${l.apiserver.operatorRequestsPerTrial}` : ''));
console.log(`reliability: kills ${summary.killsSurvived} duplicates ${summary.duplicates} lost ${summary.lostResults} fuzz ${summary.fuzzCases} crashes ${summary.crashes}`);
process.exit(failed > 0 || summary.duplicates > 0 || summary.lostResults > 0 || summary.crashes > 0 ? 1 : 0);
