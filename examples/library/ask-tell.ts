/**
 * The library on its own: tune a function with ask/tell, as you would a training loop in a
 * script. Run it with `node --import tsx examples/library/ask-tell.ts` (after `npm ci`, which
 * builds the package that `kubetune` resolves to).
 */
import { Study } from 'kubetune';

// Stand-in for a training run: a noisy-free "validation loss" with its minimum at
// lr = 0.01, layers = 3, optimizer = adam.
function validationLoss(params: Record<string, unknown>): number {
  const lr = params.lr as number;
  const layers = params.layers as number;
  const penalty = params.optimizer === 'adam' ? 0 : 0.05 + (params.momentum as number) * 0.01;
  return (Math.log10(lr) + 2) ** 2 + 0.1 * (layers - 3) ** 2 + penalty;
}

const study = new Study({
  objective: { metric: 'val_loss', goal: 'minimize' },
  parameters: [
    { name: 'lr', type: 'float', min: 1e-5, max: 1e-1, log: true },
    { name: 'layers', type: 'int', min: 1, max: 6 },
    { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd'] },
    { name: 'momentum', type: 'float', min: 0, max: 0.99, when: { optimizer: 'sgd' } },
  ],
  algorithm: { name: 'tpe', seed: 42 },
});

for (let i = 0; i < 60; i++) {
  const { index, params } = study.ask();
  study.tell(index, validationLoss(params));
}

const best = study.best!;
console.log(`best of ${study.trials.length} trials: #${best.index} val_loss=${best.value!.toFixed(4)}`, best.params);
