/**
 * The `fashion` family of `npm run bench -- pruners`: real learning curves, replayed. Our own
 * trainer was run once per configuration of a fixed set on Fashion-MNIST (an MLP with one hidden
 * layer, 27 epochs, validation cross-entropy after every epoch; bench/pruners/record-fashion.ts
 * says exactly how) and the curves are stored in bench/pruners/fashion-curves.json. A benchmark
 * trial's curve is a smooth surrogate built from the recorded ones — a surrogate benchmark, as
 * HPOBench and LCBench do — so both sides (this file and its twin fashion.py;
 * test/unit/bench/pruner-curves.test.ts checks they agree) replay the same numbers without
 * training anything.
 *
 * The replay (`FASHION_REPLAY`, "idw-k4"): among the recorded configurations with the same
 * optimizer, the k = 4 nearest by Euclidean distance in the unit-cube encoding of the other three
 * parameters —
 *
 *     x = (log10 lr + 4) / 4,   w = (log2 width - 4) / 6,   d = dropout / 0.6
 *
 * (the search space's own scales: log for lr and width, linear for dropout), ties in distance to
 * the configuration recorded first (lowest index); the trial's loss at each epoch is the
 * inverse-distance-weighted mean of those k configurations' losses at that epoch, weights
 * 1 / (dist² + 1e-12), summed in the order of the neighbours (nearest first), each epoch on its
 * own. At a recorded point its own weight is 1e12 against at most ~1e4 for the others, so it gets
 * its own curve (to ~1e-8 relative). Rounding is absorbed by clamping each epoch to the range of
 * the neighbours' losses there, so the mean never leaves it.
 *
 * Why not the nearest recorded curve (the replay until 2026-11-25): it is piecewise constant, and
 * TPE's 200 proposals settled in ~40 of the 256 cells, so many trials of a study replayed
 * *identical* curves; identical values tie at ASHA's rungs and a tie is promoted (value ≤ the
 * rung's cutoff) on both sides, which inflated every pruner's step fraction and made the family
 * measure the replay more than pruning. Under the weighted mean two proposals share a curve only
 * if they are the same point.
 *
 * Divergence: an epoch at or after which a recorded run diverged (loss NaN or infinite, recorded
 * as null) enters the mean as `divergedLoss`: the largest finite validation loss in the table, and
 * at least ln 10 = 2.303 (a uniform guess over the 10 classes). A recorded diverged point replays
 * exactly that, never better than any run that did not diverge; near it the surrogate rises
 * towards it by its weight (a blend, not a cliff), and no replayed loss exceeds `divergedLoss`.
 * One epoch is one step; the family's maximum resource is 27 epochs.
 *
 * Regret is measured against the table's smallest epoch-27 loss (`lowerBound`). It stays a true
 * lower bound of the surrogate: a weighted mean (clamped as above) never goes below the smallest
 * of its neighbours' losses, and `divergedLoss` is at least every finite loss, so no replayed
 * epoch-27 loss is below it; only the best recorded configuration's own point reaches it (to
 * ~1e-8), which a continuous sampler practically never proposes, so the unpruned regret is rarely 0.
 *
 * Limits of the surrogate, to keep in mind when reading its numbers: it smooths — between
 * recorded points the loss is a blend of four real curves, not a curve any run produced, so the
 * noise between epochs and between seeds is averaged down, early ranks are a little more
 * predictive and late overfitting a little milder than in any one run; every recorded point holds
 * one run with one seed, so seed noise is frozen into the table rather than resampled per trial;
 * fine exploitation near the optimum earns only what the blend allows (the best value is at a
 * recorded point); and the task is small (6,000 training images, 27 epochs) so that the table
 * could be recorded in well under an hour on one core. What it keeps that the synthetic families
 * cannot is the shape of real curves — plateaus, overfitting (validation loss rising late),
 * divergence — and how early ranks relate to final ones on a real problem.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Params } from '../../operator/space/types.js';
import { unitCoordinates } from './curves.js';

/** Epochs recorded per configuration: the family's maximum resource. */
export const FASHION_EPOCHS = 27;

