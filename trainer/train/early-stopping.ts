/**
 * Early stopping, after Keras' callback but stricter (style.md, "Callbacks are small classes"):
 * the direction is an explicit option, never guessed from the metric's name, and a NaN value is
 * never an improvement.
 *
 * Options:
 * - `monitor`: the metric to watch, e.g. `val_loss` (required; the config defaults it to the
 *   study's objective).
 * - `mode`: `'min'` or `'max'`, which way is better (required).
 * - `patience` (default 0): training stops once this many epochs in a row brought no
 *   improvement (Keras' meaning: 2 stops at the second such epoch; 0 and 1 both stop at the first).
 * - `minDelta` (default 0): the smallest change that counts as an improvement.
 * - `restoreBest` (default true): the trainer puts back the weights of the best epoch when the
 *   run ends (the class only records which epoch that was).
 */

export interface EarlyStoppingOptions {
  monitor: string;
  mode: 'min' | 'max';
  patience?: number;
  minDelta?: number;
  restoreBest?: boolean;
}

export type EpochVerdict = 'improved' | 'waiting' | 'stop';

export class EarlyStopping {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  /** Best value seen so far (±Infinity before the first epoch). */
  best: number;
  /** Epoch of the best value, or undefined before any improvement. */
  bestEpoch: number | undefined;
  /** Epochs since the last improvement. */
  wait = 0;

  constructor(options: EarlyStoppingOptions) {
    const patience = options.patience ?? 0;
    const minDelta = options.minDelta ?? 0;
    if (!(patience >= 0)) throw new RangeError(`patience must be ≥ 0, got ${patience}`);
    if (!(minDelta >= 0)) throw new RangeError(`minDelta must be ≥ 0, got ${minDelta}`);
    this.monitor = options.monitor;
    this.mode = options.mode;
    this.patience = patience;
    this.minDelta = minDelta;
    this.restoreBest = options.restoreBest ?? true;
    this.best = options.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Records one epoch's metrics; says whether it improved, and whether training should stop. */
  update(epoch: number, metrics: Readonly<Record<string, number>>): EpochVerdict {
    const value = metrics[this.monitor];
    if (value === undefined) throw new Error(`early stopping monitors ${this.monitor}, which this run does not report`);
    const improved = this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      return 'improved';
    }
    this.wait += 1;
    return this.wait >= this.patience ? 'stop' : 'waiting';
  }
}
