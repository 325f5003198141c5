/**
 * One run of one container: a local process in its own process group, its output kept in the
 * CRI log format (`<RFC3339Nano> <stream> F <line>`) the real kubelet's runtimes write, and its
 * end turned into a `ContainerStateTerminated` the way containerd would report it.
 *
 * Exit mapping (documented in docs/testing.md):
 * - exit 0 → reason `Completed`; any other exit → `Error`;
 * - death by signal N → exit code 128+N;
 * - exit code 137 (or SIGKILL) that the kubelet did not send → reason `OOMKilled`, the only
 *   way a real container gets that code without being stopped; one that the kubelet sent after
 *   the grace period → `Error`, as containerd reports it;
 * - a command that cannot be started → exit 128, reason `StartError`.
 * The termination message is read from the container's own file (its `terminationMessagePath`,
 * mapped to a host file under the pod dir), at most 4096 bytes; with the
 * `FallbackToLogsOnError` policy an empty file after a failure falls back to the log's tail.
 */
import { EventEmitter } from 'node:events';
import { appendFileSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { GroupProcess } from '../processes.js';

export interface ContainerRunSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  logPath: string;
  messagePath: string;
  messagePolicy: 'File' | 'FallbackToLogsOnError';
}

export interface Terminated {
  exitCode: number;
  reason: string;
  message?: string;
  signal?: number;
  startedAt: string;
  finishedAt: string;
}

const MAX_MESSAGE = 4096;

function readMessage(path: string): string {
  try {
    const buf = readFileSync(path);
    return buf.subarray(0, MAX_MESSAGE).toString('utf8');
  } catch {
    return '';
  }
}

/** The last 80 lines / 2048 bytes of a CRI log, without the CRI prefixes. */
function logTail(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-80).map((l) => l.split(' ').slice(3).join(' '));
    return lines.join('\n').slice(-2048);
  } catch {
    return '';
  }
}

/** Emits 'line' (the CRI-formatted line just appended) while the process runs. */
export class ContainerRun extends EventEmitter {
  readonly startedAt = new Date().toISOString();
  readonly done: Promise<Terminated>;
  private proc: GroupProcess;
  private killedByKubelet = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(readonly spec: ContainerRunSpec) {
    super();
    this.proc = new GroupProcess(spec.argv[0]!, spec.argv.slice(1), { env: spec.env, cwd: spec.cwd, stdio: 'pipe' });
    this.pipe('stdout');
    this.pipe('stderr');
    this.done = this.proc.exited.then(({ code, signal }) => this.finish(code, signal));
  }

  get pid(): number {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.running;
  }

  private pipe(stream: 'stdout' | 'stderr'): void {
    let partial = '';
    const src = this.proc.child[stream];
    if (!src) return;
    src.setEncoding('utf8');
    src.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const p of parts) this.append(stream, p);
    });
    src.on('end', () => {
      if (partial) this.append(stream, partial);
      partial = '';
    });
  }

  private append(stream: string, text: string): void {
    const line = `${new Date().toISOString()} ${stream} F ${text}\n`;
    // Synchronous on purpose: a log reader that reads the file and then subscribes to 'line'
    // in the same tick sees every line exactly once.
    appendFileSync(this.spec.logPath, line);
    this.emit('line', line);
  }

  /** SIGTERM now, SIGKILL after `graceSeconds` (0 means SIGKILL at once). */
  kill(graceSeconds: number): void {
    if (!this.proc.running) return;
    this.killedByKubelet = true;
    if (graceSeconds <= 0) {
      this.proc.signal('SIGKILL');
      return;
    }
    this.proc.signal('SIGTERM');
    if (!this.killTimer) {
      this.killTimer = setTimeout(() => this.proc.signal('SIGKILL'), graceSeconds * 1000);
      this.killTimer.unref();
    }
  }

  private async finish(code: number | null, signal: NodeJS.Signals | null): Promise<Terminated> {
    if (this.killTimer) clearTimeout(this.killTimer);
    this.proc.signal('SIGKILL'); // whatever the container left behind in its group
    // Let the pipes drain so the last lines are in the log before anyone reads it (bounded, in
    // case something outside the group still holds a pipe open).
    await Promise.all(
      (['stdout', 'stderr'] as const).map((name) => {
        const s = this.proc.child[name];
        if (!s || s.closed) return undefined;
        return new Promise<void>((r) => {
          const t = setTimeout(r, 2000);
          s.once('close', () => {
            clearTimeout(t);
            r();
          });
        });
      }),
    );
    const finishedAt = new Date().toISOString();
    if (this.proc.spawnError) {
      this.emit('exit');
      return { exitCode: 128, reason: 'StartError', message: this.proc.spawnError.message, startedAt: this.startedAt, finishedAt };
    }
    const signum = signal ? (constants.signals as Record<string, number>)[signal] : undefined;
    const exitCode = code ?? 128 + (signum ?? 0);
    let reason = exitCode === 0 ? 'Completed' : 'Error';
    if (exitCode === 137 && !this.killedByKubelet) reason = 'OOMKilled';
    let message = readMessage(this.spec.messagePath);
    if (!message && exitCode !== 0 && this.spec.messagePolicy === 'FallbackToLogsOnError') message = logTail(this.spec.logPath);
    this.emit('exit');
    return {
      exitCode,
      reason,
      ...(message ? { message } : {}),
      ...(signum !== undefined ? { signal: signum } : {}),
      startedAt: this.startedAt,
      finishedAt,
    };
  }
}
