/**
 * A dense layer for the first layer of a network: `x·W + b`, without tfjs's fused matmul.
 *
 * Why: tfjs-layers' Dense always goes through `tf.fused.matMul`, whose gradient (a customGrad)
 * computes the gradients of *both* operands. For the first layer the gradient with respect to the
 * input data is never used, yet it costs a full matrix product — for 784-128-10 on
 * Fashion-MNIST as much as the forward pass. Plain `tf.matMul` has per-input gradients that the
 * tape prunes, so this layer skips that product. It is serialised under its own class name and
 * registered on import, so saved models load with `loadSavedModel`.
 *
 * With `activation: 'relu'` the layer also applies ReLU. On the wasm backend the product, the
 * bias and the ReLU run as one kernel and the backward pass as two (trainer/backend/wasm-dense.ts),
 * which reads the input in place instead of transposing it and skips XNNPACK's per-call packing
 * of the weights; elsewhere it is tf.matMul, tf.add and tf.relu.
 */
import * as tf from '@tensorflow/tfjs';
import { denseOnWasm } from '../backend/wasm-dense.js';

/** Activations the layer can apply itself. */
export type InputDenseActivation = 'linear' | 'relu';

export interface InputDenseArgs {
  units: number;
  useBias: boolean;
  /** Default linear (saved models from before this option load as they were). */
  activation?: InputDenseActivation;
  /** Absent when a saved model is loaded: the weights come from the file then. */
  kernelInitializer?: ReturnType<typeof tf.initializers.glorotUniform>;
  name?: string;
}

export class InputDense extends tf.layers.Layer {
  static readonly className = 'KubetuneInputDense';
  private readonly units: number;
  private readonly useBias: boolean;
  private readonly activation: InputDenseActivation;
  private readonly kernelInitializer: NonNullable<InputDenseArgs['kernelInitializer']>;
  private kernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: InputDenseArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.units = args.units;
    this.useBias = args.useBias;
    this.activation = args.activation ?? 'linear';
    this.kernelInitializer = args.kernelInitializer ?? tf.initializers.glorotUniform({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [inputDim, this.units], 'float32', this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const kernel = (this.kernel as tf.LayerVariable).read() as tf.Tensor2D;
    const bias = this.bias?.read() as tf.Tensor1D | undefined;
    const relu = this.activation === 'relu';
    const fused = denseOnWasm(x as tf.Tensor2D, kernel, bias, relu);
    if (fused !== undefined) return fused;
    const product = tf.matMul(x as tf.Tensor2D, kernel);
    const z = bias ? tf.add(product, bias) : product;
    return relu ? tf.relu(z) : z;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, useBias: this.useBias, activation: this.activation };
  }
}

tf.serialization.registerClass(InputDense);
