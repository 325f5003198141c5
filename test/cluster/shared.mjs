// One cluster for a whole test run, started by test/run.mjs before the test files that need it.
//
// Plain JavaScript because run.mjs is: it starts `test/cluster/up.ts` (through tsx) as a child,
// waits for the ClusterInfo file that process writes once the cluster is ready (building the
// binaries first if needed), and passes the file to the tests in KUBETUNE_CLUSTER_INFO. If the
// cluster cannot start, the file holds `{ "error": ... }` and the tests skip with that reason.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Test files under these folders get the shared cluster. */
export function needsCluster(relPath) {
  return /(^|\/)test\/(integration|e2e)\//.test(relPath);
}

export async function startSharedCluster(root) {
  const dir = mkdtempSync(join(tmpdir(), 'kubetune-run-'));
  const infoFile = join(dir, 'cluster.json');
  const t0 = Date.now();
  console.error('[test/run] starting the test cluster (a first run builds it from the Go module proxy; see docs/testing.md)');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/cluster/up.ts', '--info-file', infoFile], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  while (!existsSync(infoFile) && !exited) await sleep(200);
  if (!existsSync(infoFile)) {
    writeFileSync(infoFile, JSON.stringify({ error: `test/cluster/up.ts exited with ${child.exitCode} before the cluster was ready` }));
  }
  const info = JSON.parse(readFileSync(infoFile, 'utf8'));
  if (!info.error) console.error(`[test/run] cluster ready after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return {
    env: { KUBETUNE_CLUSTER_INFO: infoFile },
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        for (let i = 0; i < 300 && !exited; i++) await sleep(100);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
