/**
 * GPUs for local trials. A study that asks for `nvidia.com/gpu: N` per trial (in the limits or
 * requests of its template or trainer) gets, locally, N GPUs of its own per running trial through
 * `CUDA_VISIBLE_DEVICES`, so two parallel trials on a two-GPU machine do not both land on GPU 0.
 * A trial waits (stays pending) until enough GPUs are free, as an unschedulable pod would.
 *
 * Which GPUs: `KUBETUNE_LOCAL_GPUS` (a comma-separated list of ids) if set, else the runner's own
 * `CUDA_VISIBLE_DEVICES` if set, else what `nvidia-smi` lists. When fewer GPUs are found than one
 * trial asks for (a laptop without a GPU running a cluster study), trials run without assignment
 * and the runner says so: the same YAML still runs.
 */
import { spawnSync } from 'node:child_process';
import type { ResolvedSpec } from '../api/types.js';

export const GPU_RESOURCE = 'nvidia.com/gpu';

/** GPUs one trial asks for (0 when none). */
export function gpuRequest(spec: ResolvedSpec): number {
  const w = spec.workload.kind === 'trainer' ? spec.workload.trainer : spec.workload.template;
  const raw = w.resources?.limits?.[GPU_RESOURCE] ?? w.resources?.requests?.[GPU_RESOURCE];
  const n = typeof raw === 'number' ? raw : Number(raw ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

const idList = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** The GPU ids trials may use, and where that list came from. */
export function detectGpus(env: NodeJS.ProcessEnv): { ids: string[]; source: string } {
  if (env.KUBETUNE_LOCAL_GPUS !== undefined) return { ids: idList(env.KUBETUNE_LOCAL_GPUS), source: 'KUBETUNE_LOCAL_GPUS' };
  if (env.CUDA_VISIBLE_DEVICES !== undefined) return { ids: idList(env.CUDA_VISIBLE_DEVICES), source: 'CUDA_VISIBLE_DEVICES' };
  const smi = spawnSync('nvidia-smi', ['--query-gpu=index', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000 });
  if (smi.status === 0) return { ids: idList(smi.stdout.replace(/\n/g, ',')), source: 'nvidia-smi' };
  return { ids: [], source: 'none' };
}

/** Free GPUs, handed out to trials and given back when they end. */
export class GpuPool {
  private readonly free: string[];
  private readonly held = new Map<number, string[]>();

  constructor(ids: readonly string[], readonly perTrial: number) {
    this.free = [...ids];
  }

  /** Takes `perTrial` GPUs for trial `index`; undefined when not enough are free. */
  acquire(index: number): string[] | undefined {
    if (this.free.length < this.perTrial) return undefined;
    const ids = this.free.splice(0, this.perTrial);
    this.held.set(index, ids);
    return ids;
  }

  release(index: number): void {
    const ids = this.held.get(index);
    if (ids === undefined) return;
    this.held.delete(index);
    this.free.push(...ids);
    this.free.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  }
}

/** The pool for a study, or undefined when trials need no GPU or cannot be given one (with why). */
export function planGpus(spec: ResolvedSpec, env: NodeJS.ProcessEnv): { pool?: GpuPool; note?: string } {
  const perTrial = gpuRequest(spec);
  if (perTrial === 0) return {};
  const { ids, source } = detectGpus(env);
  if (ids.length < perTrial) {
    return {
      note: `each trial asks for ${perTrial} GPU${perTrial === 1 ? '' : 's'} but ${ids.length === 0 ? 'no GPU was found' : `only ${ids.length} ${ids.length === 1 ? 'is' : 'are'} available (${source})`}; trials run without GPU assignment`,
    };
  }
  const slots = Math.floor(ids.length / perTrial);
  return {
    pool: new GpuPool(ids, perTrial),
    note: `GPUs ${ids.join(',')} (${source}): ${perTrial} per trial, at most ${slots} trial${slots === 1 ? '' : 's'} at a time`,
  };
}
