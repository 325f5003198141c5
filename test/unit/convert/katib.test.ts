/**
 * Katib Experiment → TuningStudy: the sample in examples/katib converts to a study that
 * validates, every mapping rule of the converter's header holds, and what cannot be carried is
 * reported at its Katib field path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { convertKatibExperiment } from '../../../operator/convert/katib/index.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/katib/tpe-experiment.yaml', import.meta.url));
const sample = () => parse(readFileSync(SAMPLE, 'utf8')) as Record<string, any>;
const paths = (r: ReturnType<typeof convertKatibExperiment>) => r.notes.map((n) => n.path);

/** A minimal Experiment with one Job container, `spec` fields merged over it. */
function experiment(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'kubeflow.org/v1beta1', kind: 'Experiment', metadata: { name: 'exp' },
    spec: {
      objective: { type: 'minimize', objectiveMetricName: 'loss' },
      algorithm: { algorithmName: 'random' },
      parameters: [{ name: 'lr', parameterType: 'double', feasibleSpace: { min: '0.001', max: '0.1' } }],
      trialTemplate: { trialSpec: { apiVersion: 'batch/v1', kind: 'Job', spec: { template: { spec: { containers: [{ name: 'c', image: 'img', command: ['python', 'train.py'] }], restartPolicy: 'Never' } } } } },
      ...spec,
    },
  };
}

