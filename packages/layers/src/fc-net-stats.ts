import type { Tensor } from '@backprop-lab/tensor';

/** Health of one hidden layer in one training pass: what a vanishing or exploding net shows first. */
export interface LayerStats {
  /** 1-based hidden layer index (layer l holds W{l}). */
  layer: number;
  /** Mean of the activations after ReLU (before dropout), over the batch and units. */
  activationMean: number;
  /** Their standard deviation (population). */
  activationStd: number;
  /** ‖dW{l}‖₂ (Frobenius), regularization included: the size of this layer's update. */
  gradNorm: number;
  /** ‖d(activation)‖₂: the gradient arriving at this layer's output from above. */
  activationGradNorm: number;
  /** [N, H] the hidden output after ReLU (before dropout); a copy the caller may keep. */
  activation: Tensor;
  /** [N, H] the gradient arriving at it (after dropout's backward); a copy the caller may keep. */
  activationGrad: Tensor;
}

/** ‖values‖₂, summed in index order (both net implementations call it at the same point: same bits). */
export function l2Norm(values: ArrayLike<number>): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += values[i] * values[i];
  return Math.sqrt(squares);
}

/** activationGradNorm is taken by the caller when the gradient is at hand (the fused path reuses its buffer). */
export function layerStats(
  layer: number,
  activation: Tensor,
  dW: Tensor,
  activationGradNorm: number,
): Omit<LayerStats, 'activation' | 'activationGrad'> {
  let total = 0;
  for (let i = 0; i < activation.size; i++) total += activation.data[i];
  const mean = activation.size > 0 ? total / activation.size : 0;
  let squares = 0;
  for (let i = 0; i < activation.size; i++) squares += (activation.data[i] - mean) ** 2;
  return {
    layer,
    activationMean: mean,
    activationStd: activation.size > 0 ? Math.sqrt(squares / activation.size) : 0,
    gradNorm: l2Norm(dW.data),
    activationGradNorm,
  };
}
