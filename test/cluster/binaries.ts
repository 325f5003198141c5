/**
 * Where the control-plane binaries live and whether they are usable.
 *
 * `build.sh` builds etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and
 * helm into `${KUBETUNE_CACHE:-~/.cache/kubetune}/bin` and records each component's outcome in
 * `status.json` there. This module only reads that; `ensureBinaries` runs the script when
 * something is missing (a cold build takes tens of minutes on two cores — see docs/testing.md).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTROL_PLANE = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type BinaryName = (typeof CONTROL_PLANE)[number] | 'kubectl' | 'helm';

export function cacheDir(): string {
  return process.env.KUBETUNE_CACHE ?? join(homedir(), '.cache', 'kubetune');
}

export function binDir(): string {
  return join(cacheDir(), 'bin');
}

export function binaryPath(name: BinaryName): string {
  return join(binDir(), name);
}

const BUILD_SCRIPT = fileURLToPath(new URL('./build.sh', import.meta.url));

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The names among `names` whose binary is not in the cache. */
export function missingBinaries(names: readonly BinaryName[]): BinaryName[] {
  return names.filter((n) => !isExecutable(binaryPath(n)));
}

/** The build script's record of why a component failed, if it wrote one. */
export function buildFailureReason(): string | undefined {
  try {
    const status = JSON.parse(readFileSync(join(binDir(), 'status.json'), 'utf8')) as {
      components?: Record<string, { status: string; reason: string }>;
    };
    const failed = Object.entries(status.components ?? {}).filter(([, c]) => c.status === 'failed');
    if (failed.length === 0) return undefined;
    return failed.map(([name, c]) => `${name}: ${c.reason}`).join('; ');
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `names` are built, running build.sh if any is missing (its output goes to our
 * stderr, so a cold build shows progress). Resolves to undefined when all are there, or to the
 * reason they are not — the exact failing command from status.json when the script wrote one.
 */
export async function ensureBinaries(names: readonly BinaryName[] = CONTROL_PLANE): Promise<string | undefined> {
  if (missingBinaries(names).length === 0) return undefined;
  const code = await new Promise<number | null>((resolve) => {
    // The cache path is passed on so the script and this module agree even without $HOME.
    const child = spawn('bash', [BUILD_SCRIPT], {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, KUBETUNE_CACHE: cacheDir() },
    });
    child.on('error', () => resolve(-1));
    child.on('exit', (c) => resolve(c));
  });
  const still = missingBinaries(names);
  if (still.length === 0) return undefined;
  return (
    buildFailureReason() ??
    `bash ${BUILD_SCRIPT} exited with ${code}; still missing: ${still.join(', ')} (logs in ${join(cacheDir(), 'logs')})`
  );
}
