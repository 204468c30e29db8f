import { mean, square, sum, type Tensor, variance } from '@backprop-lab/tensor';

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
  /** [N, H] the activations themselves, after ReLU and before dropout (histograms, dead units). */
  activation: Tensor;
  /** [N, H] the gradient arriving at them. */
  activationGrad: Tensor;
}

/** ‖t‖₂ over every element. */
export function l2Norm(t: Tensor): number {
  return Math.sqrt(sum(square(t)).item());
}

export function layerStats(
  layer: number,
  activation: Tensor,
  activationGrad: Tensor,
  dW: Tensor,
): LayerStats {
  return {
    layer,
    activationMean: mean(activation).item(),
    activationStd: Math.sqrt(variance(activation).item()),
    gradNorm: l2Norm(dW),
    activationGradNorm: l2Norm(activationGrad),
    activation,
    activationGrad,
  };
}
