/**
 * `npm run bench -- operator [--quick]`: the operator on the test cluster (test/cluster: the real
 * kube-apiserver, controller-manager and scheduler, with the process-kubelet), running as
 * `kubetune operator` in a child process with leader election on, watching one namespace.
 *
 * 1. First Job: a study of one instant trial is created; time until the watch shows its Job.
 *    Studies one after another (each finishes before the next), 20 samples.
 * 2. Turnaround: one study of 41 instant trials, one at a time; for each trial, time from the
 *    watch showing its pod Succeeded to the watch showing the next trial's Job — what the
 *    operator adds between two trials (observe, read the log, record, delete, decide, create).
 * 3. Objects at 10,000 trials: a study whose history holds 10,000 finished trials (synthetic,
 *    made by the operator's own toRecord/renderShard: bench/operator/history.ts) is handed to
 *    the operator, which reconciles it to Completed and writes its status; the study object and
 *    every history shard are then read back from the apiserver and measured as JSON.
 * 4. Memory: 100 studies × 10 parallel trials. The trials are held Pending by a nodeSelector no
 *    node matches — this 2-core machine cannot run 1,000 node trial processes at once (trials
 *    that do run, as one-line shells, are test/reliability/load.reliability.ts) — so the
 *    operator's caches hold 100 studies, 1,000 Jobs and 1,000 Pods, the same objects as with
 *    running trials. Resident memory of the operator process (VmRSS, from /proc) once all Jobs
 *    and pods exist, the largest of 10 samples over 5 s, and the peak over the whole run (VmHWM).
 *    The operator is compiled first (tsc, as `npm run build`, into a private folder) and runs as
 *    a container would run it, with `--max-semi-space-size=2` (docs/operator.md, Memory).
 *
 * Times are wall-clock from this process's watches, so the watch delivery delay is on both
 * sides of every difference. Goals (issue 5): p50 turnaround ≤ 500 ms, every object < 1 MiB at
 * 10,000 trials, RSS < 256 MiB at 100 studies. Writes bench/results/operator.json and the
 * `operator` section of docs/benchmarks.md; ends with `operator: p50 turnaround ms <x>`.
 * `--quick`: 5 first-Job samples, 10 turnarounds, 2,000 trials, 20 studies × 10.
 */
import { loadavg } from 'node:os';
import { API_GROUP, API_VERSION, KIND } from '../operator/api/schema.js';
import type { Obj, Rest } from '../test/cluster/rest.js';
import { benchCommand, machineInfo, quantile, writeBenchmarkSection, writeResults } from './lib/results.js';
import { applyCrd, buildOperator, OPERATOR_NODE_FLAGS, obtainCluster, sleep, stampEvents, startOperator, type Stamped, until } from './operator/cluster.js';
import { bigStudy, historyShards, syntheticTrials } from './operator/history.js';

const MiB = 1024 * 1024;
const INSTANT = "require('node:fs').writeFileSync(process.env.KUBETUNE_RESULT_FILE, JSON.stringify({ status: 'succeeded', metrics: { loss: Number(process.env.KUBETUNE_PARAM_X) ** 2 } }))";

function instantStudy(name: string, maxTrials: number, parallelism: number, extra: Obj = {}): Obj {
  return {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KIND,
    metadata: { name },
    spec: {
      objective: { metric: 'loss', goal: 'minimize' },
      parameters: [{ name: 'x', type: 'float', min: -1, max: 1 }],
      algorithm: { name: 'tpe', seed: 1 },
      budget: { maxTrials, parallelism },
      template: { image: 'node:20', command: ['node', '-e', INSTANT], ...extra },
    },
  };
}

const studies = (ns: string) => `/apis/${API_GROUP}/${API_VERSION}/namespaces/${ns}/tuningstudies`;
const done = (s: Obj) => s.status?.phase === 'Completed' || s.status?.phase === 'Failed';

async function waitStudy(rest: Rest, ns: string, name: string, timeoutMs = 300_000): Promise<Obj> {
  return until(`study ${name} finished`, async () => {
    const s = await rest.get(`${studies(ns)}/${name}`);
    return done(s) ? s : undefined;
  }, timeoutMs);
}

