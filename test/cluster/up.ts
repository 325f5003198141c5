/**
 * Starts the test cluster and keeps it up until interrupted.
 *
 *   node --import tsx test/cluster/up.ts [--gpus N] [--nodes JSON] [--info-file PATH] [--keep-state]
 *
 * Prints where the kubeconfig is and how long the start took. With `--info-file`, writes the
 * ClusterInfo JSON there once ready — or `{ "error": "..." }` if the cluster cannot start, so a
 * waiting test runner can skip with that reason. It stops on SIGINT/SIGTERM, and by itself when
 * its parent process goes away (so a killed test runner leaves nothing behind).
 */
import { writeFileSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startCluster, DEFAULT_NODES, type Cluster } from './cluster.js';
import type { NodeSpec } from './kubelet/node.js';
import { handleSignalsYourself } from './processes.js';

const { values } = parseArgs({
  options: {
    gpus: { type: 'string' },
    nodes: { type: 'string' },
    'info-file': { type: 'string' },
    'keep-state': { type: 'boolean', default: false },
  },
});

function writeInfo(obj: unknown): void {
  const path = values['info-file'];
  if (!path) return;
  writeFileSync(`${path}.tmp`, JSON.stringify(obj, null, 2));
  renameSync(`${path}.tmp`, path); // readers never see half a file
}

let nodes: NodeSpec[] = DEFAULT_NODES;
if (values.nodes) nodes = JSON.parse(values.nodes) as NodeSpec[];
else if (values.gpus !== undefined) nodes = [{ ...DEFAULT_NODES[0]!, gpus: Number(values.gpus) }];

const t0 = performance.now();
let cluster: Cluster;
try {
  cluster = await startCluster({ nodes, keepState: values['keep-state'] });
} catch (e) {
  const error = (e as Error).message;
  console.error(`cluster did not start: ${error}`);
  writeInfo({ error });
  process.exit(1);
}
const seconds = ((performance.now() - t0) / 1000).toFixed(1);
const { kubelet: _k, stop: _s, rest: _r, mintServiceAccountToken: _m, startKubelet: _sk, ...info } = cluster;
writeInfo(info);
console.error(`cluster ready in ${seconds}s
  server:     ${cluster.server}
  kubeconfig: ${cluster.kubeconfigPath}
  nodes:      ${nodes.map((n) => `${n.name} (gpus ${n.gpus ?? 0})`).join(', ')}
  logs:       ${cluster.logDir}
  try:        KUBECONFIG=${cluster.kubeconfigPath} ${cluster.kubectl} get nodes`);

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await cluster.stop();
  process.exit(code);
}
// Stop gracefully; processes.ts's exit handler still SIGKILLs whatever is left.
handleSignalsYourself();
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown(1);
}, 1000);
