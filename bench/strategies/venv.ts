/**
 * The strategies benchmark's virtualenv: Optuna 5.0 and `cmaes` (CmaEsSampler's engine) from
 * PyPI, plus torch, which Optuna's GPSampler needs.
 *
 * Torch from PyPI is a ~5 GB install (the Linux wheel pulls the CUDA libraries), and the trainer
 * benchmark's virtualenv (bench/.cache/venv-trainer) already holds that very wheel
 * (`torch==2.15.0`) for the same Python. When it is there, this venv reads torch from it through a
 * `.pth` file appended to its own `sys.path` — last, so every other package (Optuna, NumPy, SciPy)
 * is this venv's own — instead of downloading it a second time. Without it, torch is installed
 * here from PyPI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { benchCacheDir, ensureVenv, type Venv } from '../lib/venv.js';

export const STRATEGIES_REQUIREMENTS = ['optuna==5.0.0', 'scipy', 'cmaes'];
const TORCH = 'torch==2.15.0';

function sitePackages(python: string): string {
  return execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).trim();
}

function imports(python: string, module: string): boolean {
  return spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

export function strategiesVenv(): Venv & { torchFrom: string } {
  const venv = ensureVenv('strategies', STRATEGIES_REQUIREMENTS);
  let torchFrom = 'this venv';
  if (!imports(venv.python, 'torch')) {
    const trainerPython = join(benchCacheDir, 'venv-trainer', 'bin', 'python');
    if (existsSync(trainerPython) && imports(trainerPython, 'torch')) {
      writeFileSync(join(sitePackages(venv.python), 'zz-kubetune-torch.pth'), `${sitePackages(trainerPython)}\n`);
      console.error('bench: torch for GPSampler read from bench/.cache/venv-trainer (same PyPI wheel)');
    } else {
      console.error(`bench: installing ${TORCH} from PyPI for GPSampler (large)`);
      const pip = spawnSync(venv.python, ['-m', 'pip', 'install', '--quiet', TORCH], { stdio: 'inherit' });
      if (pip.status !== 0) throw new Error(`pip install ${TORCH} failed`);
    }
  }
  if (imports(venv.python, 'torch') && !existsSync(join(sitePackages(venv.python), 'torch'))) torchFrom = 'bench/.cache/venv-trainer';
  const version = execFileSync(venv.python, ['-c', 'import torch, cmaes; print(torch.__version__, cmaes.__version__)'], { encoding: 'utf8' }).trim().split(' ');
  return { ...venv, versions: { ...venv.versions, torch: version[0] ?? '?', cmaes: version[1] ?? '?' }, torchFrom };
}
