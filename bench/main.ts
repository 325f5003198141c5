/**
 * `npm run bench -- <name> [options]`: runs one benchmark from bench/<name>.ts.
 *
 * Every benchmark module exports `run(args)`; it measures us and the anchor (Optuna, PyTorch, ...)
 * side by side in the same run, writes `bench/results/<name>.json` (with the exact command) and
 * its section of docs/benchmarks.md, and ends with one summary line such as
 * `samplers: worst ratio 0.93`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface BenchModule {
  run(args: string[]): Promise<void>;
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'main.ts')
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (name === undefined || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [--quick]`);
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as BenchModule;
await mod.run(args);
