/**
 * A 10,000-trial history without running 10,000 pods: seeded synthetic finished trials of a
 * realistic study (five parameters, a 30-epoch learning curve, four final metrics, one trial in
 * ten failed with a message), turned into records by the operator's own `toRecord` and grouped
 * into the operator's own shards (`renderShard`, `shardOf`) — the exact objects its merge patches
 * build one key at a time. The benchmark creates them whole (100 requests instead of 10,000
 * patches, sparing the shared etcd) and then lets the real operator reconcile the study over
 * them, so the status it writes is the real one.
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { renderShard, shardOf, toRecord } from '../../operator/controller/history.js';
import type { StudyOwner } from '../../operator/controller/cluster-api.js';
import type { EngineTrial } from '../../operator/engine/types.js';
import { Rng } from '../../operator/samplers/rng.js';
import type { Obj } from '../../test/cluster/rest.js';

export const EPOCHS = 30;

/** The spec the synthetic trials belong to (random search; the budget is the history). */
export function bigStudy(name: string, trials: number): Obj {
  return {
    apiVersion: 'kubetune.io/v1alpha1',
    kind: 'TuningStudy',
    metadata: { name },
    spec: {
      objective: { metric: 'val_accuracy', goal: 'maximize', valueFrom: 'best', additionalMetrics: ['val_loss', 'accuracy'] },
      parameters: [
        { name: 'learning_rate', type: 'float', min: 1e-4, max: 0.3, log: true },
        { name: 'units', type: 'int', min: 8, max: 512, log: true },
        { name: 'layers', type: 'int', min: 1, max: 4 },
        { name: 'dropout', type: 'float', min: 0, max: 0.5 },
        { name: 'optimizer', type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] },
      ],
      algorithm: { name: 'random', seed: 3 },
      budget: { maxTrials: trials, parallelism: 10 },
      suspend: true,
      template: { image: 'node:20', command: ['node', '-e', 'process.exit(0)'] },
    },
  };
}

export function syntheticTrials(n: number, seed = 42): EngineTrial[] {
  const rng = new Rng(seed);
  const t0 = Date.UTC(2026, 0, 1);
  const out: EngineTrial[] = [];
  for (let index = 0; index < n; index++) {
    const params = {
      learning_rate: 1e-4 * Math.exp(rng.next() * Math.log(3000)),
      units: Math.round(8 * Math.exp(rng.next() * Math.log(64))),
      layers: 1 + Math.floor(rng.next() * 4),
      dropout: rng.next() * 0.5,
      optimizer: ['adam', 'sgd', 'rmsprop'][Math.floor(rng.next() * 3)] as string,
    };
    const ceiling = 0.6 + 0.39 * rng.next();
    const reports = Array.from({ length: EPOCHS }, (_, e) => ({ step: e + 1, values: { val_accuracy: ceiling * (1 - Math.exp(-(e + 1) / 6)) } }));
    const createdAt = t0 + index * 60_000;
    const failed = index % 10 === 9;
    const base = { index, params, createdAt, startedAt: createdAt + 2_000, finishedAt: createdAt + 50_000 };
    out.push(failed
      ? { ...base, state: 'failed', reports: reports.slice(0, 7), metrics: {}, reason: 'OOMKilled', message: `the container ran out of memory (exit code 137) at epoch 7 of ${EPOCHS} with batch size ${64 * (1 + (index % 4))}; lower units or layers` }
      : { ...base, state: 'succeeded', reports, value: ceiling * (1 - Math.exp(-EPOCHS / 6)), metrics: { val_accuracy: ceiling, val_loss: 1 - ceiling, accuracy: ceiling + 0.01, test_accuracy: ceiling - 0.02 } });
  }
  return out;
}

/** The study's history shards holding `trials`, as the operator would have written them. */
export function historyShards(owner: StudyOwner, trials: readonly EngineTrial[], metric: string): V1ConfigMap[] {
  const shards = new Map<number, V1ConfigMap>();
  for (const t of trials) {
    const record = toRecord(t, metric);
    const s = shardOf(record.index);
    let cm = shards.get(s);
    if (cm === undefined) shards.set(s, (cm = renderShard(owner, s)));
    cm.data![String(record.index)] = JSON.stringify(record);
  }
  return [...shards.values()];
}
