/**
 * Fashion-MNIST for the benchmarks: the IDX files of Debian's `dataset-fashion-mnist` package,
 * installed with apt-get when missing and we are allowed to (bench/trainer.ts, the pruners
 * benchmark's recorder bench/pruners/record-fashion.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST from Debian's package; installs it when missing and we are root. Returns its directory. */
export function ensureFashionMnist(): string {
  const needed = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
  const present = () => needed.every((f) => existsSync(join(FASHION_MNIST_DIR, f)));
  if (!present()) {
    console.error('bench: installing dataset-fashion-mnist with apt-get');
    try {
      execFileSync('apt-get', ['install', '-y', '-qq', 'dataset-fashion-mnist'], { stdio: 'inherit' });
    } catch {
      throw new Error(`Fashion-MNIST is not in ${FASHION_MNIST_DIR}; run: apt-get update && apt-get install dataset-fashion-mnist`);
    }
  }
  if (!present()) throw new Error(`dataset-fashion-mnist did not install ${needed.join(', ')} under ${FASHION_MNIST_DIR}`);
  return FASHION_MNIST_DIR;
}
