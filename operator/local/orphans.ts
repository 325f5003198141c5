/**
 * Trials left running by a runner that died. Trials run in process groups of their own (so that
 * Ctrl-C reaches only the runner), which also means a runner killed with SIGKILL leaves them
 * behind. On resume their attempts are marked interrupted and run again; the old processes must
 * not go on writing beside the new ones, so they are killed — but only when we can tell the pid
 * still belongs to that attempt: its environment must name the attempt's own result file
 * (Linux /proc). Where that cannot be read, nothing is killed: a pid may have been reused.
 */
import { readFileSync } from 'node:fs';
import { ENV } from '../api/trial-contract.js';

/** True when process `pid` is alive and its environment holds `KUBETUNE_RESULT_FILE=<resultFile>`. */
export function isAttemptProcess(pid: number, resultFile: string): boolean {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return false;
  }
  return environ.split('\0').includes(`${ENV.resultFile}=${resultFile}`);
}

/** Kills the process group of a leftover attempt; returns whether one was found. */
export function killLeftoverAttempt(pid: number, resultFile: string): boolean {
  if (!isAttemptProcess(pid, resultFile)) return false;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return false;
    }
  }
  return true;
}
