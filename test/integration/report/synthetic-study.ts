/**
 * A realistic study to draw reports from, without training anything: an MLP on a
 * Fashion-MNIST-like task, simulated by learning curves whose plateau depends on the parameters
 * (learning rate most, then optimizer and dropout, hidden units a little, batch size barely).
 *
 * It runs through the library `Study` (random sampler, seeded), reports intermediate accuracy per
 * epoch, prunes with a median rule, fails trials the way real ones fail (a diverging learning rate
 * gives NaN, a wide layer with a large batch is OOM-killed), and finally retrains the best
 * configurations three more times so the report has per-configuration spread. Deterministic.
 */
import { Study } from '../../../operator/engine/study.js';
import type { ReportInput, ReportTrial } from '../../../operator/report/model.js';
import { Rng } from '../../../operator/samplers/rng.js';
import type { ParamSpec, Params } from '../../../operator/space/types.js';

const PARAMETERS: ParamSpec[] = [
  { name: 'learning_rate', type: 'float', min: 1e-4, max: 3e-1, log: true },
  { name: 'hidden_units', type: 'int', min: 32, max: 512, log: true },
  { name: 'dropout', type: 'float', min: 0, max: 0.6 },
  { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
  { name: 'batch_size', type: 'categorical', values: [32, 64, 128, 256] },
];

const EPOCHS = 12;
const START = Date.parse('2026-11-25T09:00:00Z');

interface Run {
  state: 'succeeded' | 'failed' | 'pruned';
  curve: [number, number][];
  reason?: string;
  metrics: Record<string, number>;
}

/** The accuracy a configuration would plateau at, and how fast it gets there. */
function plateau(p: Params): { top: number; rate: number } {
  const lr = Math.log10(p.learning_rate as number);
  const best = p.optimizer === 'sgd' ? -1.3 : -2.8;
  const lrPenalty = 0.045 * (lr - best) ** 2;
  const width = 0.012 * Math.log2((p.hidden_units as number) / 32) / 4;
  const dropout = -0.09 * ((p.dropout as number) - 0.2) ** 2;
  const batch = -0.002 * Math.log2((p.batch_size as number) / 32);
  const optimizer = p.optimizer === 'adam' ? 0.004 : p.optimizer === 'rmsprop' ? 0 : -0.006;
  const top = Math.min(0.905, Math.max(0.35, 0.885 - lrPenalty + width + dropout + batch + optimizer));
  const rate = 0.22 + 0.5 / (1 + Math.exp(-(lr - best) * 2));
  return { top, rate };
}

/** Trains one simulated configuration; `history` is the curves so far, for the median pruner. */
function train(p: Params, rng: Rng, history: readonly [number, number][][], prune: boolean): Run {
  const { top, rate } = plateau(p);
  const curve: [number, number][] = [];
  const diverges = (p.learning_rate as number) > 0.08 && p.optimizer !== 'sgd';
  const oom = (p.hidden_units as number) > 380 && p.batch_size === 256;
  if (oom) return { state: 'failed', curve, reason: 'OOMKilled', metrics: {} };
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    if (diverges && epoch === 3) return { state: 'failed', curve, reason: 'metric "val_accuracy" is NaN (loss diverged)', metrics: {} };
    const acc = top - (top - 0.1) * Math.exp(-rate * epoch) + 0.004 * rng.normal();
    curve.push([epoch, Math.round(acc * 1e4) / 1e4]);
    if (prune && epoch === 4) {
      const peers = history.map((c) => c[epoch - 1]?.[1]).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
      const median = peers[Math.floor(peers.length / 2)];
      if (peers.length >= 5 && median !== undefined && acc < median) return { state: 'pruned', curve, reason: 'Pruned', metrics: {} };
    }
  }
  const last = (curve.at(-1) as [number, number])[1];
  return {
    state: 'succeeded',
    curve,
    metrics: {
      val_accuracy: last,
      val_loss: Math.round(-Math.log(last) * 1.6 * 1e4) / 1e4,
      train_accuracy: Math.round(Math.min(0.99, last + 0.02 + 0.05 * (0.6 - (p.dropout as number))) * 1e4) / 1e4,
    },
  };
}

/** A study of `trials` sampled trials plus 3 extra runs of each of its `repeated` best configurations. */
export function syntheticStudy(trials = 48, repeated = 4): ReportInput {
  const study = new Study({
    objective: { metric: 'val_accuracy', goal: 'maximize' },
    parameters: PARAMETERS,
    algorithm: { name: 'random', seed: 2026 },
  });
  const curves: [number, number][][] = [];
  const out: ReportTrial[] = [];
  const record = (index: number, params: Params, run: Run, repeat: number) => {
    const startedAt = new Date(START + index * 95_000).toISOString();
    const finishedAt = new Date(START + index * 95_000 + (20 + run.curve.length * 14) * 1000).toISOString();
    out.push({
      index,
      params,
      state: run.state,
      ...(run.state === 'failed' ? {} : { value: (run.curve.at(-1) as [number, number])[1] }),
      metrics: run.metrics,
      intermediate: run.curve,
      ...(run.reason === undefined ? {} : { reason: run.reason }),
      startedAt,
      finishedAt,
      repeat,
    });
  };
  for (let i = 0; i < trials; i++) {
    const { index, params } = study.ask();
    const run = train(params, new Rng(2026, index, 'simulate'), curves, true);
    for (const [step, value] of run.curve) study.report(index, step, value);
    if (run.state === 'succeeded') study.tell(index, { metrics: run.metrics });
    else if (run.state === 'pruned') study.tell(index, { pruned: true });
    else study.tell(index, { failed: run.reason ?? 'failed' });
    if (run.state !== 'failed') curves.push(run.curve); // a median pruner compares with every trial that reached the step
    record(index, params, run, 0);
  }
  // Retrain the best configurations with fresh seeds, as studies that report spread do.
  const best = out.filter((t) => t.state === 'succeeded').sort((a, b) => (b.value as number) - (a.value as number)).slice(0, repeated);
  let index = out.length;
  for (const t of best) {
    for (let repeat = 1; repeat <= 3; repeat++, index++) {
      record(index, t.params, train(t.params, new Rng(2026, index, 'simulate'), curves, false), repeat);
    }
  }
  return {
    study: 'fashion-mnist-mlp',
    objective: study.objective,
    parameters: PARAMETERS,
    algorithm: 'random',
    trials: out,
    generatedAt: '2026-11-25T12:00:00.000Z',
  };
}
