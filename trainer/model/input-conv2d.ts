/**
 * A 2-D convolution for the first layer of a CNN: `conv2d(x, W) + b`, without tfjs's fused
 * convolution — the same reason as `InputDense` (input-dense.ts).
 *
 * tfjs-layers' Conv2D goes through `tf.fused.conv2d`, whose gradient (a customGrad) computes the
 * gradients of the input, the filter and the bias together. For the first layer the input is the
 * image batch and its gradient is never used; on the wasm backend it cost as much as a forward
 * convolution (≈ 17 ms of a 176 ms step for the benchmark CNN, batch 128). Plain `tf.conv2d` has
 * per-input gradients that the tape prunes, so this layer skips that work. Serialised under its
 * own class name and registered on import, so saved models load with `loadSavedModel`.
 */
import * as tf from '@tensorflow/tfjs';

export interface InputConv2DArgs {
  filters: number;
  kernelSize: number;
  strides: number;
  padding: 'same' | 'valid';
  useBias: boolean;
  /** Absent when a saved model is loaded: the weights come from the file then. */
  kernelInitializer?: ReturnType<typeof tf.initializers.glorotUniform>;
  name?: string;
}

export class InputConv2D extends tf.layers.Layer {
  static readonly className = 'KubetuneInputConv2D';
  private readonly filters: number;
  private readonly kernelSize: number;
  private readonly strides: number;
  private readonly padding: 'same' | 'valid';
  private readonly useBias: boolean;
  private readonly kernelInitializer: NonNullable<InputConv2DArgs['kernelInitializer']>;
  private kernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: InputConv2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides;
    this.padding = args.padding;
    this.useBias = args.useBias;
    this.kernelInitializer = args.kernelInitializer ?? tf.initializers.glorotUniform({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [this.kernelSize, this.kernelSize, channels, this.filters], 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const y = tf.conv2d(x, (this.kernel as tf.LayerVariable).read() as tf.Tensor4D, this.strides, this.padding);
    return this.bias ? tf.add(y, this.bias.read()) : y;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (size: number) => (this.padding === 'same' ? Math.ceil(size / this.strides) : Math.floor((size - this.kernelSize) / this.strides) + 1);
    return [shape[0] as number, out(shape[1] as number), out(shape[2] as number), this.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, useBias: this.useBias };
  }
}

tf.serialization.registerClass(InputConv2D);
