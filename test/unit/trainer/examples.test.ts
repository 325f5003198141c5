import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PARAM_SPECS, resolveParams } from '../../../trainer/config/params.js';
import { parseTrainerConfig, readConfigFile } from '../../../trainer/config/trainer-config.js';
import { repoRoot, runTrainer } from './run-trainer.js';

const examplesDir = join(repoRoot, 'examples', 'trainer');

describe('trainer examples and docs', () => {
  for (const file of readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'))) {
    it(`examples/trainer/${file} is a valid config with valid fixed parameters`, () => {
      const config = parseTrainerConfig(readConfigFile(join(examplesDir, file)));
      resolveParams(config.params, {});
    });
  }

  it('examples/trainer/diabetes-regression.yaml runs (shortened) with a feature subset', async () => {
    const run = await runTrainer(['--config', 'examples/trainer/diabetes-regression.yaml', '--folds', '2', '--param', 'epochs=3', '--param', 'features=["age","bmi","bp","s5"]']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.reports.map((r) => r.step), [1, 2]);
    assert.ok(Number.isFinite(run.result?.metrics.val_mae));
  });

  it('docs/trainer.md documents every parameter', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'trainer.md'), 'utf8');
    for (const name of Object.keys(PARAM_SPECS)) assert.match(doc, new RegExp(`\\| \`${name}\` \\|`), name);
  });
});