function stats(values: number[]) {
  const r = (v: number) => Math.round(v * 10) / 10;
  return { n: values.length, p50: r(quantile(values, 0.5)), p95: r(quantile(values, 0.95)), min: r(Math.min(...values)), max: r(Math.max(...values)) };
}

async function count(rest: Rest, path: string): Promise<number> {
  let n = 0;
  let token: string | undefined;
  do {
    const page = await rest.get(`${path}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    n += (page.items as Obj[]).length;
    token = page.metadata?.continue || undefined;
  } while (token !== undefined);
  return n;
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const cfg = quick
    ? { firstJob: 5, turnaround: 10, trials: 2_000, studies: 20, perStudy: 10 }
    : { firstJob: 20, turnaround: 40, trials: 10_000, studies: 100, perStudy: 10 };
  console.error('bench operator: compiling the operator (tsc, as npm run build)');
  const entry = await buildOperator();
  const cluster = await obtainCluster();
  const { c } = cluster;
  const rest = c.rest();
  const ns = `bench-operator-${process.pid.toString(36)}`;
  await rest.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await until('default ServiceAccount', () => rest.find(`/api/v1/namespaces/${ns}/serviceaccounts/default`));
  await applyCrd(c);
  const op = startOperator(c, ns, entry);
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(op.memory().rss), 500);
  try {
    await op.address;
    await until('the operator to lead', async () => ((await rest.find(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/kubetune-operator`))?.spec?.holderIdentity ? true : undefined));
    const jobs = await stampEvents(rest, `/apis/batch/v1/namespaces/${ns}/jobs`);
    const pods = await stampEvents(rest, `/api/v1/namespaces/${ns}/pods`);
    const jobAdded = (name: string) => jobs.events.find((e) => e.type === 'ADDED' && e.object.metadata.name === name);

    // 1. Creation to first Job.
    const firstJob: number[] = [];
    for (let i = 0; i < cfg.firstJob; i++) {
      const name = `first-${i}`;
      const t0 = performance.now();
      await rest.create(studies(ns), instantStudy(name, 1, 1));
      const added = await until(`${name}-t0 created`, async () => jobAdded(`${name}-t0`), 60_000, 5);
      firstJob.push(added.at - t0);
      await waitStudy(rest, ns, name);
    }
    console.error(`bench operator: creation → first Job p50 ${stats(firstJob).p50} ms`);

    // 2. A trial's completion to the next trial's Job.
    const chain = 'chain';
    await rest.create(studies(ns), instantStudy(chain, cfg.turnaround + 1, 1));
    await waitStudy(rest, ns, chain);
    await sleep(500);
    const turnaround: number[] = [];
    for (let i = 0; i < cfg.turnaround; i++) {
      const succeeded = pods.events.find((e: Stamped) =>
        e.object.metadata.labels?.['kubetune.io/study'] === chain && e.object.metadata.labels?.['kubetune.io/trial'] === String(i) && e.object.status?.phase === 'Succeeded');
      const next = jobAdded(`${chain}-t${i + 1}`);
      if (succeeded !== undefined && next !== undefined) turnaround.push(next.at - succeeded.at);
    }
    console.error(`bench operator: trial end → next Job p50 ${stats(turnaround).p50} ms (${turnaround.length} samples)`);
    await jobs.stop();
    await pods.stop();

    const phaseStart = (): number => rssSamples.length;
    const phaseMax = (from: number) => Math.round((Math.max(0, ...rssSamples.slice(from)) / MiB) * 10) / 10;
    // 3. Object sizes with a long history, status written by the operator itself.
    const bigPhase = phaseStart();
    const big = await rest.create(studies(ns), bigStudy('big', cfg.trials));
    const owner = { name: 'big', namespace: ns, uid: big.metadata.uid as string, apiVersion: `${API_GROUP}/${API_VERSION}`, kind: KIND };
    const shardsIn = historyShards(owner, syntheticTrials(cfg.trials), 'val_accuracy');
    for (const shard of shardsIn) await rest.create(`/api/v1/namespaces/${ns}/configmaps`, shard);
    const t0 = performance.now();
    await rest.mergePatch(`${studies(ns)}/big`, { spec: { suspend: false } });
    const bigDone = await waitStudy(rest, ns, 'big', 600_000);
    const bigReconcileMs = performance.now() - t0;
    const selector = encodeURIComponent('kubetune.io/study=big,kubetune.io/history=true');
    const shards = (await rest.get(`/api/v1/namespaces/${ns}/configmaps?labelSelector=${selector}`)).items as Obj[];
    const shardBytes = shards.map((s) => Buffer.byteLength(JSON.stringify(s)));
    const sizes = {
      trials: cfg.trials,
      finished: bigDone.status.counts.finished as number,
      phase: bigDone.status.phase as string,
      studyObjectBytes: Buffer.byteLength(JSON.stringify(bigDone)),
      statusBytes: Buffer.byteLength(JSON.stringify(bigDone.status)),
      shards: shards.length,
      largestShardBytes: Math.max(...shardBytes),
      historyBytes: shardBytes.reduce((a, b) => a + b, 0),
      reconcileToCompletedMs: Math.round(bigReconcileMs),
      rssMaxMiB: phaseMax(bigPhase),
    };
    console.error(`bench operator: ${cfg.trials} trials: study ${sizes.studyObjectBytes} B, largest shard ${sizes.largestShardBytes} B`);
    // Its history goes (garbage collector) before the next phase, so the two do not overlap.
    await rest.delete(`${studies(ns)}/big`);
    await until('the big study\'s history collected', async () =>
      (((await rest.get(`/api/v1/namespaces/${ns}/configmaps?labelSelector=${selector}`)).items as Obj[]).length === 0 ? true : undefined), 300_000, 1_000);
    await sleep(5_000);

    // 4. Memory with many studies and trials in the caches.
    const loadPhase = phaseStart();
    const nowhere = { nodeSelector: { 'kubetune.dev/bench': 'no-such-node' } };
    for (let i = 0; i < cfg.studies; i++) await rest.create(studies(ns), instantStudy(`load-${i}`, cfg.perStudy, cfg.perStudy, nowhere));
    const want = cfg.studies * cfg.perStudy;
    await until(`${want} Jobs and pods`, async () =>
      (await count(rest, `/apis/batch/v1/namespaces/${ns}/jobs`)) >= want && (await count(rest, `/api/v1/namespaces/${ns}/pods`)) >= want ? true : undefined, 900_000, 2_000);
    await sleep(5_000);
    const loaded: number[] = [];
    for (let i = 0; i < 10; i++) {
      loaded.push(op.memory().rss);
      await sleep(500);
    }
    const memory = {
      studies: cfg.studies,
      trialsPerStudy: cfg.perStudy,
      jobs: want,
      pods: want,
      rssMiB: Math.round((Math.max(...loaded) / MiB) * 10) / 10,
      /** Largest 500 ms sample while the 100 studies were created and their trials launched. */
      rampMaxMiB: phaseMax(loadPhase),
      peakMiB: Math.round((op.memory().peak / MiB) * 10) / 10,
      idleRssMiB: Math.round(((rssSamples[4] ?? rssSamples[0] ?? 0) / MiB) * 10) / 10,
    };
    console.error(`bench operator: RSS ${memory.rssMiB} MiB with ${cfg.studies} studies × ${cfg.perStudy} trials`);

    const results = {
      command: benchCommand('operator', args),
      machine: machineInfo(),
      loadavg: loadavg(),
      date: new Date().toISOString(),
      operator: `node ${OPERATOR_NODE_FLAGS.join(' ')} <tsc output>/operator/cli/main.js operator --namespace <bench namespace>`,
      cluster: cluster.shared ? 'shared test cluster (KUBETUNE_CLUSTER_INFO)' : 'private test cluster (test/cluster)',
      firstJobMs: stats(firstJob),
      turnaroundMs: stats(turnaround),
      sizes,
      memory,
      goals: {
        turnaroundP50Ms: { goal: 500, met: stats(turnaround).p50 <= 500 },
        objectBytes: { goal: MiB, met: sizes.studyObjectBytes < MiB && sizes.largestShardBytes < MiB },
        rssMiB: { goal: 256, met: memory.rssMiB < 256 },
      },
    };
    writeResults('operator', results);
    if (!quick) writeBenchmarkSection('operator', markdown(results));
    console.log(`operator: p50 turnaround ms ${results.turnaroundMs.p50}`);
  } finally {
    clearInterval(sampler);
    await op.stop();
    await rest.delete(`/api/v1/namespaces/${ns}`).catch(() => undefined);
    rest.close();
    await cluster.stop();
  }
}

