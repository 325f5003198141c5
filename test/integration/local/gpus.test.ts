/**
 * Trials that ask for `nvidia.com/gpu` get GPUs of their own locally (CUDA_VISIBLE_DEVICES), and
 * wait when none are free. No GPU is needed: KUBETUNE_LOCAL_GPUS names pretend ones, and the
 * trial script prints what it was given. Overlaps are judged from the event log's own order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { attemptPaths } from '../../../operator/local/results-format.js';
import { readResults } from '../../../operator/local/results-reader.js';
import { BEHAVE, runCli, tempDir, writeStudy } from './helpers.js';

function gpusOf(results: string, index: number): string[] {
  const out = readFileSync(attemptPaths(results, index, 1).stdoutLog, 'utf8');
  return (/^gpus=(.*)$/m.exec(out)?.[1] ?? '').split(',').filter((s) => s !== '');
}

/** Pairs of trials whose runs overlapped (one started before the other finished). */
function overlapping(results: string): [number, number][] {
  const trials = readResults(results).trials;
  const pairs: [number, number][] = [];
  for (const a of trials) {
    for (const b of trials) {
      if (a.index < b.index && (a.startedAt as number) < (b.finishedAt as number) && (b.startedAt as number) < (a.finishedAt as number)) pairs.push([a.index, b.index]);
    }
  }
  return pairs;
}

describe('GPUs for local trials', { timeout: 120_000 }, () => {
  it('gives parallel trials distinct GPUs', async (t) => {
    const dir = tempDir(t);
    const file = writeStudy(dir, 'gpu-one', {
      budget: { maxTrials: 6, parallelism: 3 },
      template: { command: [process.execPath, BEHAVE], resources: { limits: { 'nvidia.com/gpu': 1 } } },
    });
    const results = join(dir, 'results');
    const run = await runCli(['run', file, '--results-dir', results], { KUBETUNE_LOCAL_GPUS: '0,1,2', BEHAVE_STEP_MS: '60' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /GPUs 0,1,2 \(KUBETUNE_LOCAL_GPUS\): 1 per trial/);
    for (let i = 0; i < 6; i++) assert.equal(gpusOf(results, i).length, 1, `trial ${i} got one GPU`);
    const pairs = overlapping(results);
    assert.ok(pairs.length > 0, 'some trials ran in parallel');
    for (const [a, b] of pairs) assert.notDeepEqual(gpusOf(results, a), gpusOf(results, b), `trials ${a} and ${b} overlapped on a GPU`);
  });

  it('runs trials one at a time when each needs two of three GPUs, whatever the parallelism', async (t) => {
    const dir = tempDir(t);
    const file = writeStudy(dir, 'gpu-two', {
      budget: { maxTrials: 3, parallelism: 3 },
      template: { command: [process.execPath, BEHAVE], resources: { limits: { 'nvidia.com/gpu': 2 } } },
    });
    const results = join(dir, 'results');
    const run = await runCli(['run', file, '--results-dir', results], { KUBETUNE_LOCAL_GPUS: '0,1,2', BEHAVE_STEP_MS: '20' });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(overlapping(results), []);
    for (let i = 0; i < 3; i++) assert.equal(gpusOf(results, i).length, 2);
  });
});