export const FASHION_TABLE_PATH = fileURLToPath(new URL('./fashion-curves.json', import.meta.url));

/** One recorded configuration of bench/pruners/fashion-curves.json. */
export interface FashionConfig {
  index: number;
  params: Params;
  /** The trainer's seed for this run (weights, shuffling, dropout). */
  seed: number;
  /** Validation cross-entropy after each epoch 1..FASHION_EPOCHS; null from `divergedAt` on. */
  valLoss: Array<number | null>;
  valAccuracy: Array<number | null>;
  /** First epoch whose loss was NaN or infinite, or null. */
  divergedAt: number | null;
  seconds: number;
  cpuSeconds: number;
}

export interface FashionTable {
  description: string;
  command: string;
  date: string;
  seed: number;
  configs: number;
  epochs: number;
  data: string;
  model: string;
  sampling: string;
  trainer: Record<string, string>;
  diverged: string;
  totalSeconds: number;
  totalCpuSeconds: number;
  curves: FashionConfig[];
}

/** Recorded configurations averaged per proposal. */
export const FASHION_NEIGHBOURS = 4;
/** Added to every squared distance: keeps an exact recorded point finite and dominant. */
export const FASHION_EPSILON = 1e-12;
/** The replay's name, stored with Optuna's cached fashion results (a cache of another replay is not reused). */
export const FASHION_REPLAY = `idw-k${FASHION_NEIGHBOURS}`;

/** One neighbour of a proposal: its index in the table and its squared unit-cube distance. */
export interface Neighbour {
  index: number;
  distance2: number;
}

/** A table ready for replay: the lookup, the losses with divergence filled in, the bound. */
export class FashionCurves {
  readonly configs: readonly FashionConfig[];
  /** What a diverged epoch is replayed as. */
  readonly divergedLoss: number;
  /** The smallest epoch-27 validation loss in the table. */
  readonly lowerBound: number;
  private readonly points: ReadonlyArray<readonly [number, number, number]>;
  /** Each configuration's losses, diverged epochs as `divergedLoss`. */
  private readonly filled: ReadonlyArray<readonly number[]>;
  /** The last curve computed (a trial asks for its epochs one by one). */
  private last: { key: string; curve: number[] } | undefined;

  constructor(configs: readonly FashionConfig[]) {
    this.configs = configs;
    this.points = configs.map((c) => unitCoordinates(c.params));
    let worst = Math.LN10;
    let bound = Infinity;
    for (const c of configs) {
      for (const v of c.valLoss) if (v !== null) worst = Math.max(worst, v);
      const last = c.valLoss[FASHION_EPOCHS - 1];
      if (last !== null && last !== undefined) bound = Math.min(bound, last);
    }
    this.divergedLoss = worst;
    this.lowerBound = bound;
    this.filled = configs.map((c) => c.valLoss.map((v) => (v === null ? worst : v)));
  }

  /**
   * The `k` recorded configurations with the same optimizer nearest to `p`, nearest first; equal
   * distances in the order recorded (lowest index first).
   */
  neighbours(p: Params, k = FASHION_NEIGHBOURS): Neighbour[] {
    const [x, w, d] = unitCoordinates(p);
    const found: Neighbour[] = [];
    for (let i = 0; i < this.configs.length; i++) {
      if (this.configs[i]!.params.optimizer !== p.optimizer) continue;
      const q = this.points[i]!;
      const dx = x - q[0];
      const dw = w - q[1];
      const dd = d - q[2];
      found.push({ index: i, distance2: dx * dx + dw * dw + dd * dd });
    }
    if (found.length === 0) throw new Error(`the fashion table has no configuration with optimizer ${JSON.stringify(p.optimizer)}`);
    found.sort((a, b) => a.distance2 - b.distance2 || a.index - b.index);
    return found.slice(0, k);
  }

  /** Index (in the table) of the nearest recorded configuration with the same optimizer; ties: the lowest index. */
  nearest(p: Params): number {
    return this.neighbours(p, 1)[0]!.index;
  }