function markdown(r: {
  command: string; machine: Record<string, unknown>; loadavg: number[]; firstJobMs: ReturnType<typeof stats>; turnaroundMs: ReturnType<typeof stats>;
  sizes: Record<string, number | string>; memory: Record<string, number>;
}): string {
  const kib = (b: number | string) => `${(Number(b) / 1024).toFixed(1)} KiB`;
  return `## Operator

\`${r.command}\` — the operator (\`kubetune operator\`, compiled, \`node --max-semi-space-size=2\`, leader election on)
on the test cluster of \`test/cluster\` (real kube-apiserver, controller-manager and scheduler; the
process-kubelet runs trials as local processes), ${r.machine.cpus} CPUs (${r.machine.cpuModel}). Trials are instant
\`node -e\` scripts that write their result and exit. See bench/operator.ts for the method. Load
average at the end: ${r.loadavg.map((l) => l.toFixed(1)).join(' / ')} (the machine is shared with other work, so times
stretch with the load).

| Measure | p50 | p95 | samples | goal |
| --- | ---: | ---: | ---: | --- |
| study created → first Job | ${r.firstJobMs.p50} ms | ${r.firstJobMs.p95} ms | ${r.firstJobMs.n} | — |
| trial's pod Succeeded → next trial's Job | ${r.turnaroundMs.p50} ms | ${r.turnaroundMs.p95} ms | ${r.turnaroundMs.n} | p50 ≤ 500 ms |

| At ${r.sizes.trials} finished trials | bytes | goal |
| --- | ---: | --- |
| TuningStudy object (status included) | ${kib(r.sizes.studyObjectBytes!)} | < 1 MiB |
| largest history shard (of ${r.sizes.shards}) | ${kib(r.sizes.largestShardBytes!)} | < 1 MiB |
| all history shards | ${kib(r.sizes.historyBytes!)} | — |

The operator reconciled the ${r.sizes.trials}-trial study to ${r.sizes.phase} in ${r.sizes.reconcileToCompletedMs} ms (history of
synthetic records built with the operator's own \`toRecord\`/\`renderShard\`, 30-epoch curves; its status
written by the operator).

| Memory | RSS |
| --- | ---: |
| idle, caches synced | ${r.memory.idleRssMiB} MiB |
| ${r.memory.studies} studies × ${r.memory.trialsPerStudy} parallel trials (${r.memory.jobs} Jobs and ${r.memory.pods} Pods cached), steady | ${r.memory.rssMiB} MiB |
| the same, largest sample while they were created and launched | ${r.memory.rampMaxMiB} MiB |
| largest sample while reconciling the ${r.sizes.trials}-trial study | ${r.sizes.rssMaxMiB} MiB |
| peak over the whole run (VmHWM) | ${r.memory.peakMiB} MiB |

The ${r.memory.jobs} trials are held Pending by a nodeSelector that no node matches: the operator caches
the same Jobs and Pods as for running trials, without ${r.memory.jobs} processes on this machine. Trials
that really run under the same load (2,000 one-line \`sh\` trials) are measured by
\`test/reliability/load.reliability.ts\`: see "Operator under load" below. For context (issue 5):
Katib needs ≥ 10 s before its first trial, polls every second, and broke near 14,500 trials.`;
}
