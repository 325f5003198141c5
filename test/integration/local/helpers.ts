/**
 * Helpers for the local-mode integration tests: write a study file into a temporary folder, run
 * the real `kubetune` CLI (through tsx, from source) as a child process, and read the results.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const BEHAVE = join(ROOT, 'test/integration/local/fixtures/behave.mjs');
const CLI = join(ROOT, 'operator/cli/main.ts');

export function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubetune-local-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A study running behave.mjs; `spec` fields override the defaults. */
export function writeStudy(dir: string, name: string, spec: Record<string, unknown>): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify({
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name },
    spec: {
      objective: { metric: 'loss', goal: 'minimize' },
      parameters: [{ name: 'x', type: 'float', min: 0, max: 1 }],
      algorithm: { name: 'random', seed: 3 },
      budget: { maxTrials: 4, parallelism: 2 },
      template: { command: [process.execPath, BEHAVE] },
      ...spec,
    },
  }));
  return file;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedCli {
  child: ReturnType<typeof spawn>;
  done: Promise<CliRun>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): StartedCli {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/**
 * Resolves once `predicate` holds, checking whenever the child prints something and, for
 * conditions that show only on disk (the event log), every 50 ms. Rejects if the child exits first.
 */
export function waitForOutput(cli: StartedCli, predicate: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearInterval(timer);
      cli.child.stdout?.off('data', check);
      cli.child.stderr?.off('data', check);
    };
    const check = () => {
      if (predicate()) {
        stop();
        resolve();
      }
    };
    const timer = setInterval(check, 50);
    cli.child.stdout?.on('data', check);
    cli.child.stderr?.on('data', check);
    void cli.done.then(() => {
      stop();
      reject(new Error('the CLI exited before the awaited condition held'));
    });
  });
}

/** Resolves at the child's next output on stderr (e.g. a notice it prints after a signal). */
export function nextStderr(cli: StartedCli): Promise<string> {
  return new Promise((resolve) => cli.child.stderr?.once('data', (d: Buffer) => resolve(d.toString())));
}