  /** The replayed curve of `p`: epochs 1..27, each the clamped inverse-distance-weighted mean of its neighbours' losses. */
  curve(p: Params): readonly number[] {
    const key = `${p.optimizer}|${p.lr}|${p.width}|${p.dropout}`;
    if (this.last?.key === key) return this.last.curve;
    const near = this.neighbours(p);
    const weights = near.map((n) => 1 / (n.distance2 + FASHION_EPSILON));
    const curve: number[] = [];
    for (let e = 0; e < FASHION_EPOCHS; e++) {
      let num = 0;
      let den = 0;
      let lo = Infinity;
      let hi = -Infinity;
      near.forEach((n, j) => {
        const v = this.filled[n.index]![e]!;
        num += weights[j]! * v;
        den += weights[j]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      });
      curve.push(Math.min(hi, Math.max(lo, num / den)));
    }
    this.last = { key, curve };
    return curve;
  }

  /** Replayed validation loss of `p` after `step` epochs (1..27). */
  lossAt(p: Params, step: number): number {
    if (!Number.isInteger(step) || step < 1 || step > FASHION_EPOCHS) throw new RangeError(`fashion curves have epochs 1..${FASHION_EPOCHS}, asked for ${step}`);
    return this.curve(p)[step - 1]!;
  }
}

function fail(path: string, message: string): never {
  throw new Error(`fashion curves table ${path}: ${message} (record it with: node --import tsx bench/pruners/record-fashion.ts)`);
}

/** Parses and checks a table's text; every problem is an error that names the file. */
export function parseFashionTable(text: string, path = FASHION_TABLE_PATH): FashionTable {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail(path, `is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(path, 'must hold a JSON object');
  const table = doc as Partial<FashionTable>;
  if (table.epochs !== FASHION_EPOCHS) fail(path, `records ${String(table.epochs)} epochs per configuration, the family needs ${FASHION_EPOCHS}`);
  if (!Array.isArray(table.curves) || table.curves.length === 0) fail(path, 'has no curves');
  const optimizers = new Set<unknown>();
  table.curves.forEach((c, i) => {
    const where = `curve ${i}`;
    if (typeof c !== 'object' || c === null) fail(path, `${where} is not an object`);
    if (c.index !== i) fail(path, `${where} has index ${String(c.index)}`);
    const p = c.params as Record<string, unknown> | undefined;
    if (p === undefined || typeof p.lr !== 'number' || !(p.lr > 0) || typeof p.width !== 'number' || !(p.width >= 1) || typeof p.dropout !== 'number' || typeof p.optimizer !== 'string') {
      fail(path, `${where} has bad params ${JSON.stringify(p)}`);
    }
    optimizers.add(p.optimizer);
    for (const key of ['valLoss', 'valAccuracy'] as const) {
      const xs = c[key];
      if (!Array.isArray(xs) || xs.length !== FASHION_EPOCHS) fail(path, `${where}: ${key} must have ${FASHION_EPOCHS} entries`);
      if (!xs.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))) fail(path, `${where}: ${key} holds something other than finite numbers and null`);
    }
    const firstNull = c.valLoss.indexOf(null);
    if ((c.divergedAt ?? null) !== (firstNull < 0 ? null : firstNull + 1)) fail(path, `${where}: divergedAt ${String(c.divergedAt)} does not match its first null loss`);
    if (firstNull >= 0 && c.valLoss.slice(firstNull).some((v) => v !== null)) fail(path, `${where}: a finite loss after divergence`);
  });
  if (!table.curves.some((c) => c.valLoss[FASHION_EPOCHS - 1] !== null)) fail(path, 'has no configuration that trained to the end');
  return table as FashionTable;
}

/** Reads bench/pruners/fashion-curves.json (or `path`); a missing or malformed file is a clear error. */
export function readFashionTable(path = FASHION_TABLE_PATH): FashionTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseFashionTable(text, path);
}

let loaded: FashionCurves | undefined;

/** The committed table, read once, on first use (the synthetic families never need it). */
export function fashionCurves(): FashionCurves {
  loaded ??= new FashionCurves(readFashionTable().curves);
  return loaded;
}
