/** Small hand-built report inputs for the report's unit tests. */
import type { ReportInput } from '../../../operator/report/model.js';

/** A name no renderer may pass through unescaped. */
export const HOSTILE = `</script><img src=x onerror="alert(1)">&'"`;

/** Four trials: two succeeded (one repeated configuration), one pruned, one failed. */
export function smallInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    study: 'mlp-fashion',
    objective: { metric: 'val_accuracy', goal: 'maximize' },
    algorithm: 'tpe',
    generatedAt: '2026-11-25T12:00:00.000Z',
    parameters: [
      { name: 'lr', type: 'float', min: 1e-4, max: 1e-1, log: true },
      { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd'] },
      { name: 'features', type: 'subset', values: ['a', 'b', 'c'] },
    ],
    trials: [
      {
        index: 0,
        params: { lr: 0.001, optimizer: 'adam', features: ['a', 'b'] },
        state: 'succeeded',
        value: 0.875,
        metrics: { val_accuracy: 0.875, val_loss: 0.35 },
        intermediate: [[1, 0.7], [2, 0.82], [3, 0.875]],
        repeat: 0,
        startedAt: '2026-11-25T11:00:00.000Z',
        finishedAt: '2026-11-25T11:02:00.000Z',
      },
      {
        index: 1,
        params: { lr: 0.05, optimizer: 'sgd', features: ['c'] },
        state: 'pruned',
        value: 0.4,
        metrics: {},
        intermediate: [[1, 0.3], [2, 0.4]],
        reason: 'Pruned',
      },
      {
        index: 2,
        params: { lr: 0.09, optimizer: 'sgd', features: ['a'] },
        state: 'failed',
        metrics: {},
        intermediate: [],
        reason: 'exit 1: loss is NaN, "diverged"\nat epoch 2',
      },
      {
        index: 3,
        params: { lr: 0.001, optimizer: 'adam', features: ['a', 'b'] },
        state: 'succeeded',
        value: 0.869,
        metrics: { val_accuracy: 0.869, val_loss: 0.37 },
        intermediate: [[1, 0.69], [2, 0.8], [3, 0.869]],
        repeat: 1,
      },
    ],
    ...overrides,
  };
}
