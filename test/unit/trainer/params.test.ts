import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { paramEnvName } from '../../../operator/api/trial-contract.js';
import { coerceParam, readTrialParams, resolveParams } from '../../../trainer/config/params.js';
import { parseTrainerConfig } from '../../../trainer/config/trainer-config.js';
import { TrainerError } from '../../../trainer/errors.js';
import { tempDir } from './run-trainer.js';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof TrainerError ? `${err.reason}: ${err.message}` : String(err);
  }
  return undefined;
}

describe('trainer parameters', () => {
  it('reads the parameters file and the environment, the environment winning', () => {
    const file = join(tempDir(), 'params.json');
    writeFileSync(file, JSON.stringify({ learning_rate: 0.1, features: ['a', 'b'], units_1: 32 }));
    const raw = readTrialParams({ KUBETUNE_PARAMS_FILE: file, [paramEnvName('learning_rate')]: '0.02', KUBETUNE_PARAM_UNITS_0: '16', HOME: '/root' });
    const p = resolveParams({ epochs: 4 }, raw);
    assert.equal(p.learning_rate, 0.02);
    assert.deepEqual(p.features, ['a', 'b']);
    assert.deepEqual(p.unitsByLayer, { 0: 16, 1: 32 });
    assert.equal(p.epochs, 4);
    assert.equal(p.optimizer, 'adam'); // default
  });

  it('coerces env strings by the parameter type', () => {
    assert.equal(coerceParam('batch_size', '64'), 64);
    assert.equal(coerceParam('nesterov', 'true'), true);
    assert.equal(coerceParam('learning_rate', '3e-4'), 3e-4);
    assert.deepEqual(coerceParam('features', '["x","y"]'), ['x', 'y']);
    assert.deepEqual(coerceParam('features', 'x, y'), ['x', 'y']);
  });

  it('names the parameter and the problem for unknown, ill-typed and out-of-range values', () => {
    assert.equal(reasonOf(() => readTrialParams({ KUBETUNE_PARAM_LAYERZ: '2' })), 'InvalidParameter: parameter "layerz": unknown parameter (from environment variable KUBETUNE_PARAM_LAYERZ)');
    assert.equal(reasonOf(() => coerceParam('epochs', 'ten')), 'InvalidParameter: parameter "epochs": expected a number, got "ten"');
    assert.equal(reasonOf(() => coerceParam('dropout', 1)), 'InvalidParameter: parameter "dropout": 1 is above the allowed range (< 1)');
    assert.equal(reasonOf(() => coerceParam('learning_rate', 0)), 'InvalidParameter: parameter "learning_rate": 0 is below the allowed range (> 0)');
    assert.equal(reasonOf(() => coerceParam('activation', 'gelu')), 'InvalidParameter: parameter "activation": expected one of relu, relu6, elu, selu, tanh, sigmoid, softplus, softsign, swish, linear, got "gelu"');
    assert.equal(reasonOf(() => coerceParam('features', [])), 'InvalidParameter: parameter "features": expected a non-empty array of column names, got []');
    assert.match(reasonOf(() => resolveParams({ units_x: 3 }, {})) ?? '', /"units_x": unknown parameter/);
  });

  it('rejects a parameters file that is not a JSON object', () => {
    const file = join(tempDir(), 'params.json');
    writeFileSync(file, '[1, 2]');
    assert.match(reasonOf(() => readTrialParams({ KUBETUNE_PARAMS_FILE: file })) ?? '', /^InvalidParameter: parameters file .* must hold a JSON object/);
  });
});

describe('trainer config', () => {
  it('expands a shipped dataset name with its task, and defaults the objective by task', () => {
    const c = parseTrainerConfig({ dataset: 'diabetes' });
    assert.equal(c.task, 'regression');
    assert.equal(c.objective, 'val_mae');
    assert.equal(c.dataset.kind, 'csv');
  });

  it('rejects unknown settings, unknown datasets and metrics the task does not report', () => {
    assert.match(reasonOf(() => parseTrainerConfig({ dataset: 'iris', epoch: 3 })) ?? '', /InvalidConfig: config epoch: unknown setting/);
    assert.match(reasonOf(() => parseTrainerConfig({ dataset: 'mnist' })) ?? '', /no shipped dataset named "mnist"/);
    assert.match(reasonOf(() => parseTrainerConfig({ dataset: 'iris', objective: 'val_mae' })) ?? '', /not reported for classification/);
    assert.match(reasonOf(() => parseTrainerConfig({ dataset: 'iris', folds: 1 })) ?? '', /at least 2 folds/);
  });
});
