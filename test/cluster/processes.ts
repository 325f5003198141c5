/**
 * Child processes that must never outlive the test run.
 *
 * Every process we start (control-plane components, and the process-kubelet's containers) runs
 * in its own process group, so a signal reaches whatever it forked too. Groups are stopped
 * gracefully by `stop()` (SIGTERM, then SIGKILL after a grace period), killed synchronously from
 * an `exit` handler if the owner exits without stopping them, and — for the case where the owner
 * itself is SIGKILLed and no handler runs — recorded in a registry file under /dev/shm that the
 * next harness to start sweeps: groups whose owner is dead are killed there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const REGISTRY_DIR = process.env.KUBETUNE_PROC_REGISTRY ?? '/dev/shm/kubetune-procs';

interface Entry {
  pgid: number;
  /** Field 22 of /proc/<pid>/stat: tells a recycled pid from ours. */
  startTime: string;
}

const live = new Map<number, Entry>();
/** Directories (tmpfs state) to remove with the groups when the owner died without cleaning up. */
const dirs = new Set<string>();
let handlersInstalled = false;

function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after the closing paren are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function registryFile(): string {
  return join(REGISTRY_DIR, `${process.pid}.json`);
}

function writeRegistry(): void {
  try {
    mkdirSync(REGISTRY_DIR, { recursive: true });
    writeFileSync(
      registryFile(),
      JSON.stringify({ owner: process.pid, ownerStart: procStartTime(process.pid), groups: [...live.values()], dirs: [...dirs] }),
    );
  } catch {
    // The registry is a safety net for crashed owners; failing to write it must not fail a test.
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const e of live.values()) killGroup(e.pgid, 'SIGKILL');
    live.clear();
    rmSync(registryFile(), { force: true });
  });
  // Without a handler these signals end node without an 'exit' event; with one, we must exit
  // (unless the program said it handles them itself, to stop things gracefully first).
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      if (!signalsHandledElsewhere) process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

let signalsHandledElsewhere = false;

/** For programs that install their own SIGINT/SIGTERM handlers and exit from them. */
export function handleSignalsYourself(): void {
  signalsHandledElsewhere = true;
}

/** Kills the process groups left behind by owners that died without cleaning up. */
export function sweepOrphans(): number {
  let killed = 0;
  let files: string[];
  try {
    files = readdirSync(REGISTRY_DIR);
  } catch {
    return 0;
  }
  for (const f of files) {
    const path = join(REGISTRY_DIR, f);
    try {
      const rec = JSON.parse(readFileSync(path, 'utf8')) as { owner: number; ownerStart?: string; groups: Entry[]; dirs?: string[] };
      const ownerAlive = rec.ownerStart !== undefined && procStartTime(rec.owner) === rec.ownerStart;
      if (ownerAlive) continue;
      for (const g of rec.groups) {
        if (procStartTime(g.pgid) === g.startTime) {
          killGroup(g.pgid, 'SIGKILL');
          killed++;
        }
      }
      for (const d of rec.dirs ?? []) rmSync(d, { recursive: true, force: true });
      rmSync(path, { force: true });
    } catch {
      rmSync(path, { force: true });
    }
  }
  return killed;
}

/** Removes `dir` when this process's groups are swept after it died; `forget` undoes that. */
export function registerStateDir(dir: string): void {
  dirs.add(dir);
  writeRegistry();
}

export function forgetStateDir(dir: string): void {
  dirs.delete(dir);
  writeRegistry();
}

export interface SpawnOptions {
  /** Where stdout and stderr go (appended); ignored when `stdio` is 'pipe'. */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** 'pipe' hands the streams to the caller (the kubelet timestamps container output). */
  stdio?: 'file' | 'pipe';
}

/** A process running in its own group, tracked until it exits. */
export class GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Set when the command could not be started at all (ENOENT, EACCES). */
  spawnError: Error | undefined;
  private exitedFlag = false;

  constructor(command: string, args: readonly string[], opts: SpawnOptions = {}) {
    installHandlers();
    let fd: number | undefined;
    if (opts.stdio !== 'pipe' && opts.logFile) fd = openSync(opts.logFile, 'a');
    this.child = spawn(command, args, {
      detached: true, // own process group
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: opts.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd ?? 'ignore', fd ?? 'ignore'],
    });
    if (fd !== undefined) closeSync(fd);
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exitedFlag) return;
        this.exitedFlag = true;
        live.delete(this.pid);
        writeRegistry();
        resolve({ code, signal });
      };
      this.child.once('exit', done);
      // spawn failures (ENOENT, EACCES) arrive as 'error' without an 'exit'.
      this.child.once('error', (err) => {
        this.spawnError = err;
        done(null, null);
      });
    });
    this.pid = this.child.pid ?? -1;
    if (this.pid > 0) {
      live.set(this.pid, { pgid: this.pid, startTime: procStartTime(this.pid) ?? '' });
      writeRegistry();
    }
  }

  get running(): boolean {
    return !this.exitedFlag;
  }

  signal(sig: NodeJS.Signals): void {
    if (this.pid > 0) killGroup(this.pid, sig);
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader has exited. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) {
      killGroup(this.pid, 'SIGKILL'); // stragglers the leader left in its group
      return;
    }
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    killGroup(this.pid, 'SIGKILL');
  }
}
