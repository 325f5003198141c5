/** Runs the real trainer entry point as a child process, as the process-kubelet will. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricReport, TrialResult } from '../../../operator/api/trial-contract.js';
import { parseMetricLine, parseTrialResult } from '../../../operator/api/trial-contract.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface TrainerRun {
  code: number | null;
  stdout: string;
  stderr: string;
  reports: MetricReport[];
  result: TrialResult | undefined;
  dir: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Called with the child once it prints its first metric line (e.g. to signal it). */
  onFirstReport?: (child: ReturnType<typeof spawn>) => void;
  /** What runs, relative to the repository (default the trainer itself; `kubetune train` is `['operator/cli/main.ts', 'train']`). */
  entry?: string[];
}

/** A fresh temporary directory for one test's files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kubetune-trainer-test-'));
}

export function runTrainer(args: string[], options: RunOptions = {}): Promise<TrainerRun> {
  const dir = tempDir();
  const resultFile = join(dir, 'termination-log');
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.entry ?? ['trainer/main.ts']), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', KUBETUNE_RESULT_FILE: resultFile, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!signalled && options.onFirstReport && stdout.includes('kubetune-metrics ')) {
      signalled = true;
      options.onFirstReport(child);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const reports = stdout.split('\n').map((l) => parseMetricLine(l)).filter((r): r is MetricReport => r !== undefined);
      const result = existsSync(resultFile) ? parseTrialResult(readFileSync(resultFile, 'utf8')) : undefined;
      resolve({ code, stdout, stderr, reports, result, dir });
    });
  });
}
