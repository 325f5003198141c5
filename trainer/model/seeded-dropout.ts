/**
 * Dropout whose masks come from a seed, differently at every step. tfjs's own Dropout layer
 * either draws from Math.random (no seed: runs differ) or, given a seed, draws the *same* mask
 * on every call — neither is what "same seed, same result" needs. This layer passes
 * `seed + call number` to tf.dropout, so a run is reproducible and each batch still gets a fresh
 * mask. Inference (training not set) passes inputs through unchanged, as Keras does.
 */
import * as tf from '@tensorflow/tfjs';

export interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}

export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'KubetuneSeededDropout';
  private readonly rate: number;
  private readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (kwargs.training !== true || this.rate === 0) return x;
    this.calls += 1;
    return tf.dropout(x, this.rate, undefined, this.seed + this.calls);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