describe('convertKatibExperiment', () => {
  it('converts the sample into a study that validates, with objective, budget and trial carried', () => {
    const r = convertKatibExperiment(sample());
    assert.deepEqual(r.validation, []);
    const spec = r.study!.spec;
    assert.equal(r.study!.metadata.name, 'tpe-example');
    assert.equal(r.study!.metadata.namespace, 'kubeflow');
    assert.deepEqual(spec.objective, { metric: 'Validation-accuracy', goal: 'maximize', valueFrom: 'best', targetValue: 0.99, additionalMetrics: ['Train-accuracy'] });
    assert.deepEqual(spec.budget, { maxTrials: 12, parallelism: 3, maxFailedTrials: 3, trialTimeout: '1800s' });
    assert.deepEqual(spec.algorithm, { name: 'tpe', seed: 10, settings: { startupTrials: 5 } });
    assert.deepEqual(spec.earlyStopping, { name: 'median', settings: { startupTrials: 2, warmupSteps: 4 } });
    assert.equal(spec.template?.image, 'docker.io/kubeflowkatib/pytorch-mnist-cpu:latest');
    assert.ok(spec.template?.command?.includes('--lr=$(KUBETUNE_PARAM_LR)'));
    assert.ok(spec.template?.command?.includes('--num-layers=$(KUBETUNE_PARAM_NUM_LAYERS)'));
    assert.deepEqual(spec.template?.env, [{ name: 'PYTHONUNBUFFERED', value: '1' }]);
    assert.deepEqual(spec.template?.resources, { limits: { cpu: '1', memory: '2Gi' } });
  });

  it('maps double, int, categorical and discrete parameters with min/max/step/list and logUniform', () => {
    const params = convertKatibExperiment(sample()).study!.spec.parameters;
    assert.deepEqual(params, [
      { name: 'lr', type: 'float', min: 0.01, max: 0.05, log: true },
      { name: 'momentum', type: 'float', min: 0.5, max: 0.9, step: 0.1 },
      { name: 'num-layers', type: 'int', min: 2, max: 5 },
      { name: 'optimizer', type: 'categorical', values: ['sgd', 'adam', 'ftrl'] },
      { name: 'batch-size', type: 'categorical', values: [32, 64, 128] },
    ]);
  });

  it('reports what the sample cannot carry, each at its Katib path', () => {
    const p = paths(convertKatibExperiment(sample()));
    const pod = '/spec/trialTemplate/trialSpec/spec/template/spec';
    for (const expected of [
      `${pod}/containers/0/env/1/valueFrom`, `${pod}/containers/0/volumeMounts`, `${pod}/volumes`,
      '/spec/trialTemplate/trialSpec/spec/template/metadata', '/spec/metricsCollectorSpec/collector/kind',
      '/spec/trialTemplate/trialParameters',
    ]) assert.ok(p.includes(expected), `a note at ${expected} (notes at ${p.join(', ')})`);
  });

  it('notes distributions without a counterpart, and a step on a log scale', () => {
    const r = convertKatibExperiment(experiment({
      parameters: [
        { name: 'a', parameterType: 'double', feasibleSpace: { min: '1', max: '10', distribution: 'normal' } },
        { name: 'b', parameterType: 'double', feasibleSpace: { min: '0.1', max: '10', step: '0.1', distribution: 'logUniform' } },
        { name: 'c', parameterType: 'int', feasibleSpace: { min: '1', max: '64', distribution: 'logUniform' } },
        { name: 'd', parameterType: 'discrete', feasibleSpace: { list: ['x', '2'] } },
        { name: 'e', parameterType: 'double', feasibleSpace: { max: '1' } },
      ],
    }));
    assert.deepEqual(r.study!.spec.parameters, [
      { name: 'a', type: 'float', min: 1, max: 10 },
      { name: 'b', type: 'float', min: 0.1, max: 10, log: true },
      { name: 'c', type: 'int', min: 1, max: 64, log: true },
      { name: 'd', type: 'categorical', values: ['x', '2'] },
    ]);
    const p = paths(r);
    for (const at of ['/spec/parameters/0/feasibleSpace/distribution', '/spec/parameters/1/feasibleSpace/step', '/spec/parameters/3/feasibleSpace/list', '/spec/parameters/4/feasibleSpace']) {
      assert.ok(p.includes(at), `a note at ${at}`);
    }
  });

  it('maps each Katib algorithm and its settings; settings without a counterpart are notes', () => {
    const algo = (algorithmName: string, settings: Record<string, string> = {}) => convertKatibExperiment(experiment({
      algorithm: { algorithmName, algorithmSettings: Object.entries(settings).map(([name, value]) => ({ name, value })) },
    }));
    assert.deepEqual(algo('random', { random_state: '7' }).study!.spec.algorithm, { name: 'random', seed: 7 });
    assert.deepEqual(algo('grid').study!.spec.algorithm, { name: 'grid' });
    assert.deepEqual(algo('multivariate-tpe', { n_ei_candidates: '48' }).study!.spec.algorithm, { name: 'tpe', settings: { multivariate: true, candidates: 48 } });
    assert.deepEqual(algo('cmaes', { sigma: '0.3', random_state: '1' }).study!.spec.algorithm, { name: 'cmaes', seed: 1, settings: { sigma0: 0.3 } });
    const bo = algo('bayesianoptimization', { n_initial_points: '8', acq_func: 'gp_hedge', random_state: 'x' });
    assert.deepEqual(bo.study!.spec.algorithm, { name: 'gp', settings: { startupTrials: 8 } });
    assert.ok(paths(bo).includes('/spec/algorithm/algorithmSettings/1'), 'acq_func is a note');
    assert.ok(paths(bo).includes('/spec/algorithm/algorithmSettings/2/value'), 'a non-integer random_state is a note');
    const pbt = algo('pbt', { n_population: '40' });
    assert.deepEqual(pbt.study!.spec.algorithm, { name: 'tpe' });
    assert.ok(paths(pbt).includes('/spec/algorithm/algorithmName'));
  });

  it('turns hyperband into random sampling with the hyperband pruner, the resource out of the space', () => {
    const r = convertKatibExperiment(experiment({
      algorithm: { algorithmName: 'hyperband', algorithmSettings: [{ name: 'resource_name', value: 'epochs' }, { name: 'eta', value: '3' }, { name: 'r_l', value: '9' }] },
      parameters: [
        { name: 'lr', parameterType: 'double', feasibleSpace: { min: '0.001', max: '0.1' } },
        { name: 'epochs', parameterType: 'int', feasibleSpace: { min: '9', max: '9' } },
      ],
    }));
    assert.deepEqual(r.study!.spec.algorithm, { name: 'random' });
    assert.deepEqual(r.study!.spec.earlyStopping, { name: 'hyperband', settings: { reductionFactor: 3, maxResource: 9 } });
    assert.deepEqual(r.study!.spec.parameters.map((p) => p.name), ['lr']);
    assert.deepEqual(r.validation, []);
  });

  it('fills medianstop with Katib\'s own defaults; other early-stopping rules are notes', () => {
    assert.deepEqual(convertKatibExperiment(experiment({ earlyStopping: { algorithmName: 'medianstop' } })).study!.spec.earlyStopping,
      { name: 'median', settings: { startupTrials: 3, warmupSteps: 4 } });
    const other = convertKatibExperiment(experiment({ earlyStopping: { algorithmName: 'something' } }));
    assert.equal(other.study!.spec.earlyStopping, undefined);
    assert.ok(paths(other).includes('/spec/earlyStopping/algorithmName'));
  });

  it('uses the latest report when the objective\'s metric strategy says latest; writes Katib\'s parallelism default', () => {
    const r = convertKatibExperiment(experiment({ objective: { type: 'minimize', objectiveMetricName: 'loss', metricStrategies: [{ name: 'loss', value: 'latest' }] } }));
    assert.equal(r.study!.spec.objective.valueFrom, 'last');
    assert.equal(r.study!.spec.budget?.parallelism, 3);
  });

  it('runs the primary replica of a PyTorchJob as one process, and says so', () => {
    const r = convertKatibExperiment(experiment({
      trialTemplate: {
        trialParameters: [{ name: 'lr', reference: 'lr' }],
        trialSpec: {
          apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob',
          spec: { pytorchReplicaSpecs: {
            Master: { replicas: 1, template: { spec: { containers: [{ name: 'pytorch', image: 'pt', args: ['--lr', '${trialParameters.lr}'] }] } } },
            Worker: { replicas: 2, template: { spec: { containers: [{ name: 'pytorch', image: 'pt' }] } } },
          } },
        },
      },
    }));
    assert.deepEqual(r.study!.spec.template, { image: 'pt', args: ['--lr', '$(KUBETUNE_PARAM_LR)'] });
    assert.ok(paths(r).includes('/spec/trialTemplate/trialSpec/kind'));
  });

  it('keeps a study without a usable trial template, and says what is missing', () => {
    const r = convertKatibExperiment(experiment({ trialTemplate: { configMap: { configMapName: 'templates', templatePath: 'job.yaml' } } }));
    assert.ok(r.study !== undefined);
    assert.equal(r.study.spec.template, undefined);
    assert.ok(paths(r).includes('/spec/trialTemplate/configMap'));
    assert.ok(r.validation.length > 0, 'the study still needs a template or trainer');
  });

  it('finds nothing usable without an objective metric, parameters, or an Experiment', () => {
    assert.equal(convertKatibExperiment(experiment({ objective: { type: 'maximize' } })).study, undefined);
    assert.equal(convertKatibExperiment(experiment({ parameters: [], nasConfig: {} })).study, undefined);
    const notExperiment = convertKatibExperiment({ kind: 'Deployment', spec: {} });
    assert.equal(notExperiment.study, undefined);
    assert.deepEqual(paths(notExperiment), ['/kind']);
  });
});
