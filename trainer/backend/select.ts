/**
 * Chooses the tfjs backend at run time, best first: tfjs-node-gpu (when installed and a GPU is
 * visible), tfjs-node, the wasm backend (SIMD), and the plain JavaScript cpu backend. The native
 * packages are optional dependencies that download libtensorflow when installed, so on most
 * machines they are simply absent; we try to import them and move on. The choice is logged and
 * reported in the result so a slow trial can be explained.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../config/trainer-config.js';
import { TrainerError } from '../errors.js';
import { installWasmKernels } from './wasm-kernels.js';

export interface BackendInfo {
  /** The tfjs backend name in use: `tensorflow` (native, CPU or GPU), `wasm` or `cpu`. */
  backend: string;
  /** Which package provides it and how it is set up, for logs and the output directory. */
  detail: string;
}

/** The NVIDIA container runtime mounts these device nodes when a GPU is assigned to the pod. */
export function gpuVisible(): boolean {
  return existsSync('/dev/nvidiactl') || existsSync('/dev/nvidia0');
}

async function tryImport(pkg: string): Promise<boolean> {
  try {
    // A computed specifier: the packages are optional and have no types installed here.
    const name: string = pkg;
    await import(name);
    return true;
  } catch {
    return false;
  }
}

async function tryNative(pkg: string): Promise<boolean> {
  return (await tryImport(pkg)) && (await tf.setBackend('tensorflow'));
}

async function tryWasm(): Promise<BackendInfo | undefined> {
  if (!(await tryImport('@tensorflow/tfjs-backend-wasm'))) return undefined;
  if (!(await tf.setBackend('wasm').catch(() => false))) return undefined;
  installWasmKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // tfjs-backend-wasm 4.x disables its threaded build under Node (its workers are browser
  // workers), so the wasm backend runs on one thread here whatever setThreadsCount says.
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return { backend: 'wasm', detail: `@tensorflow/tfjs-backend-wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'threaded' : 'single-threaded'})` };
}

async function tryCpu(): Promise<BackendInfo | undefined> {
  return (await tf.setBackend('cpu')) ? { backend: 'cpu', detail: '@tensorflow/tfjs-backend-cpu (plain JavaScript)' } : undefined;
}

/** Sets the backend; an explicit choice that is not available is a `BackendError`. */
export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  const attempts: Array<[BackendChoice, () => Promise<BackendInfo | undefined>]> = [
    ['tensorflow-gpu', async () => ((choice !== 'auto' || gpuVisible()) && (await tryNative('@tensorflow/tfjs-node-gpu')) ? { backend: 'tensorflow', detail: '@tensorflow/tfjs-node-gpu (CUDA)' } : undefined)],
    ['tensorflow', async () => ((await tryNative('@tensorflow/tfjs-node')) ? { backend: 'tensorflow', detail: '@tensorflow/tfjs-node (libtensorflow CPU)' } : undefined)],
    ['wasm', tryWasm],
    ['cpu', tryCpu],
  ];
  for (const [name, attempt] of attempts) {
    if (choice !== 'auto' && choice !== name) continue;
    const info = await attempt();
    if (info) {
      await tf.ready();
      return info;
    }
  }
  throw new TrainerError('BackendError', `backend ${choice} is not available (is its package installed?)`);
}
