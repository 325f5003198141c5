/**
 * A throwaway Python virtualenv for the anchors (Optuna, PyTorch), made by the bench itself from
 * PyPI so nobody has to prepare the machine by hand. Venvs live under bench/.cache/ (ignored by
 * git) and are reused while their requirement list is unchanged.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchCacheDir = fileURLToPath(new URL('../.cache/', import.meta.url));

export interface Venv {
  /** Path of the venv's python executable. */
  python: string;
  /** Installed versions of the requested packages, e.g. `{ optuna: '5.0.0' }`. */
  versions: Record<string, string>;
}

/**
 * Returns a venv that has `requirements` installed (pip requirement strings, e.g. `optuna==5.0.0`
 * or `torch --index-url ...`). `pipArgs` are passed to `pip install` as they are.
 */
export function ensureVenv(name: string, requirements: string[], pipArgs: string[] = []): Venv {
  const key = createHash('sha256').update(JSON.stringify([requirements, pipArgs])).digest('hex').slice(0, 12);
  const dir = join(benchCacheDir, `venv-${name}`);
  const stamp = join(dir, '.kubetune-requirements');
  const python = join(dir, 'bin', 'python');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== key) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(benchCacheDir, { recursive: true });
    console.error(`bench: creating virtualenv ${dir} with ${requirements.join(', ')}`);
    execFileSync('python3', ['-m', 'venv', dir], { stdio: 'inherit' });
    const pip = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...pipArgs, ...requirements], {
      stdio: 'inherit',
    });
    if (pip.status !== 0) throw new Error(`pip install failed for ${requirements.join(' ')}`);
    writeFileSync(stamp, key);
  }
  const names = requirements.map((r) => r.split(/[=<>!~ \[]/)[0] as string);
  const script = `import importlib.metadata as m, json; print(json.dumps({n: m.version(n) for n in ${JSON.stringify(names)}}))`;
  const versions = JSON.parse(execFileSync(python, ['-c', script], { encoding: 'utf8' })) as Record<string, string>;
  return { python, versions };
}
