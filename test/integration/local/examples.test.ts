/**
 * Every study in examples/ runs end to end (style.md, "Examples run"), cut to a trial or a few
 * with --max-trials so the suite stays quick: the quadratic study with its dependency-free Node
 * and Python scripts, and the iris study with the built-in trainer.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readResults } from '../../../operator/local/results-reader.js';
import { ROOT, runCli, tempDir } from './helpers.js';

const TRIALS: Record<string, number> = { 'quadratic.yaml': 4, 'quadratic-python.yaml': 2, 'iris-mlp.yaml': 1 };
/** Studies too long for the suite (or needing data CI lacks): validated only, with the reason. */
const VALIDATED_ONLY: Record<string, string> = {
  'fashion-mnist-mlp.yaml': 'needs Debian dataset-fashion-mnist, and even one trial takes minutes on 2 cores',
};

describe('examples/', { timeout: 300_000 }, () => {
  it('lists a trial budget for every example study here', () => {
    const studies = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort();
    assert.deepEqual(studies, [...Object.keys(TRIALS), ...Object.keys(VALIDATED_ONLY)].sort(), 'give each example study a trial count in TRIALS of test/integration/local/examples.test.ts');
  });

  for (const example of Object.keys(VALIDATED_ONLY)) {
    it(`${example} is a valid study (not run here: ${VALIDATED_ONLY[example]})`, async () => {
      const run = await runCli(['validate', `examples/${example}`]);
      assert.equal(run.code, 0, run.stderr);
    });
  }

  for (const [example, trials] of Object.entries(TRIALS)) {
    it(`${example} runs to completion`, async (t) => {
      const results = join(tempDir(t), 'results');
      const run = await runCli(['run', `examples/${example}`, '--results-dir', results, '--max-trials', String(trials)]);
      assert.equal(run.code, 0, run.stderr);
      const record = readResults(results);
      assert.equal(record.trials.length, trials);
      assert.ok(record.trials.every((x) => x.state === 'succeeded' || x.state === 'pruned'), run.stderr);
      assert.ok(record.trials.some((x) => x.state === 'succeeded' && Number.isFinite(x.value)), 'a trial produced a value');
    });
  }
});
