/**
 * What one pass of a FullyConnectedNet reads and returns, shared by its two implementations: the
 * readable composition of layer functions (fc-net-layers.ts) and the fused kernels (kernels/fc-net-fused.ts).
 * Shapes: N batch, D inputDim, H hidden sizes, C numClasses.
 */
import type { Rng, Tensor } from '@backprop-lab/tensor';
import type { BatchnormParam } from './batchnorm.js';
import type { ResolvedOptions } from './fc-net-options.js';

/** The net's state a pass reads (and, for batchnorm's running statistics, writes). */
export interface NetContext {
  options: ResolvedOptions;
  /** L: hidden layers + the output affine. */
  numLayers: number;
  params: Record<string, Tensor>;
  bnParams: BatchnormParam[];
  /** Where train-mode dropout masks come from in this pass. */
  masks: Rng;
}

/** A train-mode pass: forward, softmax loss, backward. Regularization is added by the net afterwards. */
export interface TrainPass {
  dataLoss: number;
  /** One per parameter, without the regularization term yet. */
  grads: Record<string, Tensor>;
  /** [N, C] */
  scores: Tensor;
  /** Per hidden layer, [N, H] after ReLU and before dropout. */
  activations: Tensor[];
  /** Per hidden layer, ‖gradient arriving at its activation‖₂; filled only when statistics are asked for. */
  activationGradNorms: number[];
  /** Per hidden layer, [N, H] that gradient (a copy); filled only when statistics are asked for. */
  activationGrads: Tensor[];
}
