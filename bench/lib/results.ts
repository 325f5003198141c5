/**
 * Writing benchmark results: `bench/results/<name>.json` (always with the exact command and the
 * machine it ran on) and the benchmark's own section of docs/benchmarks.md, delimited by
 * `<!-- bench:<name> -->` markers so each benchmark rewrites only its part of the page.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
const benchmarksDoc = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

export function resultsPath(name: string): string {
  return `${resultsDir}${name}.json`;
}

/** The command that reproduces this run, as a user would type it. */
export function benchCommand(name: string, args: string[]): string {
  return ['npm', 'run', 'bench', '--', name, ...args].join(' ');
}

export function machineInfo(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function readResults<T>(name: string): T | undefined {
  const path = resultsPath(name);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

export function writeResults(name: string, data: Record<string, unknown>): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(resultsPath(name), JSON.stringify(data, null, 2) + '\n');
}

/** Replaces (or appends) the `name` section of docs/benchmarks.md with `markdown`. */
export function writeBenchmarkSection(name: string, markdown: string): void {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  mkdirSync(dirname(benchmarksDoc), { recursive: true });
  const current = existsSync(benchmarksDoc)
    ? readFileSync(benchmarksDoc, 'utf8')
    : '# Benchmarks\n\nEvery number here is written by `npm run bench -- <name>`; the raw results, with the exact\ncommand and machine, are in `bench/results/<name>.json`.\n';
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  const next =
    start >= 0 && stop > start
      ? current.slice(0, start) + block + current.slice(stop + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(benchmarksDoc, next);
}

/** Median of a list of numbers (NaN for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Quantile q in [0, 1] with linear interpolation. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}
